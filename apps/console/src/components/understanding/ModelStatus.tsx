import type { Intent } from '@kefu/protocol';
import { useI18n } from '../../i18n/i18n';
import { formatFull, formatPercent, formatRelative } from '../../lib/format';
import { modelState, runReport } from '../../lib/intents';
import { followLink, understandingHref } from '../../state/route';
import type { IntentRuns } from '../../state/use-intent-runs';
import { ErrorNotice } from '../ErrorNotice';
import { RunProgress } from './RunProgress';

const MAX_NAMES = 5;

/**
 * Whether the serving model knows the intents as they are now: a run in progress, no model yet,
 * intents changed since the serving model was trained (with "Train now"), or up to date.
 */
export function ModelStatus({ intents, runs, canEdit }: { intents: readonly Intent[]; runs: IntentRuns; canEdit: boolean }) {
  const { t, locale } = useI18n();
  const trainingLink = (
    <a className="notice-link" href={understandingHref('training')} onClick={followLink}>
      {t('nlu.model.seeTraining')}
    </a>
  );
  const trainButton = canEdit && (
    <button type="button" className="btn btn-small btn-primary" onClick={() => void runs.train()} disabled={runs.starting} data-testid="train-now">
      {runs.starting ? t('nlu.training.starting') : t('nlu.model.trainNow')}
    </button>
  );
  const error = runs.trainError ? <ErrorNotice error={runs.trainError} compact onDismiss={runs.clearTrainError} /> : null;

  if (runs.active) {
    const run = runs.active;
    return (
      <section className="kb-card nlu-model-status is-training" aria-labelledby="model-status-title" data-testid="model-status" data-state="training">
        <div className="kb-card-head">
          <h2 id="model-status-title" className="kb-card-title">
            {t('nlu.training.current', { version: run.version })}
          </h2>
          {trainingLink}
        </div>
        <RunProgress run={run} />
      </section>
    );
  }
  if (runs.loading && runs.runs.length === 0) return null;

  const state = modelState(intents, runs.runs);
  if (state.kind === 'empty') return error;
  if (state.kind === 'current') {
    const report = runReport(state.serving);
    return (
      <div className="notice notice-success nlu-model-status" role="status" data-testid="model-status" data-state="current">
        <div className="notice-body">
          <strong className="notice-message">{t('nlu.model.current', { version: state.serving.version })}</strong>
          <span>
            <time
              dateTime={state.serving.finishedAt ?? state.serving.createdAt}
              title={formatFull(state.serving.finishedAt ?? state.serving.createdAt, locale)}
            >
              {t('nlu.model.trainedAt', { time: formatRelative(state.serving.finishedAt ?? state.serving.createdAt, locale) })}
            </time>
            {report.heldOut && ` · ${t('nlu.model.accuracy', { pct: formatPercent(report.heldOut.accuracy, locale) })}`} · {trainingLink}
          </span>
        </div>
      </div>
    );
  }
  const names = state.kind === 'stale' ? state.changed : [];
  return (
    <div className="notice notice-warn nlu-model-status" role="status" data-testid="model-status" data-state={state.kind}>
      <div className="notice-body">
        <strong className="notice-message">
          {state.kind === 'untrained' ? t('nlu.model.untrained') : t('nlu.model.stale', { version: state.serving.version })}
        </strong>
        {state.kind === 'untrained' ? (
          <span>{t('nlu.model.untrainedHint')}</span>
        ) : (
          <span>
            {names.length > 0 &&
              t('nlu.model.staleChanged', {
                names:
                  names.slice(0, MAX_NAMES).join(t('kb.listSeparator')) +
                  (names.length > MAX_NAMES ? t('nlu.model.andMore', { count: names.length - MAX_NAMES }) : ''),
              })}{' '}
            {state.examplesThen !== state.examplesNow && t('nlu.model.staleCounts', { before: state.examplesThen, now: state.examplesNow })}
          </span>
        )}
        <span className="notice-actions">
          {trainButton}
          {trainingLink}
        </span>
        {error}
      </div>
    </div>
  );
}
