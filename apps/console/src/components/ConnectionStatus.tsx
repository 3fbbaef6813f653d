import { useEffect, useState } from 'react';
import { useT } from '../i18n/i18n';
import { useRealtime, useRealtimeStatus } from '../state/realtime';

/** A dot and a word for the live connection; while offline, a countdown and "retry now". */
export function ConnectionStatus() {
  const t = useT();
  const status = useRealtimeStatus();
  const realtime = useRealtime();
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    if (status.state !== 'waiting') return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [status.state]);

  let label: string;
  switch (status.state) {
    case 'open':
      label = t('conn.open');
      break;
    case 'connecting':
      label = t('conn.connecting');
      break;
    case 'waiting':
      label = t('conn.waiting', { seconds: Math.max(0, Math.ceil((status.retryAt - now) / 1000)) });
      break;
    case 'unauthorized':
      label = t('conn.unauthorized');
      break;
    default:
      label = t('conn.stopped');
  }
  return (
    <div className={`conn conn-${status.state}`} role="status" data-state={status.state}>
      <span className="conn-dot" aria-hidden="true" />
      <span className="conn-label">{label}</span>
      {status.state === 'waiting' && (
        <button type="button" className="btn-link" onClick={realtime.retryNow}>
          {t('conn.retryNow')}
        </button>
      )}
    </div>
  );
}
