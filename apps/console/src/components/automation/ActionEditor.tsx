import { useCallback, useEffect, useState } from 'react';
import { type Action, actionsApi } from '../../api/automation';
import { useI18n } from '../../i18n/i18n';
import { formatFull, formatRelative } from '../../lib/format';
import { automationHref, followLink, navigateTo } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { ActionFormView } from './ActionFormView';
import { ActionTestPanel } from './ActionTestPanel';

type Outcome = 'created' | 'saved';
// A create moves to the new action's address; the saved action rides along.
const handOver = new Map<string, Action>();

/** An action's editor with a test call beside it, or the form for a new action (`new`). */
export function ActionEditorScreen({ actionId }: { actionId: string }) {
  return actionId === 'new' ? <NewAction /> : <ExistingAction id={actionId} />;
}

function BackLink() {
  const t = useI18n().t;
  return (
    <a className="kb-back" href={automationHref('actions')} onClick={followLink}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <path d="M10 3.5 5.5 8l4.5 4.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      {t('actions.back')}
    </a>
  );
}

function NewAction() {
  const t = useI18n().t;
  useEffect(() => {
    document.title = `${t('actions.newTitle')} · ${t('auto.title')}`;
  }, [t]);
  return (
    <div className="faq-screen">
      <header className="faq-screen-head">
        <BackLink />
        <h1 className="kb-title">{t('actions.newTitle')}</h1>
      </header>
      <div className="faq-screen-cols">
        <div className="faq-screen-main">
          <ActionFormView
            action={null}
            onSaved={(a) => {
              handOver.set(a.id, a);
              navigateTo(automationHref('actions', { actionId: a.id }), { replace: true, force: true });
            }}
          />
        </div>
        <aside className="faq-screen-side action-side">
          <section className="kb-card kb-tips">
            <h2 className="kb-card-title">{t('actions.test.title')}</h2>
            <p className="muted small">{t('actions.test.saveFirst')}</p>
          </section>
          <ActionTips />
        </aside>
      </div>
    </div>
  );
}

function ExistingAction({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const [handed] = useState(() => handOver.get(id));
  const loaded = useLoad((signal) => actionsApi.get(api, id, signal), [api, id]);
  const [outcome, setOutcome] = useState<Outcome | null>(handed ? 'created' : null);
  const [dirty, setDirty] = useState(false);
  const action = loaded.data ?? handed ?? null;
  const { setData } = loaded;

  useEffect(() => {
    handOver.delete(id);
  }, [id]);

  useEffect(() => {
    if (action) document.title = `${action.key} · ${t('auto.title')}`;
  }, [action, t]);

  const onSaved = useCallback(
    (a: Action) => {
      setData(a);
      setOutcome('saved');
    },
    [setData],
  );

  if (!action) {
    return (
      <div className="faq-screen">
        <header className="faq-screen-head">
          <BackLink />
        </header>
        {loaded.error ? <ErrorNotice error={loaded.error} /> : <p className="kb-empty">{t('actions.loadingOne')}</p>}
      </div>
    );
  }

  return (
    <div className="faq-screen" data-action-id={action.id}>
      <header className="faq-screen-head">
        <BackLink />
        <div className="faq-screen-title">
          <h1 className="kb-title is-mono" data-testid="action-title">
            {action.key}
          </h1>
          <div className="faq-screen-meta">
            {action.description && <span className="muted">{action.description}</span>}
            <span className="muted">
              <time dateTime={action.updatedAt} title={formatFull(action.updatedAt, locale)}>
                {t('kb.editor.updated', { time: formatRelative(action.updatedAt, locale) })}
              </time>
            </span>
          </div>
        </div>
      </header>
      {outcome && (
        <div className="notice notice-success" role="status" data-testid="action-outcome">
          <div className="notice-body">
            <strong className="notice-message">{t(outcome === 'created' ? 'actions.outcome.created' : 'actions.outcome.saved')}</strong>
          </div>
          <button type="button" className="btn-icon" onClick={() => setOutcome(null)} aria-label={t('error.dismiss')} title={t('error.dismiss')}>
            ×
          </button>
        </div>
      )}
      <div className="faq-screen-cols">
        <div className="faq-screen-main">
          <ActionFormView key={`${action.id}:${action.updatedAt}`} action={action} onSaved={onSaved} onDirtyChange={setDirty} />
        </div>
        <aside className="faq-screen-side action-side">
          <ActionTestPanel action={action} dirty={dirty} />
          <ActionTips />
        </aside>
      </div>
    </div>
  );
}

function ActionTips() {
  const t = useI18n().t;
  return (
    <section className="kb-card kb-tips">
      <h2 className="kb-card-title">{t('actions.tips.title')}</h2>
      <ul>
        <li>{t('actions.tips.templates')}</li>
        <li>{t('actions.tips.secrets')}</li>
        <li>{t('actions.tips.retries')}</li>
        <li>{t('actions.tips.flows')}</li>
      </ul>
    </section>
  );
}
