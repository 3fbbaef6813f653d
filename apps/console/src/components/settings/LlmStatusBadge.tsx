import type { LlmStatus } from '@kefu/protocol';
import { useT } from '../../i18n/i18n';

/** Whether a language model is configured, which one, and its circuit breaker's state. */
export function LlmStatusBadge({ llm }: { llm: LlmStatus }) {
  const t = useT();
  if (!llm.configured) {
    return (
      <span className="llm-status is-off" data-testid="llm-status" data-state="off" title={t('settings.llm.offHint')}>
        <span className="llm-dot" aria-hidden="true" />
        {t('settings.llm.off')}
      </span>
    );
  }
  const circuit = llm.circuit ?? 'closed';
  return (
    <span className={`llm-status is-${circuit}`} data-testid="llm-status" data-state={circuit} title={t(`settings.llm.circuitHint.${circuit}`)}>
      <span className="llm-dot" aria-hidden="true" />
      <code>{llm.model ?? '—'}</code>
      <span className="llm-circuit">{t(`settings.llm.circuit.${circuit}`)}</span>
    </span>
  );
}
