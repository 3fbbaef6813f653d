import type { FlowState } from '../domain/entities.js';
import { isCancel } from '../flows/fill-slot.js';
import { answerFlow, cancelFlow, type FlowContext, type FlowOutcome, type RunAction, startFlow } from '../flows/run-flow.js';
import type { Entity } from '../nlu/extract-entities.js';
import type { FlowCatalog, LoadedFlow } from '../ports/flow-catalog.js';

/** What the flow stage did with a message. */
export type FlowTurn =
  | { kind: 'none' }
  /** A flow started, took the answer, or was cancelled: its outcome is the turn's reply. */
  | { kind: 'handled'; event: 'started' | 'continued' | 'cancelled'; flow: LoadedFlow; outcome: FlowOutcome }
  /** The answer does not fit the question: maybe a question in between (the caller checks the knowledge base). */
  | { kind: 'unfit'; flow: LoadedFlow; state: FlowState };

export interface FlowTurnInput {
  workspaceId: string;
  text: string;
  folded: string;
  entities: readonly Entity[];
  /** The recognised intent, the flow its action names (intent → flow), and whether it links elsewhere (FAQ entry, hand-off). */
  intent: { name: string; flowId: string | null; linked?: boolean } | null;
  active: FlowState | null;
  ctx: FlowContext;
}

/**
 * The flow part of a turn. With a flow waiting for an answer: cancel on "取消 / cancel", take an
 * answer that fits, switch when the message clearly starts another flow, else report it unfit. With
 * none: start the flow the intent or a keyword triggers.
 */
export async function flowTurn(input: FlowTurnInput, catalog: FlowCatalog, runAction: RunAction): Promise<FlowTurn> {
  // An intent the admin linked to an FAQ entry or a hand-off keeps that link: no flow starts on it.
  const triggered = () =>
    input.intent?.linked
      ? null
      : ((input.intent?.flowId ? catalog.byId(input.workspaceId, input.intent.flowId) : null) ??
        catalog.triggered(input.workspaceId, { intent: input.intent?.name ?? null, folded: input.folded }));

  const active = input.active ? catalog.get(input.workspaceId, input.active.key) : null;
  // A flow edited since it started goes on when its step still exists; otherwise it is dropped.
  if (active && input.active && active.parsed.steps.has(input.active.stepId)) {
    const state = input.active;
    if (isCancel(input.text)) return { kind: 'handled', event: 'cancelled', flow: active, outcome: cancelFlow(active.parsed, input.ctx) };
    const answered = await answerFlow(active.parsed, state, input.text, input.entities, input.ctx, runAction);
    if (answered) return { kind: 'handled', event: 'continued', flow: active, outcome: answered };
    const other = triggered();
    if (other && other.key !== active.key) {
      return { kind: 'handled', event: 'started', flow: other, outcome: await startFlow(other.parsed, other.version, input.entities, input.ctx, runAction) };
    }
    return { kind: 'unfit', flow: active, state };
  }
  const flow = triggered();
  if (!flow) return { kind: 'none' };
  return { kind: 'handled', event: 'started', flow, outcome: await startFlow(flow.parsed, flow.version, input.entities, input.ctx, runAction) };
}
