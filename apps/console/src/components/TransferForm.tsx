import type { Conversation, Member, Team, TransferBody } from '@kefu/protocol';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { useSignedIn } from '../state/session';
import { ErrorNotice } from './ErrorNotice';
import { PopoverForm } from './PopoverForm';

/** The server's limit (TransferBody in packages/protocol). */
const NOTE_MAX = 2000;
type Target = { kind: 'agent'; id: string } | { kind: 'team'; id: string };

interface Props {
  conversation: Pick<Conversation, 'assignee' | 'team'>;
  onSubmit(body: TransferBody): Promise<unknown>;
  onClose(): void;
}

/**
 * Gives the conversation to a colleague who is online or away, or to a team's queue (routing picks
 * one of its members; with nobody online it waits and the customer is told). Presence is read when
 * the form opens. A note goes with it for the next person.
 */
export function TransferForm({ conversation, onSubmit, onClose }: Props) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const [members, setMembers] = useState<Member[] | null>(null);
  const [teams, setTeams] = useState<Team[]>([]);
  const [target, setTarget] = useState<Target | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  const id = useId();

  useEffect(() => {
    let live = true;
    Promise.all([api.get<{ items: Member[] }>('/v1/members'), api.get<{ items: Team[] }>('/v1/teams')])
      .then(([m, tm]) => {
        if (!live) return;
        setMembers(m.items);
        setTeams(tm.items);
      })
      .catch((err) => live && setError(err));
    first.current?.focus();
    return () => {
      live = false;
    };
  }, [api]);

  const me = session.member?.id;
  // Colleagues who can take it now: not viewers, not disabled, not offline, not its owner already.
  const agents = (members ?? []).filter(
    (m) => !m.disabled && m.role !== 'viewer' && m.presence !== 'offline' && m.id !== conversation.assignee?.id && m.id !== me,
  );
  const value = target ? `${target.kind}:${target.id}` : '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!target) {
      setMissing(true);
      first.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const extra = note.trim() ? { note: note.trim() } : {};
      await onSubmit(target.kind === 'agent' ? { agentId: target.id, ...extra } : { teamId: target.id, ...extra });
      onClose();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const chosenTeam = target?.kind === 'team' ? teams.find((x) => x.id === target.id) : undefined;

  return (
    <PopoverForm className="transfer-form" id={id} title={t('transfer.title')} onSubmit={(e) => void submit(e)} onClose={onClose} testId="transfer-form">
      <label className="popover-field" htmlFor={`${id}-to`}>
        <span>{t('transfer.pick')}</span>
        <select
          ref={first}
          id={`${id}-to`}
          className="kb-input"
          value={value}
          aria-invalid={missing && !target ? true : undefined}
          onChange={(e) => {
            const [kind, tid] = e.target.value.split(':') as ['agent' | 'team', string];
            setTarget(e.target.value ? { kind, id: tid } : null);
          }}
          data-testid="transfer-target"
        >
          <option value="">{members === null ? t('view.loading') : t('transfer.choose')}</option>
          {teams.length > 0 && (
            <optgroup label={t('transfer.toTeam')}>
              {teams.map((x) => (
                <option key={x.id} value={`team:${x.id}`} disabled={x.id === conversation.team?.id}>
                  {x.name} · {x.online > 0 ? t('transfer.online', { count: x.online }) : t('transfer.nobodyOnlineShort')}
                </option>
              ))}
            </optgroup>
          )}
          <optgroup label={t('transfer.toAgent')}>
            {agents.map((m) => (
              <option key={m.id} value={`agent:${m.id}`}>
                {m.name} · {t(`presence.${m.presence ?? 'offline'}`)}
              </option>
            ))}
          </optgroup>
        </select>
        {members !== null && agents.length === 0 && teams.length === 0 && <span className="muted small">{t('transfer.noTargets')}</span>}
        {missing && !target && <span className="field-error">{t('transfer.required')}</span>}
        {chosenTeam && chosenTeam.online === 0 && (
          <span className="muted small" data-testid="transfer-offline-hint">
            {t('transfer.nobodyOnline')}
          </span>
        )}
      </label>
      <label className="popover-field" htmlFor={`${id}-note`}>
        <span>{t('transfer.note')}</span>
        <textarea id={`${id}-note`} className="kb-input" rows={3} value={note} maxLength={NOTE_MAX} onChange={(e) => setNote(e.target.value)} />
      </label>
      {error ? <ErrorNotice error={error} compact /> : null}
      <div className="popover-actions">
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          {t('handoffForm.cancel')}
        </button>
        <button type="submit" className="btn btn-small btn-primary" disabled={busy} aria-busy={busy} data-testid="transfer-submit">
          {t('transfer.submit')}
        </button>
      </div>
    </PopoverForm>
  );
}
