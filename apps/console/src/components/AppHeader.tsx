import { useT } from '../i18n/i18n';
import { automationHref, followLink, inboxHref, knowledgeHref, type Section, settingsHref, ticketsHref, understandingHref, useRoute } from '../state/route';
import { useSignedIn } from '../state/session';
import { BrandMark } from './BrandMark';
import { ConnectionStatus } from './ConnectionStatus';
import { LanguageSwitcher } from './LanguageSwitcher';
import { MentionsIndicator } from './MentionsIndicator';
import { PresenceSwitch } from './PresenceSwitch';

/** `contentId` is where the skip link jumps: the open conversation, or the main area of a section. */
export function AppHeader({ contentId = 'conversation' }: { contentId?: string }) {
  const t = useT();
  const { session, logout } = useSignedIn();
  const [route] = useRoute();
  const member = session.member;
  return (
    <header className="app-header">
      <a className="skip-link" href={`#${contentId}`}>
        {t('app.skipToContent')}
      </a>
      <div className="brand">
        <BrandMark size={28} />
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-sub">{t('app.subtitle')}</span>
        <span className="brand-workspace" title={session.workspace.slug}>
          {session.workspace.name}
        </span>
      </div>
      <nav className="app-nav" aria-label={t('nav.label')}>
        <NavLink section="inbox" current={route.section} href={inboxHref()} label={t('nav.inbox')} />
        <NavLink section="tickets" current={route.section} href={ticketsHref()} label={t('nav.tickets')} />
        <NavLink section="knowledge" current={route.section} href={knowledgeHref()} label={t('nav.knowledge')} />
        <NavLink section="understanding" current={route.section} href={understandingHref()} label={t('nav.understanding')} />
        <NavLink section="automation" current={route.section} href={automationHref()} label={t('nav.automation')} />
        <NavLink section="settings" current={route.section} href={settingsHref()} label={t('nav.settings')} />
      </nav>
      <div className="header-tools">
        <PresenceSwitch />
        {member && <MentionsIndicator />}
        <ConnectionStatus />
        <LanguageSwitcher />
        {member && (
          <span className="header-member" title={t('header.signedInAs', { name: member.name, role: t(`role.${member.role}`) })}>
            <span className="header-member-name">{member.name}</span>
            <span className="header-member-role">{t(`role.${member.role}`)}</span>
          </span>
        )}
        <button type="button" className="btn btn-ghost" onClick={() => void logout()}>
          {t('header.logout')}
        </button>
      </div>
    </header>
  );
}

function NavLink({ section, current, href, label }: { section: Section; current: Section; href: string; label: string }) {
  const active = section === current;
  return (
    <a
      href={href}
      className={`app-nav-link${active ? ' is-active' : ''}`}
      aria-current={active ? 'page' : undefined}
      title={label}
      data-nav={section}
      onClick={followLink}
    >
      <NavIcon section={section} />
      <span className="app-nav-label">{label}</span>
    </a>
  );
}

const ICON_PATHS: Record<Section, string> = {
  inbox: 'M3 11.5V5.5A2.5 2.5 0 0 1 5.5 3h9A2.5 2.5 0 0 1 17 5.5v6M3 11.5h4l1 2h4l1-2h4v3A2.5 2.5 0 0 1 14.5 17h-9A2.5 2.5 0 0 1 3 14.5z',
  // A ticket stub with a perforation.
  tickets:
    'M3 5.5A1.5 1.5 0 0 1 4.5 4h11A1.5 1.5 0 0 1 17 5.5V8a2 2 0 0 0 0 4v2.5a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 3 14.5V12a2 2 0 0 0 0-4zM12 4.5v2M12 9v2M12 13.5v2',
  knowledge: 'M4 3.5h8.5A2.5 2.5 0 0 1 15 6v10.5H6.5A2.5 2.5 0 0 1 4 14zM4 14a2.5 2.5 0 0 1 2.5-2.5H15M7.5 7h4',
  understanding:
    'M4 3.5h12A1.5 1.5 0 0 1 17.5 5v7.5A1.5 1.5 0 0 1 16 14H9.5L6 17v-3H4a1.5 1.5 0 0 1-1.5-1.5V5A1.5 1.5 0 0 1 4 3.5zM6.8 8.8h.01M10 8.8h.01M13.2 8.8h.01',
  // Two steps joined by an arrow: a flow.
  automation: 'M3 3h6v4.5H3zM11 12.5h6V17h-6zM6 7.5v4a2 2 0 0 0 2 2h3M9.5 11.8l1.5 1.7-1.5 1.7',
  // Three sliders.
  settings:
    'M3 5.5h2.5M9.5 5.5H17M9.5 5.5a2 2 0 1 1-4 0a2 2 0 1 1 4 0M3 10h7.5M14.5 10H17M14.5 10a2 2 0 1 1-4 0a2 2 0 1 1 4 0M3 14.5h1M8 14.5h9M8 14.5a2 2 0 1 1-4 0a2 2 0 1 1 4 0',
};

function NavIcon({ section }: { section: Section }) {
  return (
    <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
      <path d={ICON_PATHS[section]} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}
