import { type FormEvent, type KeyboardEvent, type Ref, useCallback, useEffect, useId, useImperativeHandle, useRef, useState } from 'react';
import { useT } from '../i18n/i18n';
import type { MessageKind } from '../state/use-conversation';

interface Props {
  /** Why replying is special right now (takes over, closed…); null when it is plain. */
  hint: string | null;
  canReply: boolean;
  canNote: boolean;
  onSend(text: string, kind: MessageKind): void;
  /** The agent's typing, for the customer's widget; called at most every few seconds. */
  onTyping(on: boolean): void;
  ref?: Ref<ComposerHandle>;
}

/** What the rest of the pane may do to the composer: put a suggestion in for editing, or move focus to it. */
export interface ComposerHandle {
  /** Adds the text for the agent to edit (after what they already wrote); never sends. */
  insert(text: string): void;
  focus(): void;
}

const TYPING_REFRESH_MS = 3_000;
const TYPING_IDLE_MS = 4_000;

export function Composer({ hint, canReply, canNote, onSend, onTyping, ref }: Props) {
  const t = useT();
  const [kind, setKind] = useState<MessageKind>(canReply ? 'reply' : 'note');
  const [text, setText] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  const typingSentAt = useRef(0);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onTypingRef = useRef(onTyping);
  onTypingRef.current = onTyping;
  const hintId = useId();
  const textId = useId();

  useEffect(() => {
    if (!canReply && kind === 'reply' && canNote) setKind('note');
  }, [canReply, canNote, kind]);

  const stopTyping = useCallback(() => {
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = null;
    if (typingSentAt.current) {
      typingSentAt.current = 0;
      onTypingRef.current(false);
    }
  }, []);

  useEffect(() => stopTyping, [stopTyping]);

  // After an insert, the caret goes to the end of the text, where the agent goes on editing.
  const caretToEnd = useRef(false);
  useEffect(() => {
    const el = area.current;
    if (!caretToEnd.current || !el) return;
    caretToEnd.current = false;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
    el.scrollTop = el.scrollHeight;
  });

  useImperativeHandle(
    ref,
    () => ({
      insert(value: string) {
        caretToEnd.current = true;
        setText((prev) => (prev.trim() ? `${prev.replace(/\s+$/, '')}\n${value}` : value));
      },
      focus() {
        area.current?.focus();
      },
    }),
    [],
  );

  const noteTyping = (value: string) => {
    // Notes are private: the customer must not see "agent is typing" for them.
    if (kind !== 'reply' || !value.trim()) return stopTyping();
    const now = Date.now();
    if (now - typingSentAt.current > TYPING_REFRESH_MS) {
      typingSentAt.current = now;
      onTypingRef.current(true);
    }
    if (idleTimer.current) clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  };

  const enabled = kind === 'reply' ? canReply : canNote;

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const value = text.trim();
    if (!value || !enabled) return;
    stopTyping();
    onSend(value, kind);
    setText('');
    area.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Esc leaves the box, so the inbox's single-key shortcuts work again (the text stays).
    if (e.key === 'Escape' && !e.nativeEvent.isComposing) {
      e.currentTarget.blur();
      return;
    }
    // While an IME is composing (pinyin, zhuyin), Enter picks a candidate; it must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <form className={`composer composer-${kind}`} onSubmit={submit}>
      <div className="composer-modes" role="radiogroup" aria-label={t('composer.modeLabel')}>
        {(['reply', 'note'] as const).map((k) => (
          <label key={k} className={`composer-mode${kind === k ? ' is-active' : ''}`} data-mode={k}>
            <input
              type="radio"
              name="composer-kind"
              value={k}
              checked={kind === k}
              disabled={k === 'reply' ? !canReply : !canNote}
              onChange={() => {
                if (k === 'note') stopTyping();
                setKind(k);
                area.current?.focus();
              }}
            />
            {k === 'reply' ? t('composer.reply') : t('composer.note')}
          </label>
        ))}
        {hint && (
          <span id={hintId} className="composer-hint">
            {hint}
          </span>
        )}
      </div>
      <label htmlFor={textId} className="sr-only">
        {t('composer.label')}
      </label>
      <textarea
        id={textId}
        ref={area}
        className="composer-input"
        rows={2}
        value={text}
        disabled={!enabled}
        aria-describedby={hint ? hintId : undefined}
        placeholder={kind === 'reply' ? t('composer.placeholderReply') : t('composer.placeholderNote')}
        onChange={(e) => {
          setText(e.target.value);
          noteTyping(e.target.value);
        }}
        onKeyDown={onKeyDown}
        onBlur={stopTyping}
        data-testid="composer-input"
      />
      <div className="composer-foot">
        <span className="composer-shortcut">{t('composer.shortcut')}</span>
        <button type="submit" className={`btn ${kind === 'note' ? 'btn-note' : 'btn-primary'}`} disabled={!enabled || !text.trim()}>
          {kind === 'reply' ? t('composer.send') : t('composer.addNote')}
        </button>
      </div>
    </form>
  );
}
