import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { BrandMark } from '../components/BrandMark';
import { ErrorNotice } from '../components/ErrorNotice';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { useT } from '../i18n/i18n';
import { useSession } from '../state/session';

/** E-mail and password; the workspace field appears only when the server says the e-mail needs one. */
export function LoginPage() {
  const t = useT();
  const { login, expired } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [needsWorkspace, setNeedsWorkspace] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const workspaceInput = useRef<HTMLInputElement>(null);
  const emailInput = useRef<HTMLInputElement>(null);
  const ids = { email: useId(), password: useId(), workspace: useId(), hint: useId() };

  useEffect(() => emailInput.current?.focus(), []);

  useEffect(() => {
    if (needsWorkspace) workspaceInput.current?.focus();
  }, [needsWorkspace]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password, needsWorkspace && workspace.trim() ? workspace.trim() : undefined);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'AUTH_WORKSPACE_REQUIRED' && !needsWorkspace) setNeedsWorkspace(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <div className="login-lang">
        <LanguageSwitcher />
      </div>
      <main className="login-card">
        <div className="login-brand">
          <BrandMark size={40} />
          <div>
            <div className="login-product">
              {t('app.name')} <span className="muted">· {t('app.subtitle')}</span>
            </div>
            <h1 className="login-title">{t('login.title')}</h1>
          </div>
        </div>
        <p className="login-subtitle">{t('login.subtitle')}</p>
        {expired && !error && <p className="notice notice-info">{t('login.sessionExpired')}</p>}
        {error ? <ErrorNotice error={error} /> : null}
        <form onSubmit={submit} className="login-form" noValidate={false}>
          <div className="field">
            <label htmlFor={ids.email}>{t('login.email')}</label>
            <input id={ids.email} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} ref={emailInput} />
          </div>
          <div className="field">
            <label htmlFor={ids.password}>{t('login.password')}</label>
            <input id={ids.password} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          {needsWorkspace && (
            <div className="field">
              <label htmlFor={ids.workspace}>{t('login.workspace')}</label>
              <input
                id={ids.workspace}
                ref={workspaceInput}
                type="text"
                autoComplete="organization"
                required
                pattern="[a-z0-9][a-z0-9-]*"
                value={workspace}
                aria-describedby={ids.hint}
                onChange={(e) => setWorkspace(e.target.value)}
              />
              <p id={ids.hint} className="field-hint">
                {t('login.workspaceHint')}
              </p>
            </div>
          )}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}
