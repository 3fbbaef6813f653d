import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useT } from '../i18n/i18n';

interface Props {
  dirty: boolean;
  saving: boolean;
  /** Editing something that exists: "no changes" shows, and saving needs a change. */
  existing: boolean;
  saveLabel: string;
  saveTestId: string;
  /** Shown while there are changes (existing records only). */
  onDiscard?: (() => void) | undefined;
  /** A destructive action (delete, archive) behind a confirmation; focus goes to its cancel button. */
  destroy?:
    | {
        label: string;
        question: string;
        testId: string;
        /** Resolves when done (or failed: the confirmation closes either way). */
        run: () => Promise<void>;
      }
    | undefined;
  /** Placed first in the bar (e.g. a version note). */
  start?: ReactNode;
}

/** The sticky bar under an editor: save state, the save shortcut, discard, delete/archive, save. */
export function SaveBar({ dirty, saving, existing, saveLabel, saveTestId, onDiscard, destroy, start }: Props) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  const questionId = useId();
  useEffect(() => {
    if (confirming) cancel.current?.focus();
  }, [confirming]);

  return (
    <div className={`faq-savebar${dirty ? ' is-dirty' : ''}`}>
      {confirming && destroy ? (
        <div className="savebar-confirm" role="alertdialog" aria-labelledby={questionId}>
          <span id={questionId}>{destroy.question}</span>
          <button
            type="button"
            className="btn btn-small btn-danger"
            onClick={async () => {
              await destroy.run();
              setConfirming(false);
            }}
            disabled={saving}
            data-testid={`${destroy.testId}-confirm`}
          >
            {destroy.label}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setConfirming(false)} ref={cancel}>
            {t('kb.cancel')}
          </button>
        </div>
      ) : (
        <>
          {start}
          <span className="savebar-state" role="status">
            {saving ? t('kb.editor.saving') : dirty ? t('kb.editor.unsaved') : existing ? t('kb.editor.noChanges') : ''}
          </span>
          <span className="savebar-shortcut">{t('kb.editor.shortcut')}</span>
          {destroy && (
            <button
              type="button"
              className="btn btn-small btn-ghost btn-danger-text"
              onClick={() => setConfirming(true)}
              disabled={saving}
              data-testid={destroy.testId}
            >
              {destroy.label}
            </button>
          )}
          {dirty && existing && onDiscard && (
            <button type="button" className="btn btn-small" onClick={onDiscard} disabled={saving}>
              {t('kb.editor.discard')}
            </button>
          )}
          <button type="submit" className="btn btn-primary" disabled={saving || (existing && !dirty)} data-testid={saveTestId}>
            {saving ? t('kb.editor.saving') : saveLabel}
          </button>
        </>
      )}
    </div>
  );
}
