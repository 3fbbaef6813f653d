import type { Member, Presence } from '@kefu/protocol';
import { useState } from 'react';
import { useT } from '../i18n/i18n';
import { useSignedIn } from '../state/session';

const STATES: readonly Presence[] = ['online', 'away', 'offline'];

/**
 * The agent's presence: online gets conversations from the queue (up to their capacity), away takes no
 * new ones, offline hands theirs back to the queue.
 */
export function PresenceSwitch() {
  const t = useT();
  const { api, session } = useSignedIn();
  const [presence, setPresence] = useState<Presence>(session.member?.presence ?? 'offline');
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  if (!session.member || session.member.role === 'viewer') return null;
  return (
    <label className={`presence presence-${presence}`} title={t(`presence.hint.${presence}`)}>
      <span className="presence-dot" aria-hidden="true" />
      <span className="sr-only">{t('presence.label')}</span>
      <select
        value={presence}
        disabled={busy}
        aria-invalid={failed || undefined}
        onChange={async (e) => {
          const next = e.target.value as Presence;
          setBusy(true);
          setFailed(false);
          try {
            const m = await api.put<Member>('/v1/me/presence', { presence: next });
            setPresence(m.presence ?? next);
          } catch {
            setFailed(true);
          } finally {
            setBusy(false);
          }
        }}
        data-testid="presence"
      >
        {STATES.map((p) => (
          <option key={p} value={p}>
            {t(`presence.${p}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
