import { useRef } from 'react';
import { useI18n } from '../../i18n/i18n';
import { niceScale, type UsageDay, usedPurposes } from '../../lib/usage-chart';
import { useElementWidth } from '../../state/use-element-width';

const H = 240;
const PAD = { top: 12, right: 8, bottom: 26, left: 52 };

/**
 * Tokens per day as stacked bars, one colour per purpose, with a value axis and a day label every
 * few days. Drawn at the width it is given (text keeps its size). Each bar's title gives the day's
 * figures; a visually hidden table carries them too.
 */
export function UsageChart({ days }: { days: readonly UsageDay[] }) {
  const { t, locale } = useI18n();
  const frame = useRef<HTMLElement>(null);
  const W = useElementWidth(frame, 760);
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const number = new Intl.NumberFormat(locale);
  const purposes = usedPurposes(days);
  const { top, ticks } = niceScale(Math.max(0, ...days.map((d) => d.total)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, days.length);
  const barW = Math.max(2, Math.min(28, slot * 0.7));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  // About one label per 70 px.
  const labelEvery = Math.max(1, Math.ceil(days.length / Math.max(2, Math.floor(plotW / 70))));

  return (
    <figure className="usage-chart" data-testid="usage-chart" ref={frame}>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('usage.chart.label', { days: days.length })}>
        {ticks.map((v) => (
          <g key={v} className="usage-tick">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text x={PAD.left - 6} y={y(v)} dy="0.32em" textAnchor="end">
              {compact.format(v)}
            </text>
          </g>
        ))}
        {days.map((d, i) => {
          const x = PAD.left + i * slot + (slot - barW) / 2;
          let acc = 0;
          return (
            <g key={d.day} className="usage-day" data-day={d.day} data-total={d.total}>
              <title>{`${d.day} · ${t('usage.chart.dayTitle', { tokens: number.format(d.total), calls: number.format(d.calls), failures: number.format(d.failures) })}`}</title>
              <rect className="usage-hit" x={PAD.left + i * slot} y={PAD.top} width={slot} height={plotH} />
              {purposes.map((p) => {
                const v = d.tokens[p];
                if (!v) return null;
                const y0 = y(acc);
                acc += v;
                return <rect key={p} className={`usage-bar is-${p}`} x={x} y={y(acc)} width={barW} height={Math.max(0.5, y0 - y(acc))} />;
              })}
              {i % labelEvery === 0 && (
                <text className="usage-day-label" x={x + barW / 2} y={H - 8} textAnchor="middle">
                  {d.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
        <line className="usage-axis" x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} />
      </svg>
      {purposes.length > 0 && (
        <figcaption className="usage-legend">
          {purposes.map((p) => (
            <span key={p} className="usage-legend-item">
              <span className={`usage-swatch is-${p}`} aria-hidden="true" />
              {t(`usage.purpose.${p}`)}
            </span>
          ))}
        </figcaption>
      )}
      <table className="sr-only">
        <caption>{t('usage.chart.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('usage.col.day')}</th>
            {purposes.map((p) => (
              <th key={p} scope="col">
                {t(`usage.purpose.${p}`)}
              </th>
            ))}
            <th scope="col">{t('usage.total.calls')}</th>
          </tr>
        </thead>
        <tbody>
          {days
            .filter((d) => d.calls > 0)
            .map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                {purposes.map((p) => (
                  <td key={p}>{d.tokens[p]}</td>
                ))}
                <td>{d.calls}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </figure>
  );
}
