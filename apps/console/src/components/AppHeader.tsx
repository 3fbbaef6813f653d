import { useT } from '../i18n/i18n';
import { useSignedIn } from '../state/session';
import { ConnectionStatus } from './ConnectionStatus';
import { LanguageSwitcher } from './LanguageSwitcher';

export function AppHeader() {
  const t = useT();
  const { session, logout } = useSignedIn();
  const member = session.member;
  return (
    <header className="app-header">
      <a className="skip-link" href="#conversation">
        {t('app.skipToContent')}
      </a>
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
            <rect width="32" height="32" rx="8" fill="currentColor" />
            <path d="M9 11h14v9H15l-4 3v-3H9z" fill="#fff" />
          </svg>
        </span>
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-sub">{t('app.subtitle')}</span>
        <span className="brand-workspace" title={session.workspace.slug}>
          {session.workspace.name}
        </span>
      </div>
      <div className="header-tools">
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
