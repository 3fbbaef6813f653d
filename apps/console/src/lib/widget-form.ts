import type { Locale, WorkspaceSettings, WorkspaceSettingsPatch } from '@kefu/protocol';

/**
 * The web widget's settings form (Settings → Channels): theme, pre-chat form, proactive greeting and
 * the satisfaction survey. Built from what the workspace stored with the server's defaults filled in
 * (the same ones `GET /v1/widget/config` serves), checked as the server checks, and sent as a patch of
 * only the parts that changed. `widget` merges key by key on the server but `theme`, `preChat` and
 * `proactive` are replaced whole, so a changed part is always sent complete. Paths are the server's
 * field paths without `body.`.
 */

export const WIDGET_LOCALES: readonly Locale[] = ['zh-CN', 'zh-TW', 'en'];
export const PRE_CHAT_FIELDS = ['name', 'email', 'phone'] as const;
export type PreChatField = (typeof PRE_CHAT_FIELDS)[number];
/** Whether the pre-chat form asks for a field, and whether the visitor must fill it in. */
export type PreChatAsk = 'off' | 'optional' | 'required';

export const WIDGET_DEFAULTS = {
  color: '#2f6df6',
  position: 'right',
  delaySeconds: 10,
  /** The fields the server asks for when the pre-chat form is on and lists none. */
  fields: { name: 'optional', email: 'required', phone: 'off' } satisfies Record<PreChatField, PreChatAsk>,
} as const;

export const WIDGET_LIMITS = { text: 500, logoUrl: 500, maxDelay: 600 } as const;

export type LocaleTexts = Record<Locale, string>;

export interface WidgetForm {
  color: string;
  position: 'left' | 'right';
  logoUrl: string;
  preChatEnabled: boolean;
  fields: Record<PreChatField, PreChatAsk>;
  preChatIntro: LocaleTexts;
  proactiveEnabled: boolean;
  delaySeconds: string;
  proactiveMessage: LocaleTexts;
  csatEnabled: boolean;
  csatQuestion: LocaleTexts;
}

export type WidgetCheck = 'color' | 'url' | 'tooLong' | 'delay' | 'noField' | 'noMessage';

/** The form's groups, each sent whole when one of its fields changed. */
const GROUPS = {
  theme: ['color', 'position', 'logoUrl'],
  preChat: ['preChatEnabled', 'fields', 'preChatIntro'],
  proactive: ['proactiveEnabled', 'delaySeconds', 'proactiveMessage'],
  csat: ['csatEnabled', 'csatQuestion'],
} as const satisfies Record<string, readonly (keyof WidgetForm)[]>;

export function widgetFormFromSettings(settings: Pick<WorkspaceSettings, 'widget' | 'csat'>): WidgetForm {
  const theme = settings.widget?.theme ?? {};
  const preChat = settings.widget?.preChat ?? {};
  const proactive = settings.widget?.proactive ?? {};
  const csat = settings.csat ?? {};
  return {
    color: (theme.color ?? WIDGET_DEFAULTS.color).toLowerCase(),
    position: theme.position ?? WIDGET_DEFAULTS.position,
    logoUrl: theme.logoUrl ?? '',
    preChatEnabled: preChat.enabled ?? false,
    fields: preChat.fields
      ? Object.fromEntries(
          PRE_CHAT_FIELDS.map((key) => {
            const f = preChat.fields?.find((x) => x.key === key);
            return [key, f ? (f.required ? 'required' : 'optional') : 'off'];
          }),
        )
      : { ...WIDGET_DEFAULTS.fields },
    preChatIntro: texts(preChat.intro),
    proactiveEnabled: proactive.enabled ?? false,
    delaySeconds: String(proactive.delaySeconds ?? WIDGET_DEFAULTS.delaySeconds),
    proactiveMessage: texts(proactive.message),
    csatEnabled: csat.enabled ?? true,
    csatQuestion: texts(csat.question),
  } as WidgetForm;
}

export const widgetFormSignature = (f: WidgetForm) => JSON.stringify(f);

/** What the server would refuse (or what would make a switched-on part do nothing), by path; empty when the form can be saved. */
export function checkWidgetForm(f: WidgetForm): Map<string, WidgetCheck> {
  const out = new Map<string, WidgetCheck>();
  if (!isHexColor(f.color.trim())) out.set('widget.theme.color', 'color');
  const logo = f.logoUrl.trim();
  if (logo && (logo.length > WIDGET_LIMITS.logoUrl || !isHttpUrl(logo)))
    out.set('widget.theme.logoUrl', logo.length > WIDGET_LIMITS.logoUrl ? 'tooLong' : 'url');
  if (f.preChatEnabled && PRE_CHAT_FIELDS.every((k) => f.fields[k] === 'off')) out.set('widget.preChat.fields', 'noField');
  if (delay(f.delaySeconds) === null) out.set('widget.proactive.delaySeconds', 'delay');
  // The server accepts a greeting with no text, and then shows nothing: say so before saving.
  if (f.proactiveEnabled && WIDGET_LOCALES.every((l) => !f.proactiveMessage[l].trim())) out.set('widget.proactive.message', 'noMessage');
  for (const [prefix, key] of [
    ['widget.preChat.intro', 'preChatIntro'],
    ['widget.proactive.message', 'proactiveMessage'],
    ['csat.question', 'csatQuestion'],
  ] as const) {
    for (const l of WIDGET_LOCALES) if (f[key][l].trim().length > WIDGET_LIMITS.text) out.set(`${prefix}.${l}`, 'tooLong');
  }
  return out;
}

/** The patch for what changed from `baseline`; empty when nothing did. Call when `checkWidgetForm` found nothing. */
export function patchFromWidgetForm(f: WidgetForm, baseline: WidgetForm): WorkspaceSettingsPatch {
  const changed = (group: keyof typeof GROUPS) => GROUPS[group].some((k) => JSON.stringify(f[k]) !== JSON.stringify(baseline[k]));
  const widget: NonNullable<WorkspaceSettingsPatch['widget']> = {};
  if (changed('theme')) widget.theme = { color: f.color.trim().toLowerCase(), position: f.position, logoUrl: f.logoUrl.trim() || null };
  if (changed('preChat')) {
    const fields = PRE_CHAT_FIELDS.filter((k) => f.fields[k] !== 'off').map((key) => ({ key, required: f.fields[key] === 'required' }));
    // Switched off with no field chosen: the stored list stays (the server refuses an empty one).
    widget.preChat = { enabled: f.preChatEnabled, ...(fields.length ? { fields } : {}), intro: sent(f.preChatIntro) };
  }
  if (changed('proactive')) {
    widget.proactive = {
      enabled: f.proactiveEnabled,
      delaySeconds: delay(f.delaySeconds) ?? WIDGET_DEFAULTS.delaySeconds,
      message: sent(f.proactiveMessage),
    };
  }
  const patch: WorkspaceSettingsPatch = {};
  if (Object.keys(widget).length) patch.widget = widget;
  if (changed('csat')) patch.csat = { enabled: f.csatEnabled, question: sent(f.csatQuestion) };
  return patch;
}

/**
 * Where a server field error belongs in the form: `body.widget.preChat.fields.1.required` → the
 * fields, `body.widget.theme.color` → the colour. Other paths are returned without `body.`.
 */
export function widgetErrorPath(field: string): string {
  return field.replace(/^body\.?/, '').replace(/^(widget\.preChat\.fields)\..*$/, '$1');
}

/** The form's field paths, to tell errors shown beside a field from those listed in the notice. */
export const WIDGET_FIELD_PATHS: readonly string[] = [
  'widget.theme.color',
  'widget.theme.position',
  'widget.theme.logoUrl',
  'widget.preChat.fields',
  'widget.proactive.delaySeconds',
  'widget.proactive.message',
  ...['widget.preChat.intro', 'widget.proactive.message', 'csat.question'].flatMap((p) => WIDGET_LOCALES.map((l) => `${p}.${l}`)),
];

/** The server paths a form field is sent under, to clear their errors when it changes. */
export function widgetPathsOf(key: keyof WidgetForm): string[] {
  switch (key) {
    case 'color':
    case 'position':
    case 'logoUrl':
      return [`widget.theme.${key}`, 'widget.theme'];
    case 'preChatEnabled':
    case 'fields':
    case 'preChatIntro':
      return ['widget.preChat'];
    case 'proactiveEnabled':
    case 'delaySeconds':
    case 'proactiveMessage':
      return ['widget.proactive'];
    default:
      return ['csat'];
  }
}

export const isHexColor = (s: string) => /^#[0-9a-fA-F]{6}$/.test(s);

/**
 * The contrast ratio (WCAG 2) of white text on a #rrggbb colour: the widget writes white on the
 * launcher and the chat header, which wants at least 3:1 for icons and large text, 4.5:1 for body text.
 */
export function contrastWithWhite(hex: string): number {
  if (!isHexColor(hex)) return 21;
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

/** The text of a locale map for one locale, else the nearest written one, in the order the widget's loader picks it. */
export function textFor(texts: LocaleTexts, locale: Locale): string {
  const order: Locale[] = [locale, locale === 'zh-CN' ? 'zh-TW' : 'zh-CN', 'en', 'zh-CN'];
  return order.map((l) => texts[l].trim()).find(Boolean) ?? '';
}

function texts(v: Partial<Record<Locale, string | undefined>> | undefined): LocaleTexts {
  return { 'zh-CN': v?.['zh-CN'] ?? '', 'zh-TW': v?.['zh-TW'] ?? '', en: v?.en ?? '' };
}

function sent(t: LocaleTexts): Partial<LocaleTexts> {
  return Object.fromEntries(WIDGET_LOCALES.map((l) => [l, t[l].trim()] as const).filter(([, v]) => v));
}

function delay(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,3}$/.test(t)) return null;
  const n = Number(t);
  return n <= WIDGET_LIMITS.maxDelay ? n : null;
}

/** An http(s) address with a host (what the server accepts as a logo). */
export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && Boolean(u.hostname);
  } catch {
    return false;
  }
}
