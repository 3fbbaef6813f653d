import type { SnoozeBody } from '@kefu/protocol';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { localInputToIso, SNOOZE_PRESETS, snoozeBody } from '../lib/snooze';
import { ErrorNotice } from './ErrorNotice';
import { PopoverForm } from './PopoverForm';

interface Props {
  onSubmit(body: SnoozeBody): Promise<unknown>;
  onClose(): void;
}

/** Snooze for a while or until a time: the conversation leaves "Mine" until then or until the customer writes. */
export function SnoozeMenu({ onSubmit, onClose }: Props) {
  const { t } = useI18n();
  const [custom, setCustom] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const first = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => first.current?.focus(), []);

  const go = async (body: SnoozeBody) => {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(body);
      onClose();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const submitCustom = (e: FormEvent) => {
    e.preventDefault();
    const until = localInputToIso(custom);
    if (until) void go({ until });
  };

  return (
    <PopoverForm className="snooze-menu" id={id} title={t('snooze.title')} onSubmit={submitCustom} onClose={onClose} testId="snooze-menu">
      <p className="muted small">{t('snooze.hint')}</p>
      <div className="snooze-presets">
        {SNOOZE_PRESETS.map((p, i) => (
          <button
            key={p}
            ref={i === 0 ? first : undefined}
            type="button"
            className="btn btn-small"
            disabled={busy}
            onClick={() => void go(snoozeBody(p, new Date()))}
            data-snooze={p}
          >
            {t(`snooze.${p}`)}
          </button>
        ))}
      </div>
      <label className="popover-field" htmlFor={`${id}-until`}>
        <span>{t('snooze.custom')}</span>
        <input id={`${id}-until`} type="datetime-local" className="kb-input" value={custom} onChange={(e) => setCustom(e.target.value)} />
      </label>
      {error ? <ErrorNotice error={error} compact /> : null}
      <div className="popover-actions">
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          {t('handoffForm.cancel')}
        </button>
        <button type="submit" className="btn btn-small btn-primary" disabled={busy || !localInputToIso(custom)}>
          {t('snooze.submit')}
        </button>
      </div>
    </PopoverForm>
  );
}
