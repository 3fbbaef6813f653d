import { type ChangeEvent, useRef } from 'react';
import { ApiError } from '../api/client';
import { type MessageKey, type Translate, useI18n } from '../i18n/i18n';
import { type AttachmentLimits, acceptAttribute, formatBytes, typeLabels } from '../lib/attachment-check';
import { errorText } from '../lib/error-text';
import type { AttachmentDraft, AttachmentRefusal } from '../state/use-attachment-draft';

interface ButtonProps {
  limits: AttachmentLimits;
  /** Why a file cannot go now (a note, no reply possible); null when it can. */
  blocked: string | null;
  busy: boolean;
  onFiles(files: File[]): void;
}

/**
 * The paperclip beside the reply box and its hidden file input. When files cannot go, it stays
 * focusable (aria-disabled) so its tooltip can say why.
 */
export function AttachButton({ limits, blocked, busy, onFiles }: ButtonProps) {
  const { t, locale } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const types = typeLabels(limits.types).join(t('kb.listSeparator'));
  const label = t('composer.attach.button');
  const hint =
    blocked ??
    (limits.maxBytes !== null ? t('composer.attach.hint', { types, max: formatBytes(limits.maxBytes, locale) }) : t('composer.attach.hintNoMax', { types }));
  const off = blocked !== null || busy;
  const picked = (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])];
    // Cleared, so that picking the same file again (after removing it) is noticed.
    e.target.value = '';
    if (files.length) onFiles(files);
  };
  return (
    <>
      <button
        type="button"
        className="btn btn-small btn-ghost composer-attach-button"
        aria-label={label}
        aria-disabled={off || undefined}
        title={hint}
        onClick={() => {
          if (!off) input.current?.click();
        }}
        data-testid="attach-button"
      >
        <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
          <path
            d="M13.5 6.5 7.8 12.2a1.6 1.6 0 0 0 2.3 2.3l6-6a3.2 3.2 0 0 0-4.6-4.6l-6.2 6.2a4.8 4.8 0 0 0 6.8 6.8l5.2-5.2"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      </button>
      <input
        ref={input}
        type="file"
        className="sr-only"
        tabIndex={-1}
        aria-hidden="true"
        accept={acceptAttribute(limits.types)}
        disabled={off}
        onChange={picked}
        data-testid="attach-input"
      />
    </>
  );
}

interface ChipProps {
  draft: AttachmentDraft;
  /** Set in note mode: the file waits for the next reply. */
  waiting: string | null;
  limits: AttachmentLimits;
  onRemove(): void;
  onCancel(): void;
  onRetry(): void;
}

/** The file that goes with the next reply: thumbnail or name and size, progress while sending, and what can be done. */
export function AttachmentChip({ draft, waiting, limits, onRemove, onCancel, onRetry }: ChipProps) {
  const { t, has, locale } = useI18n();
  const { file } = draft;
  const percent = Math.round(draft.progress * 100);
  const size = formatBytes(file.size, locale);
  return (
    <div className={`composer-attachment is-${draft.state}`} data-testid="attachment-chip" data-state={draft.state}>
      <div className="composer-attachment-file">
        {draft.preview ? (
          <img className="composer-attachment-thumb" src={draft.preview} alt="" />
        ) : (
          <span className="composer-attachment-icon" aria-hidden="true">
            {(file.name.split('.').pop() ?? '').slice(0, 4).toUpperCase() || '?'}
          </span>
        )}
        <span className="composer-attachment-text">
          <span className="composer-attachment-name" title={file.name}>
            {file.name}
          </span>
          <span className="muted small">{draft.state === 'sending' ? t('composer.attach.sending', { percent: `${percent}%` }) : size}</span>
        </span>
        {draft.state === 'sending' ? (
          <button type="button" className="btn btn-small btn-ghost" onClick={onCancel} data-testid="attachment-cancel">
            {t('composer.attach.cancel')}
          </button>
        ) : (
          <>
            {draft.state === 'failed' && !waiting && (
              <button type="button" className="btn btn-small" onClick={onRetry} data-testid="attachment-retry">
                {t('message.retry')}
              </button>
            )}
            <button
              type="button"
              className="btn-icon"
              aria-label={t('composer.attach.remove', { name: file.name })}
              title={t('composer.attach.remove', { name: file.name })}
              onClick={onRemove}
              data-testid="attachment-remove"
            >
              ×
            </button>
          </>
        )}
      </div>
      {draft.state === 'sending' && (
        <div
          className="import-progress"
          role="progressbar"
          aria-label={t('composer.attach.progress', { name: file.name })}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <span style={{ width: `${percent}%` }} />
        </div>
      )}
      {draft.state === 'failed' && (
        <p className="composer-attachment-error" role="alert" data-code={draft.error instanceof ApiError ? draft.error.code : 'CLIENT'}>
          {failureText(draft.error, file.name, limits, t, has, locale)}
        </p>
      )}
      {waiting && draft.state !== 'sending' && <p className="composer-attachment-waiting muted small">{waiting}</p>}
    </div>
  );
}

/** A file the composer did not take, in words; dismissable. */
export function AttachmentRefusalNotice({ refusal, limits, onDismiss }: { refusal: AttachmentRefusal; limits: AttachmentLimits; onDismiss(): void }) {
  const { t, locale } = useI18n();
  const info = refusal.code === 'ATTACHMENT_ONE_FILE';
  return (
    <div
      className={`notice ${info ? 'notice-info' : 'notice-error'} notice-compact`}
      role={info ? 'status' : 'alert'}
      data-code={refusal.code}
      data-testid="attachment-refusal"
    >
      <div className="notice-body">
        <strong className="notice-message">{refusalText(refusal, limits, t, locale)}</strong>
      </div>
      <button type="button" className="btn-icon" onClick={onDismiss} aria-label={t('error.dismiss')} title={t('error.dismiss')}>
        ×
      </button>
    </div>
  );
}

function refusalText(r: AttachmentRefusal, limits: AttachmentLimits, t: Translate, locale: string, limit: number | null = limits.maxBytes): string {
  const name = r.name;
  switch (r.code) {
    case 'ATTACHMENT_EMPTY':
      return t('composer.attach.empty', { name });
    case 'ATTACHMENT_TOO_LARGE':
      return limit !== null ? t('composer.attach.tooLarge', { name, max: formatBytes(limit, locale) }) : t('composer.attach.tooLargeNoMax', { name });
    case 'ATTACHMENT_TYPE_NOT_ALLOWED':
      return t('composer.attach.typeNotAllowed', { name, types: typeLabels(limits.types).join(t('kb.listSeparator')) });
    case 'ATTACHMENT_NOT_WITH_NOTE':
      return t('composer.attach.noteHint');
    case 'ATTACHMENT_NO_REPLY':
      return t('composer.attach.replyOff');
    case 'ATTACHMENT_ONE_FILE':
      return t('composer.attach.oneFile', { name });
  }
}

/** The server's refusal of an upload, with the file's name where the catalogue has words for it; other problems as anywhere else. */
function failureText(err: unknown, name: string, limits: AttachmentLimits, t: Translate, has: (key: string) => key is MessageKey, locale: string): string {
  if (err instanceof ApiError) {
    if (err.code === 'ATTACHMENT_TOO_LARGE') {
      const limit = (err.body as { limit?: unknown } | undefined)?.limit;
      return refusalText({ code: err.code, name }, limits, t, locale, typeof limit === 'number' ? limit : limits.maxBytes);
    }
    if (err.code === 'ATTACHMENT_TYPE_NOT_ALLOWED' || err.code === 'ATTACHMENT_EMPTY') return refusalText({ code: err.code, name }, limits, t, locale);
    if (err.code === 'ATTACHMENT_NAME_INVALID') return t('composer.attach.nameInvalid', { name });
  }
  return errorText(err, t, has).message;
}
