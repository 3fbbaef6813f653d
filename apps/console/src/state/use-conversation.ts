import type { Conversation, ConversationStatus, HandoffBody, Message, MessagePage, SnoozeBody, TransferBody } from '@kefu/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';
import { conversationsApi } from '../api/conversations';
import { newer } from '../lib/conversation-filters';
import { applyAnswerFrame, type StreamingAnswer, settleAnswers } from '../lib/streaming-answers';
import { useFrames, useOnReady } from './realtime';
import { useSignedIn } from './session';

const PAGE_SIZE = 200;
/** Enough for any real chat; a runaway conversation should not pin the browser. */
const MAX_PAGES = 25;

export type MessageKind = 'reply' | 'note';

/** A send that has not been confirmed yet; a retry reuses its clientMessageId so it is stored once. */
export interface PendingMessage {
  clientMessageId: string;
  text: string;
  kind: MessageKind;
  state: 'sending' | 'failed';
  error: unknown;
}

export interface ConversationState {
  conversation: Conversation | null;
  messages: Message[];
  pending: PendingMessage[];
  /** Answers the bot is writing right now (language model), until their messages arrive. */
  streaming: StreamingAnswer[];
  loading: boolean;
  error: unknown;
  /** It went to a team this member is not in: the server tells nothing more of it. */
  removed?: boolean;
}

const EMPTY: ConversationState = { conversation: null, messages: [], pending: [], streaming: [], loading: true, error: null };

/**
 * One conversation with all its messages, kept live by frames. Messages are merged by id, so a frame
 * and the response to the same send (or a refetch after a reconnect) never show a message twice.
 */
export function useConversation(id: string) {
  const { api } = useSignedIn();
  const [state, setState] = useState<ConversationState>(EMPTY);
  const seq = useRef(0);
  const idRef = useRef(id);
  idRef.current = id;

  const load = useCallback(async () => {
    const mySeq = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const convPath = `/v1/conversations/${encodeURIComponent(id)}`;
      const [conversation, messages] = await Promise.all([api.get<Conversation>(convPath), fetchAllMessages(api.get.bind(api), `${convPath}/messages`)]);
      if (mySeq !== seq.current) return;
      setState((s) => ({
        ...s,
        conversation: s.conversation?.id === id ? newer(conversation, s.conversation) : conversation,
        messages: mergeMessages(s.messages, messages),
        pending: settlePending(s.pending, messages),
        streaming: settleAnswers(s.streaming, messages),
        loading: false,
      }));
    } catch (error) {
      if (mySeq !== seq.current) return;
      setState((s) => ({ ...s, loading: false, error }));
    }
  }, [api, id]);

  useEffect(() => {
    setState(EMPTY);
    void load();
  }, [load]);

  useOnReady(() => void load());

  useFrames((f) => {
    if (f.type === 'message.created' && f.conversationId === idRef.current) {
      setState((s) => ({
        ...s,
        messages: mergeMessages(s.messages, [f.message]),
        pending: settlePending(s.pending, [f.message]),
        streaming: settleAnswers(s.streaming, [f.message]),
      }));
    } else if ((f.type === 'answer-start' || f.type === 'answer-delta' || f.type === 'answer-end') && f.conversationId === idRef.current) {
      setState((s) => ({ ...s, streaming: settleAnswers(applyAnswerFrame(s.streaming, f), s.messages) }));
    } else if ((f.type === 'conversation.updated' || f.type === 'conversation.created') && f.conversation.id === idRef.current) {
      setState((s) => ({ ...s, conversation: s.conversation ? newer(f.conversation, s.conversation) : f.conversation, removed: false }));
    } else if (f.type === 'conversation.removed' && f.conversationId === idRef.current) {
      setState((s) => ({ ...s, removed: true }));
    }
  });

  const post = useCallback(
    async (p: Pick<PendingMessage, 'clientMessageId' | 'text' | 'kind'>) => {
      const convId = id;
      try {
        const r = await api.post<{ message: Message; conversation: Conversation }>(`/v1/conversations/${encodeURIComponent(convId)}/messages`, {
          text: p.text,
          kind: p.kind,
          clientMessageId: p.clientMessageId,
        });
        if (idRef.current !== convId) return;
        setState((s) => ({
          ...s,
          messages: mergeMessages(s.messages, [r.message]),
          pending: s.pending.filter((x) => x.clientMessageId !== p.clientMessageId),
          conversation: s.conversation ? newer(r.conversation, s.conversation) : r.conversation,
        }));
      } catch (error) {
        if (idRef.current !== convId) return;
        setState((s) => ({
          ...s,
          pending: s.pending.map((x) => (x.clientMessageId === p.clientMessageId ? { ...x, state: 'failed', error } : x)),
        }));
      }
    },
    [api, id],
  );

  const send = useCallback(
    (text: string, kind: MessageKind) => {
      const pending: PendingMessage = { clientMessageId: crypto.randomUUID(), text, kind, state: 'sending', error: null };
      setState((s) => ({ ...s, pending: [...s.pending, pending] }));
      return post(pending);
    },
    [post],
  );

  const retry = useCallback(
    (clientMessageId: string) => {
      const p = state.pending.find((x) => x.clientMessageId === clientMessageId);
      if (!p) return;
      setState((s) => ({ ...s, pending: s.pending.map((x) => (x.clientMessageId === clientMessageId ? { ...x, state: 'sending', error: null } : x)) }));
      return post(p);
    },
    [post, state.pending],
  );

  const discard = useCallback((clientMessageId: string) => {
    setState((s) => ({ ...s, pending: s.pending.filter((x) => x.clientMessageId !== clientMessageId) }));
  }, []);

  /** Runs an ownership or status call and keeps what it answered (unless a newer copy arrived meanwhile). */
  const apply = useCallback(
    async (call: (api: ApiClient, id: string) => Promise<Conversation>) => {
      const updated = await call(api, id);
      if (idRef.current === id) setState((s) => ({ ...s, conversation: s.conversation ? newer(updated, s.conversation) : updated }));
      return updated;
    },
    [api, id],
  );

  const changeStatus = useCallback((status: ConversationStatus) => apply((a, i) => conversationsApi.setStatus(a, i, status)), [apply]);
  const claim = useCallback(() => apply(conversationsApi.claim), [apply]);
  const release = useCallback(() => apply(conversationsApi.release), [apply]);
  const handoff = useCallback((body: HandoffBody) => apply((a, i) => conversationsApi.handoff(a, i, body)), [apply]);
  const transfer = useCallback((body: TransferBody) => apply((a, i) => conversationsApi.transfer(a, i, body)), [apply]);
  const snooze = useCallback((body: SnoozeBody) => apply((a, i) => conversationsApi.snooze(a, i, body)), [apply]);
  const unsnooze = useCallback(() => apply(conversationsApi.unsnooze), [apply]);

  /** A message sent another way (a file from the composer): shown at once, merged with its WebSocket frame by id. */
  const received = useCallback((r: { message: Message; conversation: Conversation }) => {
    if (idRef.current !== r.message.conversationId) return;
    setState((s) => ({
      ...s,
      messages: mergeMessages(s.messages, [r.message]),
      conversation: s.conversation ? newer(r.conversation, s.conversation) : r.conversation,
    }));
  }, []);

  return { ...state, reload: load, send, retry, discard, received, changeStatus, claim, release, handoff, transfer, snooze, unsnooze };
}

type Get = <T>(path: string, query?: Record<string, string | number | undefined>) => Promise<T>;

async function fetchAllMessages(get: Get, path: string): Promise<Message[]> {
  const all: Message[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await get<MessagePage>(path, { limit: PAGE_SIZE, cursor });
    all.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return all;
}

/** Union by id, oldest first; ids are time-ordered UUIDv7 and break ties between equal timestamps. */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return current as Message[];
  const byId = new Map(current.map((m) => [m.id, m]));
  let changed = false;
  for (const m of incoming) {
    if (!byId.has(m.id)) changed = true;
    byId.set(m.id, m);
  }
  if (!changed && incoming.every((m) => current.includes(m))) return current as Message[];
  return [...byId.values()].sort((a, b) => (a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Drops pending sends the server has confirmed (the frame may arrive before the HTTP response). */
function settlePending(pending: PendingMessage[], confirmed: readonly Message[]) {
  if (pending.length === 0) return pending;
  const ids = new Set(confirmed.filter((m) => m.author.type === 'agent' || m.author.type === 'note').map((m) => m.clientMessageId));
  const rest = pending.filter((p) => !ids.has(p.clientMessageId));
  return rest.length === pending.length ? pending : rest;
}
