import type { IntentModelRun } from '@kefu/protocol';
import { Fragment, useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { formatFull, formatMs, formatPercent, formatRelative, formatScore } from '../../lib/format';
import { runReport } from '../../lib/intents';
import { followLink, navigateTo, understandingHref } from '../../state/route';
import { useIntentRuns } from '../../state/use-intent-runs';
import { ErrorNotice } from '../ErrorNotice';
import { KbPageHead } from '../knowledge/KbPageHead';
import { EvaluationReport } from './EvaluationReport';
import { RunProgress } from './RunProgress';

/**
 * Train the intent model and follow the run live (frames, polling as the fallback); every run with its
 * numbers; and the held-out evaluation of the serving run, or of the one picked (`?run=`).
 */
export function TrainingPanel({ params, canEdit }: { params: URLSearchParams; canEdit: boolean }) {
  const { t, locale } = useI18n();
  const runs = useIntentRuns();
  // The run this page follows: the one in progress when it opened, or the one started here.
  const [watchId, setWatchId] = useState<string | null>(null);
  const activeId = runs.active?.id ?? null;
  useEffect(() => {
    if (activeId) setWatchId(activeId);
  }, [activeId]);
  const watched = runs.runs.find((r) => r.id === watchId) ?? null;

  const picked = params.get('run');
  const selected = runs.runs.find((r) => r.id === picked && r.status === 'ready') ?? runs.serving ?? runs.runs.find((r) => r.status === 'ready') ?? null;

  const train = async () => {
    const run = await runs.train();
    if (run) {
      setWatchId(run.id);
      if (picked) navigateTo(understandingHref('training'), { replace: true });
    }
  };

  return (
    <section className="kb-page" aria-labelledby="training-title">
      <KbPageHead id="training-title" title={t('nlu.training.title')} subtitle={t('nlu.training.subtitle')}>
        {canEdit && (
          <button type="button" className="btn btn-primary" onClick={() => void train()} disabled={runs.starting || runs.active !== null} data-testid="train">
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <path d="M4 2.8v10.4L13 8z" fill="currentColor" />
            </svg>
            {runs.starting ? t('nlu.training.starting') : runs.active ? t('nlu.training.busy') : t('nlu.training.train')}
          </button>
        )}
      </KbPageHead>
      {!canEdit && <p className="field-hint">{t('nlu.readOnly')}</p>}

      {runs.trainError ? (
        <ErrorNotice error={runs.trainError} onDismiss={runs.clearTrainError}>
          <a className="notice-link" href={understandingHref('intents')} onClick={followLink}>
            {t('nlu.training.toIntents')}
          </a>
        </ErrorNotice>
      ) : null}
      {runs.error ? <ErrorNotice error={runs.error} onDismiss={() => void runs.reload()} /> : null}

      {watched && <CurrentRun run={watched} />}

      <section className="kb-card" aria-labelledby="runs-title">
        <div className="kb-card-head">
          <h2 id="runs-title" className="kb-card-title">
            {t('nlu.runs.title')}
          </h2>
          <span className="muted small">{t('nlu.runs.count', { count: runs.runs.length })}</span>
        </div>
        {runs.loading && runs.runs.length === 0 && <p className="muted">{t('kb.loading')}</p>}
        {!runs.loading && runs.runs.length === 0 && <p className="kb-empty">{t('nlu.runs.empty')}</p>}
        {runs.runs.length > 0 && (
          <div className="table-scroll">
            <table className="kb-table nlu-runs" data-testid="runs-table">
              <thead>
                <tr>
                  <th scope="col">{t('nlu.runs.col.version')}</th>
                  <th scope="col">{t('nlu.runs.col.status')}</th>
                  <th scope="col">{t('nlu.runs.col.when')}</th>
                  <th scope="col" className="num">
                    {t('nlu.runs.col.data')}
                  </th>
                  <th scope="col" className="num">
                    {t('nlu.runs.col.accuracy')}
                  </th>
                  <th scope="col" className="num" title={t('nlu.runs.eceHint')}>
                    {t('nlu.runs.col.ece')}
                  </th>
                  <th scope="col">
                    <span className="sr-only">{t('nlu.runs.col.evaluation')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {runs.runs.map((r) => (
                  <RunRow key={r.id} run={r} selected={selected?.id === r.id} locale={locale} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {selected ? (
        <EvaluationReport run={selected} />
      ) : (
        !runs.loading &&
        !runs.active && (
          <div className="kb-empty test-placeholder">
            <svg viewBox="0 0 64 64" width="64" height="64" aria-hidden="true">
              <rect x="8" y="14" width="48" height="8" rx="4" fill="#dcf7ea" />
              <rect x="8" y="28" width="36" height="8" rx="4" fill="#34d399" />
              <rect x="44" y="28" width="12" height="8" rx="4" fill="#ea580c" opacity=".8" />
              <rect x="8" y="42" width="22" height="8" rx="4" fill="#047857" />
            </svg>
            <p>{t('nlu.eval.pick')}</p>
          </div>
        )
      )}
    </section>
  );
}

function CurrentRun({ run }: { run: IntentModelRun }) {
  const { t, locale } = useI18n();
  const report = runReport(run);
  const title =
    run.status === 'training'
      ? t('nlu.training.current', { version: run.version })
      : run.status === 'ready'
        ? t('nlu.training.readyTitle', { version: run.version })
        : t('nlu.training.failedTitle', { version: run.version });
  return (
    <section className="kb-card import-job nlu-current" aria-labelledby="current-run-title" data-testid="training-current" data-status={run.status}>
      <div className="kb-card-head">
        <h2 id="current-run-title" className="kb-card-title">
          {title}
        </h2>
        <span className="muted small">{t('nlu.runs.data', { examples: report.examples, intents: report.intents })}</span>
      </div>
      <RunProgress run={run} testId="training-progress" />
      <p className="nlu-current-line" role="status">
        {run.status === 'training'
          ? t('nlu.training.progressText', { pct: formatPercent(run.progress, locale) })
          : run.status === 'ready'
            ? t('nlu.training.readyText', {
                version: run.version,
                accuracy: report.heldOut ? formatPercent(report.heldOut.accuracy, locale) : '—',
              })
            : t('nlu.training.failedText', { error: run.error ?? '' })}
      </p>
      {report.warnings.length > 0 && <Warnings run={run} />}
    </section>
  );
}

function Warnings({ run }: { run: IntentModelRun }) {
  const t = useI18n().t;
  const warnings = runReport(run).warnings;
  return (
    <ul className="nlu-warnings" aria-label={t('nlu.runs.warnings', { count: warnings.length })}>
      {warnings.map((w) => (
        <li key={w.intent} className="nlu-warning" data-intent={w.intent}>
          <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
            <path d="M8 2 1.5 13.5h13z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
            <path d="M8 6.5v3.2M8 11.6v.1" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
          {t('nlu.runs.warning', { intent: w.intent, examples: w.examples, min: 5 })}
        </li>
      ))}
    </ul>
  );
}

function RunRow({ run: r, selected, locale }: { run: IntentModelRun; selected: boolean; locale: Parameters<typeof formatPercent>[1] }) {
  const t = useI18n().t;
  const report = runReport(r);
  const took = r.finishedAt ? Date.parse(r.finishedAt) - Date.parse(r.createdAt) : null;
  const extra = r.status === 'failed' || report.warnings.length > 0;
  return (
    <Fragment>
      <tr className={`nlu-run${selected ? ' is-selected' : ''}${extra ? ' has-extra' : ''}`} data-version={r.version} data-status={r.status} data-id={r.id}>
        <td className="nowrap">
          <strong>{t('kb.version', { version: r.version })}</strong>
          {r.serving && <span className="badge nlu-serving">{t('nlu.runs.serving')}</span>}
        </td>
        <td>
          <span className={`badge nlu-status nlu-status-${r.status}`}>{t(`nlu.status.${r.status}`)}</span>
          {r.status === 'training' && <span className="muted small"> {formatPercent(r.progress, locale)}</span>}
        </td>
        <td className="nowrap">
          <time dateTime={r.createdAt} title={formatFull(r.createdAt, locale)}>
            {formatRelative(r.createdAt, locale)}
          </time>
          {took !== null && took >= 0 && <span className="muted small"> · {t('nlu.runs.took', { s: formatMs(took / 1000, locale) })}</span>}
        </td>
        <td className="num">{t('nlu.runs.data', { examples: report.examples, intents: report.intents })}</td>
        <td className="num">{report.heldOut ? formatPercent(report.heldOut.accuracy, locale) : '—'}</td>
        <td className="num">{report.heldOut ? formatScore(report.heldOut.ece, locale, 3) : '—'}</td>
        <td className="num">
          {r.status === 'ready' &&
            (selected ? (
              <span className="muted small" aria-current="true">
                {t('nlu.runs.shown')}
              </span>
            ) : (
              <a
                className="btn btn-small btn-ghost"
                href={understandingHref('training', { query: { run: r.id } })}
                onClick={(e) => followLink(e, { replace: true })}
                aria-label={t('nlu.runs.show', { version: r.version })}
              >
                {t('nlu.runs.showShort')}
              </a>
            ))}
        </td>
      </tr>
      {extra && (
        <tr className="nlu-run-extra">
          <td colSpan={7}>
            {r.status === 'failed' && (
              <p className="nlu-run-error" data-testid="run-error">
                {t('nlu.runs.error', { error: r.error ?? '' })}
              </p>
            )}
            {report.warnings.length > 0 && <Warnings run={r} />}
          </td>
        </tr>
      )}
    </Fragment>
  );
}
