import { element as el } from '../chat/element.js';
import { type IconName, icon } from '../chat/icon.js';
import { LOCALE_NAMES, LOCALES, type Locale, type MessageKey, type Translate, translator } from '../i18n.js';

export interface DemoPage {
  /** The column the floating widget sits over on wide screens (left empty). */
  readonly chatSlot: HTMLElement;
  readonly localePicker: HTMLSelectElement;
  setLocale(locale: Locale): void;
}

export interface DemoPageOptions {
  locale: Locale;
  /** A "try asking" suggestion was clicked. */
  onAsk(text: string): void;
  /** The skip link: open the chat widget. */
  onOpenChat(): void;
}

const FEATURES: ReadonlyArray<{ icon: IconName; title: MessageKey; text: MessageKey }> = [
  { icon: 'truck', title: 'page.feature1Title', text: 'page.feature1Text' },
  { icon: 'return', title: 'page.feature2Title', text: 'page.feature2Text' },
  { icon: 'shield', title: 'page.feature3Title', text: 'page.feature3Text' },
];
const TRY_ASKING: readonly MessageKey[] = ['page.try1', 'page.try2', 'page.try3'];

/** The demo shop "云朵商城 Cloud Mall": header with the language picker, an introduction, and a slot for the chat. */
export function renderDemoPage(doc: Document, root: HTMLElement, options: DemoPageOptions): DemoPage {
  let t: Translate = translator(options.locale);
  const texts: Array<[HTMLElement, MessageKey]> = [];
  /** An element whose text is the catalogue entry `key`, kept in step with the locale. */
  const text = <K extends keyof HTMLElementTagNameMap>(tag: K, key: MessageKey, props: Record<string, string> = {}) => {
    const node = el(doc, tag, props, [t(key)]);
    texts.push([node, key]);
    return node;
  };

  const skip = text('a', 'page.skipToChat', { className: 'skip-link', href: '#chat' });
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    options.onOpenChat();
  });

  const picker = el(doc, 'select', { id: 'locale', 'data-testid': 'locale' });
  for (const l of LOCALES) picker.append(new Option(LOCALE_NAMES[l], l, false, l === options.locale));
  const header = el(doc, 'header', { className: 'site-header' }, [
    el(doc, 'div', { className: 'site-header__inner' }, [
      el(doc, 'p', { className: 'brand' }, [
        el(doc, 'span', { className: 'brand__logo' }, [icon(doc, 'cloud')]),
        el(doc, 'span', { className: 'brand__text' }, [
          text('span', 'page.brand', { className: 'brand__name' }),
          text('span', 'page.brandSub', { className: 'brand__sub' }),
        ]),
      ]),
      text('span', 'page.demoBadge', { className: 'badge' }),
      el(doc, 'div', { className: 'locale-picker' }, [icon(doc, 'globe'), text('label', 'page.language', { htmlFor: 'locale' }), picker]),
    ]),
  ]);

  const intro = el(doc, 'section', { className: 'intro', 'aria-labelledby': 'hero-title' }, [
    text('h1', 'page.heroTitle', { id: 'hero-title' }),
    text('p', 'page.heroText', { className: 'intro__text' }),
  ]);

  const chatSlot = el(doc, 'div', { className: 'chat-slot', id: 'chat', 'aria-hidden': 'true' });

  const features = el(
    doc,
    'ul',
    { className: 'features' },
    FEATURES.map((f) =>
      el(doc, 'li', { className: 'feature' }, [
        el(doc, 'span', { className: 'feature__icon' }, [icon(doc, f.icon)]),
        text('h2', f.title, { className: 'feature__title' }),
        text('p', f.text),
      ]),
    ),
  );
  const asks = TRY_ASKING.map((key) => {
    const button = text('button', key, { type: 'button', className: 'try__ask' });
    button.addEventListener('click', () => options.onAsk(t(key)));
    return button;
  });
  const consoleLink = el(doc, 'a', { className: 'try__console', href: '/app/', target: '_blank', rel: 'noopener' }, [
    text('span', 'page.consoleLink'),
    icon(doc, 'external'),
  ]);
  const tryBox = el(doc, 'div', { className: 'try' }, [
    text('h2', 'page.tryTitle', { className: 'try__title', id: 'try-title' }),
    text('p', 'page.tryText', { className: 'try__text' }),
    el(doc, 'div', { className: 'try__list' }, asks),
    text('p', 'page.agentTip', { className: 'try__tip' }),
    consoleLink,
  ]);
  const details = el(doc, 'section', { className: 'details', 'aria-labelledby': 'try-title' }, [features, tryBox]);

  const main = el(doc, 'main', { className: 'layout' }, [intro, chatSlot, details]);
  const footer = el(doc, 'footer', { className: 'site-footer' }, [text('p', 'page.footer')]);
  root.replaceChildren(skip, header, main, footer);

  const apply = (locale: Locale) => {
    t = translator(locale);
    doc.documentElement.lang = locale;
    doc.title = t('page.title');
    for (const [node, key] of texts) node.textContent = t(key);
  };
  apply(options.locale);

  return {
    chatSlot,
    localePicker: picker,
    setLocale(locale) {
      picker.value = locale;
      apply(locale);
    },
  };
}
