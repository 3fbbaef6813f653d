import type { Flow } from '../../api/automation';
import { useT } from '../../i18n/i18n';

/** What starts a flow: its intents and keywords as chips; past `max` of each, a count of the rest. */
export function FlowTriggers({ triggers, max = Number.POSITIVE_INFINITY }: { triggers: Flow['triggers']; max?: number }) {
  const t = useT();
  const { intents, keywords } = triggers;
  if (intents.length === 0 && keywords.length === 0) return <span className="muted small">{t('flows.noTriggers')}</span>;
  return (
    <div className="flow-triggers">
      {intents.length > 0 && (
        <span className="flow-trigger-group" data-kind="intents">
          <span className="flow-trigger-label">{t('flows.triggers.intents')}</span>
          {intents.slice(0, max).map((i) => (
            <span key={i} className="flow-chip is-intent">
              {i}
            </span>
          ))}
          {intents.length > max && <span className="muted small">{t('flows.triggers.more', { count: intents.length - max })}</span>}
        </span>
      )}
      {keywords.length > 0 && (
        <span className="flow-trigger-group" data-kind="keywords">
          <span className="flow-trigger-label">{t('flows.triggers.keywords')}</span>
          {keywords.slice(0, max).map((k) => (
            <span key={k} className="flow-chip">
              {k}
            </span>
          ))}
          {keywords.length > max && <span className="muted small">{t('flows.triggers.more', { count: keywords.length - max })}</span>}
        </span>
      )}
    </div>
  );
}
