import type { Conversation, HandoffBody } from '@kefu/protocol';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { ErrorNotice } from './ErrorNotice';
import { PopoverForm } from './PopoverForm';

const PRIORITIES: readonly Conversation['priority'][] = ['low', 'normal', 'high', 'urgent'];
const SUGGESTED = ['specialist', 'complaint', 'vip'] as const;
/** The server's limits (HandoffBody in packages/protocol). */
const REASON_MAX = 200;
const NOTE_MAX = 2000;

interface Props {
  priority: Conversation['priority'];
  onSubmit(body: HandoffBody): Promise<unknown>;
  onClose(): void;
}

/**
 * Hands a bot conversation to people: a reason (free text, with a few suggestions), a note for
 * whoever takes it and the priority. The bot stops and the conversation joins the queue with the
 * context the card shows. Esc or Cancel closes it without doing anything.
 */
export function HandoffForm({ priority: initialPriority, onSubmit, onClose }: Props) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [priority, setPriority] = useState(initialPriority);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => first.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = reason.trim();
    if (!r) {
      setMissing(true);
      first.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ reason: r, ...(note.trim() ? { note: note.trim() } : {}), priority });
      onClose();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <PopoverForm className="handoff-form" id={id} title={t('handoffForm.title')} onSubmit={(e) => void submit(e)} onClose={onClose} testId="handoff-form">
      <p className="muted small">{t('handoffForm.hint')}</p>
      <label className="popover-field" htmlFor={`${id}-reason`}>
        <span>{t('handoffForm.reason')}</span>
        <input
          ref={first}
          id={`${id}-reason`}
          className="kb-input"
          value={reason}
          maxLength={REASON_MAX}
          list={`${id}-reasons`}
          placeholder={t('handoffForm.reasonPlaceholder')}
          aria-invalid={missing && !reason.trim() ? true : undefined}
          aria-describedby={missing && !reason.trim() ? `${id}-missing` : undefined}
          onChange={(e) => setReason(e.target.value)}
        />
        <datalist id={`${id}-reasons`}>
          {SUGGESTED.map((s) => (
            <option key={s} value={t(`handoffForm.suggestion.${s}`)} />
          ))}
        </datalist>
        {missing && !reason.trim() && (
          <span id={`${id}-missing`} className="field-error">
            {t('handoffForm.required')}
          </span>
        )}
      </label>
      <label className="popover-field" htmlFor={`${id}-note`}>
        <span>{t('handoffForm.note')}</span>
        <textarea
          id={`${id}-note`}
          className="kb-input"
          rows={3}
          value={note}
          maxLength={NOTE_MAX}
          placeholder={t('handoffForm.notePlaceholder')}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      <label className="popover-field" htmlFor={`${id}-priority`}>
        <span>{t('handoffForm.priority')}</span>
        <select id={`${id}-priority`} className="kb-input" value={priority} onChange={(e) => setPriority(e.target.value as Conversation['priority'])}>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {t(`priority.${p}`)}
            </option>
          ))}
        </select>
      </label>
      {error ? <ErrorNotice error={error} compact /> : null}
      <div className="popover-actions">
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          {t('handoffForm.cancel')}
        </button>
        <button type="submit" className="btn btn-small btn-primary" disabled={busy} aria-busy={busy}>
          {t('handoffForm.submit')}
        </button>
      </div>
    </PopoverForm>
  );
}
