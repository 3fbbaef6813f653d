import type { IntentModelRun } from '@kefu/protocol';
import { useI18n } from '../../i18n/i18n';
import { formatPercent } from '../../lib/format';

/** A training run's progress bar: blue while training, green when ready, red when failed. */
export function RunProgress({ run, testId }: { run: IntentModelRun; testId?: string }) {
  const { t, locale } = useI18n();
  const fraction = run.status === 'training' ? Math.min(1, Math.max(0, run.progress)) : 1;
  const text = run.status === 'training' ? t('nlu.training.progressText', { pct: formatPercent(fraction, locale) }) : t(`nlu.status.${run.status}`);
  return (
    <div
      className={`import-progress nlu-progress is-${run.status === 'ready' ? 'done' : run.status}`}
      role="progressbar"
      aria-label={t('nlu.training.progress', { version: run.version })}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(fraction * 100)}
      aria-valuetext={text}
      data-status={run.status}
      data-testid={testId}
    >
      <span style={{ width: `${fraction * 100}%` }} />
    </div>
  );
}
