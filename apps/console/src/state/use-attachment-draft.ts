import type { Conversation, Message } from '@kefu/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { conversationsApi } from '../api/conversations';
import {
  type AttachmentLimits,
  type AttachmentProblem,
  attachmentProblem,
  attachmentType,
  DEFAULT_ATTACHMENT_LIMITS,
  isImageType,
} from '../lib/attachment-check';
import { useSignedIn } from './session';

/** The file waiting in the composer to go with the next reply. */
export interface AttachmentDraft {
  file: File;
  /** Kept across retries and cancels until the file is sent or removed: the server stores it once. */
  clientMessageId: string;
  /** The type the file claims (checked), for the thumbnail and the label. */
  type: string | null;
  /** An object URL for an image's thumbnail, revoked when the draft goes. */
  preview: string | null;
  state: 'ready' | 'sending' | 'failed';
  /** Share of the bytes sent, 0–1, while sending. */
  progress: number;
  /** Why the last send failed (an ApiError). */
  error: unknown;
}

/** A file the composer would not take, told to the agent; not an error of the server. */
export interface AttachmentRefusal {
  code: AttachmentProblem | 'ATTACHMENT_NOT_WITH_NOTE' | 'ATTACHMENT_NO_REPLY' | 'ATTACHMENT_ONE_FILE';
  name: string;
}

export type SentAttachment = { message: Message; conversation: Conversation };

/**
 * One file for the next reply of one conversation: checked against the server's limits when picked,
 * uploaded with progress, cancellable, retried with the same clientMessageId. An upload still running
 * when the composer goes away (another conversation opened) is stopped.
 */
export function useAttachmentDraft(conversationId: string, onSent?: (r: SentAttachment) => void) {
  const { api } = useSignedIn();
  const limits = useAttachmentLimits();
  const [draft, setDraft] = useState<AttachmentDraft | null>(null);
  const [refusal, setRefusal] = useState<AttachmentRefusal | null>(null);
  const upload = useRef<AbortController | null>(null);
  const onSentRef = useRef(onSent);
  onSentRef.current = onSent;

  const preview = draft?.preview ?? null;
  useEffect(() => {
    if (preview) return () => URL.revokeObjectURL(preview);
  }, [preview]);

  useEffect(() => () => upload.current?.abort(), []);

  /** Takes the first file (one per message); false when it was refused, with the reason in `refusal`. */
  const attach = useCallback(
    (files: readonly File[]): boolean => {
      const file = files[0];
      if (!file || upload.current) return false;
      const problem = attachmentProblem(file, limits);
      if (problem) {
        setRefusal({ code: problem, name: file.name });
        return false;
      }
      const type = attachmentType(file);
      setDraft({
        file,
        clientMessageId: crypto.randomUUID(),
        type,
        preview: isImageType(type) ? URL.createObjectURL(file) : null,
        state: 'ready',
        progress: 0,
        error: null,
      });
      setRefusal(files.length > 1 ? { code: 'ATTACHMENT_ONE_FILE', name: file.name } : null);
      return true;
    },
    [limits],
  );

  const remove = useCallback(() => {
    upload.current?.abort();
    setDraft(null);
  }, []);

  const cancel = useCallback(() => upload.current?.abort(), []);

  /** Uploads the file with `caption`; resolves true once the server stored the message. */
  const send = useCallback(
    async (caption: string): Promise<boolean> => {
      if (!draft || upload.current) return false;
      const ctrl = new AbortController();
      upload.current = ctrl;
      const { file, clientMessageId } = draft;
      const update = (patch: Partial<AttachmentDraft>) => setDraft((d) => (d?.clientMessageId === clientMessageId ? { ...d, ...patch } : d));
      setRefusal(null);
      update({ state: 'sending', progress: 0, error: null });
      try {
        const r = await conversationsApi.uploadAttachment(
          api,
          conversationId,
          { file, text: caption, clientMessageId },
          { signal: ctrl.signal, onProgress: (progress) => update({ progress }) },
        );
        setDraft((d) => (d?.clientMessageId === clientMessageId ? null : d));
        onSentRef.current?.(r);
        return true;
      } catch (error) {
        // Cancelled: the file stays, ready to send again (the same id, so a copy the server already kept is not doubled).
        update(ctrl.signal.aborted ? { state: 'ready', progress: 0 } : { state: 'failed', error });
        return false;
      } finally {
        upload.current = null;
      }
    },
    [api, conversationId, draft],
  );

  return { draft, limits, refusal, setRefusal, attach, remove, cancel, send };
}

/** The server's limits, once per widget key for the page's life; every known type and no size check until they are in. */
const limitsByKey = new Map<string, Promise<AttachmentLimits>>();

export function useAttachmentLimits(): AttachmentLimits {
  const { api, session } = useSignedIn();
  const key = session.workspace.widgetKey;
  const [limits, setLimits] = useState<AttachmentLimits>(DEFAULT_ATTACHMENT_LIMITS);
  useEffect(() => {
    let live = true;
    let known = limitsByKey.get(key);
    if (!known) {
      known = conversationsApi.attachmentLimits(api, key).then(
        (l) => (l ? { maxBytes: l.maxBytes, types: l.types } : DEFAULT_ATTACHMENT_LIMITS),
        () => {
          // Asked again next time; meanwhile the server's own 413/415 tell.
          limitsByKey.delete(key);
          return DEFAULT_ATTACHMENT_LIMITS;
        },
      );
      limitsByKey.set(key, known);
    }
    void known.then((l) => {
      if (live) setLimits(l);
    });
    return () => {
      live = false;
    };
  }, [api, key]);
  return limits;
}
