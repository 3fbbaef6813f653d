import type { MessagePart } from '@kefu/protocol';
import type { FlowState } from '../domain/entities.js';
import { renderJson, renderTemplate } from '../engine/render-template.js';
import { REPLIES, type ReplyLocale, YES_NO } from '../engine/reply-catalog.js';
import type { Entity } from '../nlu/extract-entities.js';
import { BUILTIN_ACTIONS, builtinEffect, type FlowEffect } from './builtin-actions.js';
import { type AskSpec, entitySlot, fillSlot } from './fill-slot.js';
import { compileCondition } from './flow-conditions.js';
import { localizeText } from './localize-text.js';
import type { ParsedFlow } from './parse-flow.js';

export type { FlowState };

export interface FlowContext {
  workspaceId: string;
  conversationId: string;
  locale: ReplyLocale;
  contact: { id: string; name: string | null; attributes: Record<string, unknown> };
  conversation: { id: string; channel: string; language: string | null };
  now: Date;
}

/** Runs a workspace action (HTTP connector) for a flow. Never throws for expected failures. */
export type RunAction = (
  key: string,
  args: Record<string, unknown>,
  ctx: { idempotencyKey: string; scope: Record<string, unknown> },
) => Promise<{ ok: true; data: unknown; slots: Record<string, unknown> } | { ok: false; error: string; message: string; status?: number }>;

export interface FlowMessage {
  text: string;
  parts: MessagePart[];
}

/** One step as it ran, for the trace. */
export interface FlowStepRun {
  id: string;
  kind: 'say' | 'ask' | 'call' | 'branch' | 'set' | 'handoff' | 'end';
  outcome: string;
  ms: number;
}

export interface FlowOutcome {
  status: 'waiting' | 'ended' | 'handoff' | 'failed';
  /** The state to keep (status waiting), else null. */
  state: FlowState | null;
  messages: FlowMessage[];
  effects: FlowEffect[];
  /** Why the flow handed off, and the slots it had collected (for the agent). */
  handoff: { reason: string; note: string | null; slots: Record<string, unknown> } | null;
  steps: FlowStepRun[];
}

/** Steps one turn may run before the flow is judged to loop. */
const STEP_BUDGET = 60;

/**
 * Starts a flow at its first step. Entities already in the triggering message fill `entity` slots,
 * so "查一下订单 YD2026112100123" does not ask for the order number again.
 */
export async function startFlow(flow: ParsedFlow, version: number, entities: readonly Entity[], ctx: FlowContext, runAction: RunAction): Promise<FlowOutcome> {
  const slots: Record<string, unknown> = {};
  for (const step of flow.definition.steps) {
    if (!('ask' in step)) continue;
    const fill = entitySlot(step.ask, entities);
    if (fill.fits && slots[step.ask.slot] === undefined) slots[step.ask.slot] = fill.value;
  }
  const state: FlowState = { key: flow.definition.key, version, stepId: flow.stepIds[0]!, slots, attempts: 0, startedAt: ctx.now.toISOString() };
  return runFrom(flow, state, flow.stepIds[0]!, ctx, runAction, newOutcome());
}

/** The answer to the question the flow is waiting on: fits → store it and go on; else null (the caller decides: digression, cancel, re-ask). */
export async function answerFlow(
  flow: ParsedFlow,
  state: FlowState,
  text: string,
  entities: readonly Entity[],
  ctx: FlowContext,
  runAction: RunAction,
): Promise<FlowOutcome | null> {
  const ask = askAt(flow, state.stepId);
  if (!ask) return runFrom(flow, state, state.stepId, ctx, runAction, newOutcome());
  const fill = fillSlot(ask, text, entities);
  if (!fill.fits) return null;
  const next = { ...state, slots: { ...state.slots, [ask.slot]: fill.value }, attempts: 0 };
  const out = newOutcome();
  out.steps.push({ id: state.stepId, kind: 'ask', outcome: `filled ${ask.slot}`, ms: 0 });
  return runFrom(flow, next, nextOf(flow, state.stepId), ctx, runAction, out);
}

/** An answer that does not fit: say so and ask again, or after the last attempt go to `onFail`. */
export async function rejectAnswer(flow: ParsedFlow, state: FlowState, ctx: FlowContext, runAction: RunAction): Promise<FlowOutcome> {
  const ask = askAt(flow, state.stepId);
  const out = newOutcome();
  if (!ask) return runFrom(flow, state, state.stepId, ctx, runAction, out);
  const attempts = state.attempts + 1;
  if (attempts >= ask.attempts) {
    out.steps.push({ id: state.stepId, kind: 'ask', outcome: `gave up after ${attempts} answers`, ms: 0 });
    return runFrom(flow, { ...state, attempts: 0 }, ask.onFail, ctx, runAction, out);
  }
  const next = { ...state, attempts };
  const invalid = ask.invalid ? render(localizeText(ask.invalid, ctx.locale), next, ctx) : REPLIES.flowInvalid[ctx.locale];
  out.messages.push({ text: invalid, parts: [] });
  out.messages.push(question(ask, next, ctx));
  out.steps.push({ id: state.stepId, kind: 'ask', outcome: `answer did not fit (${attempts}/${ask.attempts})`, ms: 0 });
  return { ...out, status: 'waiting', state: next };
}

/** The question again, after the customer asked something else in between. */
export function repeatQuestion(flow: ParsedFlow, state: FlowState, ctx: FlowContext): FlowMessage | null {
  const ask = askAt(flow, state.stepId);
  if (!ask) return null;
  const q = question(ask, state, ctx);
  return { ...q, text: `${REPLIES.flowResume[ctx.locale]}${q.text}` };
}

/** The customer cancelled. */
export function cancelFlow(flow: ParsedFlow, ctx: FlowContext): FlowOutcome {
  const text = flow.definition.cancelled ? localizeText(flow.definition.cancelled, ctx.locale) : REPLIES.flowCancelled[ctx.locale];
  return { ...newOutcome(), status: 'ended', messages: [{ text, parts: [] }] };
}

// --- running steps ---------------------------------------------------------------------------------

async function runFrom(flow: ParsedFlow, start: FlowState, from: string, ctx: FlowContext, runAction: RunAction, out: FlowOutcome): Promise<FlowOutcome> {
  let state = start;
  let id = from;
  for (let budget = 0; budget < STEP_BUDGET; budget++) {
    if (id === 'end') return { ...out, status: 'ended', state: null };
    if (id === 'handoff') return handoff(out, 'flow', null, ctx, null);
    const step = flow.steps.get(id);
    if (!step) return { ...out, status: 'failed', state: null };
    const t0 = performance.now();
    const ran = (kind: FlowStepRun['kind'], outcome: string) => out.steps.push({ id, kind, outcome, ms: round(performance.now() - t0) });
    const next = step.next ?? nextOf(flow, id);

    if ('say' in step) {
      out.messages.push({ text: render(localizeText(step.say, ctx.locale), state, ctx), parts: [] });
      ran('say', 'said');
      id = next;
    } else if ('ask' in step) {
      const have = state.slots[step.ask.slot];
      if (have !== undefined && have !== null && !step.ask.always) {
        ran('ask', `already have ${step.ask.slot}`);
        id = next;
        continue;
      }
      state = { ...state, stepId: id, attempts: 0 };
      out.messages.push(question(step.ask, state, ctx));
      ran('ask', `asked for ${step.ask.slot}`);
      return { ...out, status: 'waiting', state };
    } else if ('call' in step) {
      const call = step.call;
      const missing: string[] = [];
      const args = (renderJson(call.with ?? {}, scopeOf(state, ctx), missing) ?? {}) as Record<string, unknown>;
      if (BUILTIN_ACTIONS.has(call.action)) {
        const r = builtinEffect(call.action, args);
        if ('effect' in r) {
          out.effects.push(r.effect);
          ran('call', `${call.action}`);
          id = next;
        } else {
          ran('call', `${call.action} failed: ${r.error}`);
          id = call.onError;
        }
        continue;
      }
      const r = await runAction(call.action, args, {
        idempotencyKey: `${ctx.conversationId}:${state.key}:${state.startedAt}:${id}`,
        scope: scopeOf(state, ctx),
      });
      if (r.ok) {
        state = { ...state, slots: { ...state.slots, ...r.slots, ...(call.save ? { [call.save]: r.data } : {}), last_error: null, last_status: null } };
        ran('call', `${call.action} ok`);
        id = next;
      } else {
        state = { ...state, slots: { ...state.slots, ...(call.save ? { [call.save]: null } : {}), last_error: r.error, last_status: r.status ?? null } };
        ran('call', `${call.action} failed: ${r.error}`);
        id = call.onError;
      }
    } else if ('branch' in step) {
      const scope = scopeOf(state, ctx);
      let target = next;
      let why = 'no case matched';
      for (const c of step.branch) {
        if ('else' in c) {
          target = c.else;
          why = 'else';
          break;
        }
        if (compileCondition(c.when)(scope)) {
          target = c.goto;
          why = c.when;
          break;
        }
      }
      ran('branch', `${why} → ${target}`);
      id = target;
    } else if ('set' in step) {
      const values = renderJson(step.set, scopeOf(state, ctx)) as Record<string, unknown>;
      state = { ...state, slots: { ...state.slots, ...values } };
      ran('set', Object.keys(values).join(', '));
      id = next;
    } else if ('handoff' in step) {
      ran('handoff', step.handoff.reason);
      return handoff(out, step.handoff.reason, step.handoff.note ? render(step.handoff.note, state, ctx) : null, ctx, step.handoff.message ?? null, state);
    } else if ('end' in step) {
      if (step.end !== null) out.messages.push({ text: render(localizeText(step.end, ctx.locale), state, ctx), parts: [] });
      ran('end', 'ended');
      return { ...out, status: 'ended', state: null };
    }
  }
  // A loop of gotos with no question in between: hand off rather than spin.
  out.steps.push({ id, kind: 'end', outcome: `stopped after ${STEP_BUDGET} steps`, ms: 0 });
  return handoff(out, 'flow_loop', null, ctx, null);
}

function handoff(
  out: FlowOutcome,
  reason: string,
  note: string | null,
  ctx: FlowContext,
  message: Parameters<typeof localizeText>[0] | null,
  state?: FlowState,
): FlowOutcome {
  const text = message ? render(localizeText(message, ctx.locale), state, ctx) : REPLIES.handoff[ctx.locale];
  out.messages.push({ text, parts: [] });
  return { ...out, status: 'handoff', state: null, handoff: { reason, note, slots: state?.slots ?? {} } };
}

function question(ask: AskSpec, state: FlowState, ctx: FlowContext): FlowMessage {
  const text = render(localizeText(ask.prompt, ctx.locale), state, ctx);
  if (ask.type === 'choice' && ask.choices) {
    const options = ask.choices.map((c) => {
      const label = localizeText(c.label, ctx.locale);
      return { label, value: label };
    });
    return { text, parts: [{ type: 'quick_replies', options }] };
  }
  if (ask.type === 'yes_no') {
    const [yes, no] = YES_NO[ctx.locale];
    return { text, parts: [{ type: 'quick_replies', options: [yes, no].map((l) => ({ label: l, value: l })) }] };
  }
  return { text, parts: [] };
}

const askAt = (flow: ParsedFlow, id: string): AskSpec | null => {
  const step = flow.steps.get(id);
  return step && 'ask' in step ? step.ask : null;
};

const nextOf = (flow: ParsedFlow, id: string) => flow.stepIds[flow.stepIds.indexOf(id) + 1] ?? 'end';

const scopeOf = (state: FlowState | undefined, ctx: FlowContext) => ({
  slots: state?.slots ?? {},
  contact: ctx.contact,
  conversation: ctx.conversation,
});

const render = (text: string, state: FlowState | undefined, ctx: FlowContext) => renderTemplate(text, scopeOf(state, ctx)).text;

const newOutcome = (): FlowOutcome => ({ status: 'waiting', state: null, messages: [], effects: [], handoff: null, steps: [] });
const round = (n: number) => Math.round(n * 1000) / 1000;
