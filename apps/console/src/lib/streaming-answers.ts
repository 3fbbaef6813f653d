import type { Message, ServerFrame } from '@kefu/protocol';

/** A generated answer being written, shown until its stored message arrives. */
export interface StreamingAnswer {
  answerId: string;
  text: string;
  /** The last delta's `seq`: repeated or late frames are dropped. */
  seq: number;
  /** `replaced`: what was streamed broke a rule or the model failed; `text` is what is sent instead. */
  status: 'writing' | 'done' | 'replaced';
}

type AnswerFrame = Extract<ServerFrame, { type: 'answer-start' | 'answer-delta' | 'answer-end' }>;

/** The answers being written after one frame. An answer that ends empty (the turn failed) is dropped. */
export function applyAnswerFrame(current: readonly StreamingAnswer[], f: AnswerFrame): StreamingAnswer[] {
  const i = current.findIndex((a) => a.answerId === f.answerId);
  const list = [...current];
  if (f.type === 'answer-start') {
    if (i < 0) list.push({ answerId: f.answerId, text: '', seq: -1, status: 'writing' });
    return list;
  }
  const a = list[i];
  if (!a) return list;
  if (f.type === 'answer-delta') {
    if (f.seq <= a.seq || a.status !== 'writing') return list;
    list[i] = { ...a, text: a.text + f.text, seq: f.seq };
    return list;
  }
  if (f.status === 'replaced' && f.text === '') return list.filter((x) => x.answerId !== f.answerId);
  list[i] = { ...a, text: f.text, status: f.status };
  return list;
}

/** Drops answers whose stored message has arrived (the message keeps the answer's id). */
export function settleAnswers(current: readonly StreamingAnswer[], messages: readonly Pick<Message, 'id'>[]): StreamingAnswer[] {
  if (current.length === 0) return current as StreamingAnswer[];
  const ids = new Set(messages.map((m) => m.id));
  const rest = current.filter((a) => !ids.has(a.answerId));
  return rest.length === current.length ? (current as StreamingAnswer[]) : rest;
}
