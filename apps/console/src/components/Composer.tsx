import { type DragEvent, type FormEvent, type KeyboardEvent, type Ref, useCallback, useEffect, useId, useImperativeHandle, useRef, useState } from 'react';
import { type CannedReply, cannedRepliesApi } from '../api/canned-replies';
import { useT } from '../i18n/i18n';
import { filterMembers, filterReplies, insertMention, mentionQuery, slashQuery, unfilledPlaceholders } from '../lib/composer-triggers';
import { useSignedIn } from '../state/session';
import { type SentAttachment, useAttachmentDraft } from '../state/use-attachment-draft';
import type { MessageKind } from '../state/use-conversation';
import { useMembers } from '../state/use-member-names';
import { AttachButton, AttachmentChip, AttachmentRefusalNotice } from './AttachmentPicker';
import { ComposerPicker, type PickerOption } from './ComposerPicker';
import { ErrorNotice } from './ErrorNotice';

interface Props {
  /** The open conversation: canned replies are filled in for it. */
  conversationId: string;
  /** Why replying is special right now (takes over, closed…); null when it is plain. */
  hint: string | null;
  canReply: boolean;
  canNote: boolean;
  onSend(text: string, kind: MessageKind): void;
  /** The agent's typing, for the customer's widget; called at most every few seconds. */
  onTyping(on: boolean): void;
  /** A file sent as a reply, as the server stored it (its `message.created` frame may come before or after). */
  onAttachmentSent?(r: SentAttachment): void;
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

/** The open picker: canned replies (after a leading `/`, or from the button with a search field) or members (after `@` in a note). */
type Picker = { kind: 'canned'; source: 'slash' | 'button'; query: string } | { kind: 'mention'; start: number; query: string };

export function Composer({ conversationId, hint, canReply, canNote, onSend, onTyping, onAttachmentSent, ref }: Props) {
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
  const pickerId = useId();
  const { api } = useSignedIn();
  const members = useMembers();
  const form = useRef<HTMLFormElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const [picker, setPicker] = useState<Picker | null>(null);
  const [active, setActive] = useState(0);
  const [replies, setReplies] = useState<CannedReply[] | null>(null);
  const [pickError, setPickError] = useState<unknown>(null);
  /** Variables the last inserted reply could not fill: warned about while their {{…}} is still in the text. */
  const [missing, setMissing] = useState<string[]>([]);
  const caretAt = useRef<number | null>(null);
  const attachment = useAttachmentDraft(conversationId, onAttachmentSent);
  const [dragging, setDragging] = useState(false);

  // The replies are fetched each time the picker opens (someone may have added one), shown from the last fetch meanwhile.
  const cannedOpen = picker?.kind === 'canned';
  useEffect(() => {
    if (!cannedOpen) return;
    const ctrl = new AbortController();
    cannedRepliesApi.list(api, {}, ctrl.signal).then(
      (r) => setReplies(r.items),
      (err) => {
        if (!ctrl.signal.aborted) setPickError(err);
      },
    );
    return () => ctrl.abort();
  }, [cannedOpen, api]);

  // A click outside the composer closes the picker.
  useEffect(() => {
    if (!picker) return;
    const onDown = (e: PointerEvent) => {
      if (!form.current?.contains(e.target as Node)) setPicker(null);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [picker]);

  const cannedOptions = picker?.kind === 'canned' ? filterReplies(replies ?? [], picker.query) : [];
  const memberOptions = picker?.kind === 'mention' ? filterMembers(members, picker.query) : [];
  const options: PickerOption[] =
    picker?.kind === 'canned'
      ? cannedOptions.map((r) => ({
          id: r.id,
          primary: `/${r.shortcut}`,
          secondary: r.title,
          detail: r.body.split('\n')[0]!,
        }))
      : memberOptions.map((m) => ({ id: m.id, primary: m.name, detail: m.email }));
  // The member list only shows while someone fits what was typed after `@`.
  const pickerShown = picker !== null && (picker.kind === 'canned' || options.length > 0);
  const activeIndex = Math.min(active, Math.max(options.length - 1, 0));

  const openPicker = (next: Picker | null) => {
    setPicker(next);
    if (next?.kind !== picker?.kind || next?.query !== picker?.query) setActive(0);
  };

  const pickReply = async (id: string) => {
    const reply = cannedOptions.find((r) => r.id === id);
    const source = picker?.kind === 'canned' ? picker.source : 'button';
    setPicker(null);
    if (!reply) return;
    setPickError(null);
    try {
      const out = await cannedRepliesApi.render(api, reply.id, conversationId);
      caretToEnd.current = true;
      // After a leading `/shortcut` the reply replaces it; from the button it joins what is there.
      setText((prev) => (source === 'slash' ? out.text : prev.trim() ? `${prev.replace(/\s+$/, '')}\n${out.text}` : out.text));
      setMissing(out.missing);
    } catch (err) {
      setPickError(err);
      area.current?.focus();
    }
  };

  const pickMember = (id: string) => {
    const member = memberOptions.find((m) => m.id === id);
    if (!member || picker?.kind !== 'mention') return;
    const caret = area.current?.selectionStart ?? text.length;
    const next = insertMention(text, picker.start, caret, member.name);
    caretAt.current = next.caret;
    setText(next.text);
    setPicker(null);
  };

  const pick = (o: PickerOption) => (picker?.kind === 'canned' ? void pickReply(o.id) : pickMember(o.id));

  /** Arrows, Enter (or Tab) and Esc drive an open picker; returns true when the key was for it. */
  const pickerKey = (e: KeyboardEvent<HTMLElement>): boolean => {
    if (!pickerShown || e.nativeEvent.isComposing || e.keyCode === 229) return false;
    const n = options.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (n) setActive((activeIndex + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
      return true;
    }
    if (e.key === 'Enter' || (e.key === 'Tab' && n > 0)) {
      e.preventDefault();
      const o = options[activeIndex];
      if (o) pick(o);
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      setPicker(null);
      area.current?.focus();
      return true;
    }
    return false;
  };

  const stillMissing = missing.filter((v) => unfilledPlaceholders(text).includes(v));

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
    if (el && caretAt.current !== null) {
      el.focus();
      el.setSelectionRange(caretAt.current, caretAt.current);
      caretAt.current = null;
      return;
    }
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
  const { draft } = attachment;
  const withFile = kind === 'reply' && draft !== null;
  const uploading = draft?.state === 'sending';
  // The upload route always sends a reply: a note (or a conversation that takes none) cannot carry a file.
  const fileBlocked = kind === 'note' ? t('composer.attach.noteHint') : !canReply ? t('composer.attach.replyOff') : null;

  const addFiles = (files: File[]) => {
    if (files.length === 0) return;
    if (fileBlocked) {
      attachment.setRefusal({ code: kind === 'note' ? 'ATTACHMENT_NOT_WITH_NOTE' : 'ATTACHMENT_NO_REPLY', name: files[0]!.name });
      return;
    }
    if (attachment.attach(files)) area.current?.focus();
  };

  const sendFile = (caption: string) => {
    stopTyping();
    void attachment.send(caption).then((sent) => {
      // The caption went with the file; whatever was typed while it uploaded stays.
      if (sent) setText((prev) => (prev.trim() === caption ? '' : prev));
    });
    area.current?.focus();
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const value = text.trim();
    if (!enabled) return;
    if (withFile) {
      if (!uploading) sendFile(value);
      return;
    }
    if (!value) return;
    stopTyping();
    onSend(value, kind);
    setText('');
    area.current?.focus();
  };

  const hasFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');
  const onDragOver = (e: DragEvent<HTMLFormElement>) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    // A drop where files cannot go is still taken, to say why.
    e.dataTransfer.dropEffect = uploading ? 'none' : 'copy';
    setDragging(true);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (pickerKey(e)) return;
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
    <form
      ref={form}
      className={`composer composer-${kind}${stillMissing.length ? ' has-missing' : ''}${dragging ? ' is-dragging' : ''}`}
      onSubmit={submit}
      onDragEnter={onDragOver}
      onDragOver={onDragOver}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(false);
        if (!uploading) addFiles([...e.dataTransfer.files]);
      }}
    >
      {dragging && (
        <div className="composer-drop" aria-hidden="true">
          {fileBlocked ?? t('composer.attach.drop')}
        </div>
      )}
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
                if (picker?.kind === 'mention') setPicker(null);
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
      {pickerShown && (
        <ComposerPicker
          id={pickerId}
          label={picker?.kind === 'canned' ? t('composer.canned.title') : t('composer.mention.title')}
          options={options}
          activeIndex={activeIndex}
          empty={t('composer.canned.empty')}
          loading={picker?.kind === 'canned' && replies === null}
          onPick={pick}
          onHover={setActive}
          testId={picker?.kind === 'canned' ? 'canned-picker' : 'mention-picker'}
          search={
            picker?.kind === 'canned' && picker.source === 'button' ? (
              <input
                ref={search}
                className="kb-input composer-picker-search"
                type="search"
                value={picker.query}
                placeholder={t('composer.canned.search')}
                aria-label={t('composer.canned.search')}
                aria-controls={pickerId}
                aria-activedescendant={options.length ? `${pickerId}-${activeIndex}` : undefined}
                onChange={(e) => openPicker({ kind: 'canned', source: 'button', query: e.target.value })}
                onKeyDown={(e) => void pickerKey(e)}
                data-testid="canned-search"
              />
            ) : undefined
          }
          footer={picker?.kind === 'canned' ? <p className="composer-picker-hint muted small">{t('composer.canned.hint')}</p> : undefined}
        />
      )}
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
        aria-autocomplete="list"
        aria-controls={pickerShown ? pickerId : undefined}
        aria-activedescendant={pickerShown && options.length ? `${pickerId}-${activeIndex}` : undefined}
        placeholder={kind === 'reply' ? t('composer.placeholderReply') : t('composer.placeholderNote')}
        onChange={(e) => {
          const value = e.target.value;
          setText(value);
          noteTyping(value);
          const slash = slashQuery(value);
          const at = kind === 'note' ? mentionQuery(value, e.target.selectionStart) : null;
          if (slash !== null) openPicker({ kind: 'canned', source: 'slash', query: slash });
          else if (at) openPicker({ kind: 'mention', ...at });
          else if (picker && !(picker.kind === 'canned' && picker.source === 'button')) setPicker(null);
        }}
        onKeyDown={onKeyDown}
        onPaste={(e) => {
          // A screenshot or a copied image; a copy from a document also carries its text, which is pasted as text.
          const files = [...e.clipboardData.files];
          if (files.length === 0 || e.clipboardData.types.includes('text/plain')) return;
          e.preventDefault();
          if (!uploading) addFiles(files);
        }}
        onBlur={stopTyping}
        data-testid="composer-input"
      />
      {stillMissing.length > 0 && (
        <p className="composer-missing" role="status" data-testid="composer-missing">
          {t('composer.canned.missing', { variables: stillMissing.map((v) => `{{${v}}}`).join(t('kb.listSeparator')) })}
        </p>
      )}
      {pickError ? <ErrorNotice error={pickError} compact onDismiss={() => setPickError(null)} /> : null}
      {draft && (
        <AttachmentChip
          draft={draft}
          waiting={kind === 'reply' ? null : t('composer.attach.waiting')}
          limits={attachment.limits}
          onRemove={() => {
            attachment.remove();
            area.current?.focus();
          }}
          onCancel={attachment.cancel}
          onRetry={() => submit()}
        />
      )}
      {attachment.refusal && <AttachmentRefusalNotice refusal={attachment.refusal} limits={attachment.limits} onDismiss={() => attachment.setRefusal(null)} />}
      <div className="composer-foot">
        <span className="composer-foot-start">
          <AttachButton limits={attachment.limits} blocked={fileBlocked} busy={uploading} onFiles={addFiles} />
          <button
            type="button"
            className="btn btn-small btn-ghost composer-canned-button"
            aria-expanded={cannedOpen}
            aria-controls={cannedOpen ? pickerId : undefined}
            title={t('composer.canned.buttonHint')}
            onClick={() => {
              if (cannedOpen) return setPicker(null);
              openPicker({ kind: 'canned', source: 'button', query: '' });
              requestAnimationFrame(() => search.current?.focus());
            }}
            data-testid="canned-button"
          >
            {t('composer.canned.button')}
          </button>
          <span className="composer-shortcut">{t('composer.shortcut')}</span>
        </span>
        <button type="submit" className={`btn ${kind === 'note' ? 'btn-note' : 'btn-primary'}`} disabled={!enabled || (withFile ? uploading : !text.trim())}>
          {kind === 'reply' ? t('composer.send') : t('composer.addNote')}
        </button>
      </div>
    </form>
  );
}
