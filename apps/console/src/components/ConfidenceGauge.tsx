import { useI18n } from '../i18n/i18n';
import { formatScore } from '../lib/format';

const pct = (n: number) => `${Math.min(100, Math.max(0, n * 100))}%`;

/** Retrieval confidence on a 0–1 bar with the answer threshold marked, and whether it clears it. */
export function ConfidenceGauge({ confidence, threshold }: { confidence: number; threshold: number | null }) {
  const { t, locale } = useI18n();
  const pass = threshold === null ? null : confidence >= threshold;
  return (
    <div className="gauge">
      <div className="gauge-label">
        <span>{t('trace.confidence')}</span>
        <strong className="gauge-value">{formatScore(confidence, locale)}</strong>
        {pass !== null && (
          <span className={`gauge-verdict ${pass ? 'is-pass' : 'is-fail'}`}>{pass ? t('trace.aboveThreshold') : t('trace.belowThreshold')}</span>
        )}
      </div>
      <meter className="sr-only" min={0} max={1} value={confidence} aria-label={t('trace.confidence')} />
      <div className="gauge-track" aria-hidden="true">
        <span className={`gauge-fill ${pass === false ? 'is-fail' : 'is-pass'}`} style={{ width: pct(confidence) }} />
        {threshold !== null && (
          <span className="gauge-threshold" style={{ left: pct(threshold) }}>
            <span className="gauge-threshold-label">{t('trace.threshold', { value: formatScore(threshold, locale) })}</span>
          </span>
        )}
      </div>
      <div className="gauge-scale" aria-hidden="true">
        <span>0</span>
        <span>0.5</span>
        <span>1</span>
      </div>
    </div>
  );
}
