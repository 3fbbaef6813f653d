import { useT } from '../i18n/i18n';
import { useSignedIn } from '../state/session';
import { BrandMark } from './BrandMark';
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
        <BrandMark size={28} />
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
