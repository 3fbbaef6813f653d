import type { Ticket, TicketStatus } from '@kefu/protocol';
import { useT } from '../../i18n/i18n';

export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  const t = useT();
  return (
    <span className={`badge ticket-status ticket-status-${status}`} data-testid="ticket-status" data-status={status}>
      {t(`tickets.status.${status}`)}
    </span>
  );
}

/** Normal priority says nothing unless `always` (a table column, where a blank would read as unknown). */
export function TicketPriorityBadge({ priority, always = false }: { priority: Ticket['priority']; always?: boolean }) {
  const t = useT();
  if (priority === 'normal' && !always) return null;
  return <span className={`badge badge-priority priority-${priority}`}>{t(`priority.${priority}`)}</span>;
}
