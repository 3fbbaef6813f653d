import type { SlaEvent } from '@kefu/protocol';
import { useEffect, useState } from 'react';
import { useT } from '../i18n/i18n';
import { useFrames } from '../state/realtime';
import { useRoute } from '../state/route';

const SHOWN = 3;
const TTL_MS = 20_000;

/** A notice for each SLA breach as it happens (the newest three), with a way to open the conversation. */
export function SlaBreachToasts() {
  const t = useT();
  const [, navigate] = useRoute();
  const [items, setItems] = useState<SlaEvent[]>([]);
  useFrames((f) => {
    if (f.type === 'sla.breached') setItems((list) => [f.event, ...list.filter((e) => e.id !== f.event.id)].slice(0, SHOWN));
  });
  useEffect(() => {
    if (items.length === 0) return;
    const timer = setTimeout(() => setItems((list) => list.slice(0, -1)), TTL_MS);
    return () => clearTimeout(timer);
  }, [items]);
  if (items.length === 0) return null;
  const dismiss = (id: string) => setItems((list) => list.filter((e) => e.id !== id));
  return (
    <div className="sla-toasts" aria-live="assertive">
      {items.map((e) => (
        <div key={e.id} className="notice notice-error sla-toast" role="alert" data-testid="sla-breach-toast">
          <div className="notice-body">
            <strong className="notice-message">
              {t('sla.toast.breached', {
                metric: t(e.metric === 'first_response' ? 'sla.metric.firstResponse' : 'sla.metric.resolution'),
                priority: t(`priority.${e.priority}`),
              })}
            </strong>
            <span>{e.ticketId ? t('sla.toast.ticket') : t('sla.toast.conversation')}</span>
          </div>
          {e.conversationId && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                navigate({ conversationId: e.conversationId });
                dismiss(e.id);
              }}
            >
              {t('sla.toast.open')}
            </button>
          )}
          <button type="button" className="btn-icon" onClick={() => dismiss(e.id)} aria-label={t('error.dismiss')} title={t('error.dismiss')}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
