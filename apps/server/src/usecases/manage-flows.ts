import type { FlowRecord } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import { FlowParseError, type ParsedFlow, parseFlow } from '../flows/parse-flow.js';
import { type Principal, principalMemberId, type UseCaseContext } from './context.js';

// A workspace's flows: YAML sources, checked on save (line-numbered problems; an invalid source is
// refused and the previous version keeps serving), versioned, and loaded into the flow catalog of
// every instance on `flows.changed`.

export interface FlowInput {
  source: string;
  enabled?: boolean;
}

const changed = (ctx: UseCaseContext, workspaceId: string) => ctx.bus.publish([{ type: 'flows.changed', workspaceId }]);

export const listFlows = (ctx: UseCaseContext, p: Principal) => ctx.store.flows.list(p.workspaceId);

export async function getFlow(ctx: UseCaseContext, p: Principal, id: string): Promise<FlowRecord> {
  const flow = await ctx.store.flows.find(p.workspaceId, id);
  if (!flow) throw notFound('flow', id);
  return flow;
}

/** Checks a flow's YAML against the workspace's actions; throws FLOW_INVALID with every problem and its line. */
export async function checkFlow(ctx: UseCaseContext, workspaceId: string, source: string): Promise<ParsedFlow> {
  const actionKeys = new Set((await ctx.store.actions.list(workspaceId)).map((a) => a.key));
  try {
    return parseFlow(source, { actionKeys });
  } catch (err) {
    if (!(err instanceof FlowParseError)) throw err;
    const first = err.problems[0];
    throw new DomainError('FLOW_INVALID', err.message, {
      field: 'body.source',
      ...(first?.line ? { line: first.line } : {}),
      problems: err.problems,
    });
  }
}

/**
 * Creates a flow, or saves a new version of one (by id, or by the key in the YAML when `id` is not
 * given: importing a flow again updates it). Unchanged sources keep their version.
 */
export async function saveFlow(
  ctx: UseCaseContext,
  p: Principal | { workspaceId: string; memberId?: null },
  input: FlowInput,
  id?: string,
): Promise<FlowRecord> {
  const workspaceId = p.workspaceId;
  const parsed = await checkFlow(ctx, workspaceId, input.source);
  const key = parsed.definition.key;
  const existing = id ? await ctx.store.flows.find(workspaceId, id) : await ctx.store.flows.findByKey(workspaceId, key);
  if (id && !existing) throw notFound('flow', id);
  const clash = await ctx.store.flows.findByKey(workspaceId, key);
  if (clash && clash.id !== existing?.id) throw new DomainError('FLOW_KEY_TAKEN', `a flow with key ${key} exists`, { field: 'body.source', id: clash.id });
  const now = ctx.clock.now().toISOString();
  const sourceChanged = existing?.source !== input.source;
  const flow: FlowRecord = {
    id: existing?.id ?? ctx.ids.next(),
    workspaceId,
    key,
    enabled: input.enabled ?? existing?.enabled ?? true,
    version: existing ? existing.version + (sourceChanged ? 1 : 0) : 1,
    source: input.source,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  const author = 'kind' in p ? principalMemberId(p) : null;
  await ctx.store.transaction((tx) => tx.flows.save(flow, author));
  await changed(ctx, workspaceId);
  return flow;
}

export async function deleteFlow(ctx: UseCaseContext, p: Principal, id: string) {
  if (!(await ctx.store.flows.delete(p.workspaceId, id))) throw notFound('flow', id);
  await changed(ctx, p.workspaceId);
}

export async function flowVersions(ctx: UseCaseContext, p: Principal, id: string) {
  await getFlow(ctx, p, id);
  return ctx.store.flows.versions(p.workspaceId, id);
}

/** Makes an earlier version the current one (as a new version). */
export async function restoreFlowVersion(ctx: UseCaseContext, p: Principal, id: string, version: number): Promise<FlowRecord> {
  const flow = await getFlow(ctx, p, id);
  const old = (await ctx.store.flows.versions(p.workspaceId, id)).find((v) => v.version === version);
  if (!old) throw new DomainError('FLOW_VERSION_NOT_FOUND', `flow ${flow.key} has no version ${version}`, { version });
  return saveFlow(ctx, p, { source: old.source }, id);
}

/**
 * Loads a workspace's flows into the catalog. A stored flow that no longer parses (an action it
 * calls was deleted) is logged and left out; the others serve.
 */
export async function loadFlows(ctx: UseCaseContext, workspaceId: string) {
  const records = await ctx.store.flows.list(workspaceId);
  const actionKeys = new Set((await ctx.store.actions.list(workspaceId)).map((a) => a.key));
  const loaded: { record: FlowRecord; parsed: ParsedFlow }[] = [];
  for (const record of records) {
    try {
      loaded.push({ record, parsed: parseFlow(record.source, { actionKeys }) });
    } catch (err) {
      ctx.log.warn({ workspaceId, flow: record.key, err: (err as Error).message }, 'flow left out: it does not check');
    }
  }
  ctx.flows.set(workspaceId, loaded);
}
