import { type ReactNode, useEffect, useRef } from 'react';
import { useT } from '../i18n/i18n';
import { followLink } from '../state/route';
import { AppHeader } from './AppHeader';

export interface SectionTab {
  id: string;
  label: string;
  href: string;
}

/**
 * A console section with a row of tabs (Knowledge, Understanding): the header, the tab bar with a
 * read-only badge for viewers, and a scrolling main area that starts at its top on every new page.
 */
export function SectionLayout(props: {
  title: string;
  /** The main area's id (the header's skip link targets it). */
  contentId: string;
  canEdit: boolean;
  tabs: readonly SectionTab[];
  activeTab: string;
  /** Changes when a different page is shown (tab, entry): the main area then scrolls to its top. */
  pageKey: string;
  /** The document title, or null when the page sets its own (an editor names its entry). */
  documentTitle: string | null;
  children: ReactNode;
}) {
  const t = useT();
  const main = useRef<HTMLElement>(null);
  const { documentTitle, pageKey } = props;

  useEffect(() => {
    if (documentTitle !== null) document.title = documentTitle;
  }, [documentTitle]);

  // The scroller is the page body, not the window.
  // biome-ignore lint/correctness/useExhaustiveDependencies: pageKey is what makes it a new page
  useEffect(() => {
    main.current?.scrollTo({ top: 0 });
  }, [pageKey]);

  return (
    <div className="shell">
      <AppHeader contentId={props.contentId} />
      <div className="kb">
        <nav className="kb-nav" aria-label={props.title}>
          <span className="kb-nav-title">
            {props.title}
            {!props.canEdit && <span className="badge badge-muted kb-readonly-badge">{t('kb.readOnlyBadge')}</span>}
          </span>
          <ul className="kb-tabs">
            {props.tabs.map((tab) => {
              const active = tab.id === props.activeTab;
              return (
                <li key={tab.id}>
                  <a
                    href={tab.href}
                    className={`kb-tab${active ? ' is-active' : ''}`}
                    aria-current={active ? 'page' : undefined}
                    onClick={followLink}
                    data-tab={tab.id}
                  >
                    {tab.label}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <main className="kb-main" id={props.contentId} tabIndex={-1} ref={main}>
          <div className="kb-content">{props.children}</div>
        </main>
      </div>
    </div>
  );
}
