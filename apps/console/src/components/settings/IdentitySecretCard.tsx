import { useEffect, useId, useRef, useState } from 'react';
import { settingsApi } from '../../api/settings';
import { useT } from '../../i18n/i18n';
import { useSignedIn } from '../../state/session';
import { CopyButton } from '../CopyButton';
import { ErrorNotice } from '../ErrorNotice';
import { Field } from '../FormField';
import { SuccessNotice } from '../SuccessNotice';

const NODE_EXAMPLE = `// Node.js, on your server: never send the secret to the browser
import { createHmac } from 'node:crypto';

const hash = createHmac('sha256', process.env.KEFU_IDENTITY_SECRET)
  .update(user.id)
  .digest('hex');
// In the page: kefu('identify', { id: user.id, name: user.name, hash })`;

/**
 * The widget's identity-verification secret (admins only, docs/widget.md): hidden until asked for
 * (reading it makes one on first use), copied from here to the customer's server, and rotated behind
 * a confirmation that says what breaks: every signed-in user's hash until the server uses the new one.
 */
export function IdentitySecretCard() {
  const t = useT();
  const { api } = useSignedIn();
  const id = useId();
  const [secret, setSecret] = useState<string | null>(null);
  const [shown, setShown] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [rotated, setRotated] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  const rotateButton = useRef<HTMLButtonElement>(null);

  const wasConfirming = useRef(false);

  // The confirmation takes focus to its safe choice and gives it back to the rotate button when it closes.
  useEffect(() => {
    if (confirming) cancel.current?.focus();
    else if (wasConfirming.current) rotateButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const load = async (): Promise<string | null> => {
    if (secret !== null) return secret;
    setError(null);
    try {
      const r = await settingsApi.identitySecret(api);
      setSecret(r.secret);
      return r.secret;
    } catch (err) {
      setError(err);
      return null;
    }
  };
  const toggle = async () => {
    if (shown) {
      setShown(false);
      return;
    }
    setBusy(true);
    if ((await load()) !== null) setShown(true);
    setBusy(false);
  };
  const rotate = async () => {
    setBusy(true);
    setError(null);
    setRotated(false);
    try {
      const r = await settingsApi.rotateIdentitySecret(api);
      setSecret(r.secret);
      setShown(true);
      setRotated(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <section className="kb-card settings-stack" aria-labelledby={`${id}-title`} data-testid="identity-secret-card">
      <h3 id={`${id}-title`} className="kb-card-title">
        {t('widget.identity.title')}
      </h3>
      <p className="field-hint">{t('widget.identity.hint')}</p>
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      {rotated && <SuccessNotice message={t('widget.identity.rotated')} onDismiss={() => setRotated(false)} />}
      <Field id={`${id}-secret`} label={t('widget.identity.secret')} messages={[]} hint={t('widget.identity.secretHint')}>
        <div className="copy-row">
          <input
            id={`${id}-secret`}
            className="kb-input kb-mono"
            type={shown ? 'text' : 'password'}
            readOnly
            value={shown && secret !== null ? secret : ''}
            placeholder={shown ? '' : '••••••••••••••••••••••••'}
            aria-describedby={`${id}-secret-hint`}
            autoComplete="off"
            spellCheck={false}
            data-testid="identity-secret"
          />
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void toggle()}
            disabled={busy}
            aria-pressed={shown}
            data-testid="identity-secret-reveal"
          >
            {shown ? t('widget.identity.hide') : t('widget.identity.show')}
          </button>
          <CopyButton text={load} disabled={busy} testId="identity-secret-copy" onRefused={() => setShown(true)} />
          <button
            ref={rotateButton}
            type="button"
            className="btn btn-small btn-ghost btn-danger-text"
            onClick={() => setConfirming(true)}
            disabled={busy}
            aria-expanded={confirming}
            data-testid="identity-secret-rotate"
          >
            {t('widget.identity.rotate')}
          </button>
        </div>
      </Field>
      {confirming && (
        <div className="notice notice-warn inline-confirm" role="alertdialog" aria-labelledby={`${id}-q`} aria-describedby={`${id}-why`}>
          <div className="notice-body">
            <strong className="notice-message" id={`${id}-q`}>
              {t('widget.identity.rotateQuestion')}
            </strong>
            <span id={`${id}-why`}>{t('widget.identity.rotateExplain')}</span>
            <div className="notice-actions">
              <button
                type="button"
                className="btn btn-small btn-danger"
                onClick={() => void rotate()}
                disabled={busy}
                data-testid="identity-secret-rotate-confirm"
              >
                {t('widget.identity.rotateConfirm')}
              </button>
              <button ref={cancel} type="button" className="btn btn-small" onClick={() => setConfirming(false)} disabled={busy}>
                {t('kb.cancel')}
              </button>
            </div>
          </div>
        </div>
      )}
      <h4 className="kb-subtitle">{t('widget.identity.example')}</h4>
      <pre className="code-block" data-testid="identity-example">
        <code>{NODE_EXAMPLE}</code>
      </pre>
    </section>
  );
}
