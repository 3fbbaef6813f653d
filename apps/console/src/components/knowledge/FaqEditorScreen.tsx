import type { FaqEntry } from '@kefu/protocol';
import { useCallback, useEffect, useState } from 'react';
import { knowledgeApi } from '../../api/knowledge';
import { useI18n } from '../../i18n/i18n';
import { formatFull, formatRelative } from '../../lib/format';
import { followLink, knowledgeHref, navigateTo } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { useMemberNames } from '../../state/use-member-names';
import { ErrorNotice } from '../ErrorNotice';
import { FaqForm, type FaqWarning, type SaveKind } from './FaqForm';
import { FaqHistory } from './FaqHistory';
import { faqListHref } from './FaqList';
import { FaqReadView } from './FaqReadView';
import { AudienceBadge, FaqStatusBadge } from './KnowledgeBadges';

type Outcome = { kind: SaveKind | 'restored'; version: number; from?: number; warnings: FaqWarning[] };

// A create moves to the new entry's address; its answer (and warnings) ride along to the next screen.
const handOver = new Map<string, { entry: FaqEntry; outcome: Outcome }>();

export function FaqEditorScreen({ faqId, canEdit }: { faqId: string; canEdit: boolean }) {
  return faqId === 'new' ? <NewFaq canEdit={canEdit} /> : <ExistingFaq key={faqId} id={faqId} canEdit={canEdit} />;
}

function BackLink() {
  const t = useI18n().t;
  return (
    <a className="kb-back" href={faqListHref()} onClick={followLink}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <path d="M10 3.5 5.5 8l4.5 4.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      {t('kb.faq.back')}
    </a>
  );
}

const noop = () => {};

function NewFaq({ canEdit }: { canEdit: boolean }) {
  const t = useI18n().t;
  return (
    <div className="faq-screen">
      <header className="faq-screen-head">
        <BackLink />
        <h1 className="kb-title">{t('kb.editor.newTitle')}</h1>
      </header>
      <div className="faq-screen-cols">
        <div className="faq-screen-main">
          {canEdit ? (
            <FaqForm
              entry={null}
              onSaved={(entry, warnings, kind) => {
                handOver.set(entry.id, { entry, outcome: { kind, version: entry.version, warnings } });
                navigateTo(knowledgeHref('faq', { faqId: entry.id }), { replace: true, force: true });
              }}
              onReload={async () => {}}
              onDirtyChange={noop}
            />
          ) : (
            <p className="notice notice-info">{t('kb.readOnly')}</p>
          )}
        </div>
        <aside className="faq-screen-side">
          <section className="kb-card kb-tips">
            <h2 className="kb-card-title">{t('kb.tips.title')}</h2>
            <ul>
              <li>{t('kb.tips.similar')}</li>
              <li>{t('kb.tips.answer')}</li>
              <li>{t('kb.tips.audience')}</li>
              <li>{t('kb.tips.test')}</li>
            </ul>
          </section>
        </aside>
      </div>
    </div>
  );
}

function ExistingFaq({ id, canEdit }: { id: string; canEdit: boolean }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const [handed] = useState(() => handOver.get(id));
  const entry = useLoad((signal) => knowledgeApi.getFaq(api, id, signal), [api, id]);
  const versions = useLoad((signal) => knowledgeApi.versions(api, id, signal), [api, id]);
  const names = useMemberNames();
  const [outcome, setOutcome] = useState<Outcome | null>(handed?.outcome ?? null);
  const [dirty, setDirty] = useState(false);
  const [restoring, setRestoring] = useState<number | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const current = entry.data ?? handed?.entry ?? null;

  useEffect(() => {
    handOver.delete(id);
  }, [id]);

  useEffect(() => {
    if (current) document.title = `${current.question} · ${t('kb.title')}`;
  }, [current, t]);

  const onSaved = useCallback(
    (e: FaqEntry, warnings: FaqWarning[], kind: SaveKind) => {
      entry.setData(e);
      setOutcome({ kind, version: e.version, warnings });
      setActionError(null);
      void versions.reload();
    },
    [entry.setData, versions.reload],
  );

  const onReload = useCallback(async () => {
    setOutcome(null);
    await Promise.all([entry.reload(), versions.reload()]);
  }, [entry.reload, versions.reload]);

  const onRestore = async (version: number) => {
    if (dirty && !window.confirm(t('kb.editor.discardConfirm'))) return;
    setRestoring(version);
    setActionError(null);
    try {
      const e = await knowledgeApi.restore(api, id, version);
      entry.setData(e);
      setOutcome({ kind: 'restored', version: e.version, from: version, warnings: [] });
      await versions.reload();
    } catch (err) {
      setActionError(err);
    } finally {
      setRestoring(null);
    }
  };

  if (!current) {
    return (
      <div className="faq-screen">
        <header className="faq-screen-head">
          <BackLink />
        </header>
        {entry.error ? <ErrorNotice error={entry.error} /> : <p className="kb-empty">{t('kb.editor.loading')}</p>}
      </div>
    );
  }

  const author = current.updatedBy ? (names.get(current.updatedBy) ?? null) : null;
  return (
    <div className="faq-screen" data-faq-id={current.id} data-version={current.version}>
      <header className="faq-screen-head">
        <BackLink />
        <div className="faq-screen-title">
          <h1 className="kb-title" data-testid="faq-title">
            {current.question}
          </h1>
          <div className="faq-screen-meta">
            <FaqStatusBadge status={current.status} />
            <AudienceBadge audience={current.audience} />
            <span className="faq-version" data-testid="faq-version">
              {t('kb.version', { version: current.version })}
            </span>
            <span className="muted">
              <time dateTime={current.updatedAt} title={formatFull(current.updatedAt, locale)}>
                {t('kb.editor.updated', { time: formatRelative(current.updatedAt, locale) })}
              </time>
              {author && ` · ${author}`}
            </span>
          </div>
        </div>
        <a className="btn btn-small" href={knowledgeHref('test', { query: { q: current.question } })} onClick={followLink}>
          {t('kb.editor.testIt')}
        </a>
      </header>

      {outcome && <OutcomeNotice outcome={outcome} onDismiss={() => setOutcome(null)} />}
      {actionError ? <ErrorNotice error={actionError} onDismiss={() => setActionError(null)} /> : null}
      {entry.error ? <ErrorNotice error={entry.error} compact /> : null}

      <div className="faq-screen-cols">
        <div className="faq-screen-main">
          {canEdit ? (
            <FaqForm key={`${current.id}:${current.version}`} entry={current} onSaved={onSaved} onReload={onReload} onDirtyChange={setDirty} />
          ) : (
            <FaqReadView entry={current} />
          )}
        </div>
        <aside className="faq-screen-side">
          <FaqHistory versions={versions} currentVersion={current.version} canEdit={canEdit} names={names} onRestore={onRestore} restoring={restoring} />
        </aside>
      </div>
    </div>
  );
}

function OutcomeNotice({ outcome, onDismiss }: { outcome: Outcome; onDismiss(): void }) {
  const { t, has } = useI18n();
  const text =
    outcome.kind === 'created'
      ? t('kb.saved.created')
      : outcome.kind === 'archived'
        ? t('kb.saved.archived', { version: outcome.version })
        : outcome.kind === 'restored'
          ? t('kb.saved.restored', { from: outcome.from ?? 0, version: outcome.version })
          : t('kb.saved.updated', { version: outcome.version });
  return (
    <div className={`notice ${outcome.warnings.length ? 'notice-warn' : 'notice-success'}`} role="status" data-testid="faq-outcome">
      <div className="notice-body">
        <strong className="notice-message">{text}</strong>
        {outcome.warnings.length > 0 && (
          <ul className="notice-warnings" data-testid="faq-warnings">
            {outcome.warnings.map((w) => {
              const key = `kb.warning.${w.code}`;
              return (
                <li key={`${w.code}:${w.entryId ?? w.message}`} data-code={w.code}>
                  {has(key) ? t(key) : w.message}
                  {w.entryId && (
                    <>
                      {' '}
                      <a className="notice-link" href={knowledgeHref('faq', { faqId: w.entryId })} onClick={followLink}>
                        {t('kb.warning.open')}
                      </a>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
      <button type="button" className="btn-icon" onClick={onDismiss} aria-label={t('error.dismiss')} title={t('error.dismiss')}>
        ×
      </button>
    </div>
  );
}
