import type { Sla } from '@kefu/protocol';
import { useSyncExternalStore } from 'react';
import { useI18n } from '../i18n/i18n';
import { formatFull } from '../lib/format';
import { formatCountdown, slaBadgeState } from '../lib/sla';

/** One shared second ticker for every countdown on the page. */
const ticker = (() => {
  const listeners = new Set<() => void>();
  let now = Date.now();
  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    subscribe(fn: () => void) {
      listeners.add(fn);
      timer ??= setInterval(() => {
        now = Date.now();
        for (const l of listeners) l();
      }, 1000);
      return () => {
        listeners.delete(fn);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
    get: () => now,
  };
})();

/**
 * The SLA clock that matters now, counting down: neutral while in time, amber past the warning point,
 * red once breached, a check when met. `compact` for list items (no metric name).
 */
export function SlaBadge({ sla, compact = false }: { sla: Sla | null | undefined; compact?: boolean }) {
  const { t, locale } = useI18n();
  const now = useSyncExternalStore(ticker.subscribe, ticker.get);
  const state = slaBadgeState(sla, now);
  if (!state) return null;
  const metric = t(`sla.metric.${state.metric}`);
  const label =
    state.tone === 'met'
      ? t('sla.met')
      : state.remainingMs === null || (state.tone === 'breached' && state.remainingMs > 0)
        ? t('sla.breached')
        : state.remainingMs <= 0
          ? t('sla.overdue', { time: formatCountdown(-state.remainingMs) })
          : formatCountdown(state.remainingMs);
  const title = t(`sla.title.${state.tone}`, { metric, due: formatFull(state.dueAt, locale) });
  return (
    <span className={`badge badge-sla sla-${state.tone}`} title={title} data-testid="sla-badge" data-sla={state.tone}>
      <span aria-hidden="true" className="sla-icon">
        {state.tone === 'met' ? '✓' : state.tone === 'breached' ? '!' : <ClockIcon />}
      </span>
      {!compact && <span className="sla-metric">{metric}</span>}
      <span className="sla-time">{label}</span>
      <span className="sr-only">{title}</span>
    </span>
  );
}

/** Drawn, not a glyph: the stopwatch emoji is missing from many fonts (it showed as a box). */
function ClockIcon() {
  return (
    <svg viewBox="0 0 12 12" width="11" height="11" style={{ verticalAlign: '-1px' }} aria-hidden="true">
      <circle cx="6" cy="6.5" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <path d="M6 4v2.6l1.7 1" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
    </svg>
  );
}
