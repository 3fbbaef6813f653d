import { type ActionOutcome, HttpActionConfigSchema, runHttpAction } from '../adapters/actions/run-http-action.js';
import { decryptSecret, encryptSecret } from '../adapters/auth/secrets.js';
import type { ActionRecord } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import { parseFlow } from '../flows/parse-flow.js';
import type { RunAction } from '../flows/run-flow.js';
import type { Principal, UseCaseContext } from './context.js';

// A workspace's actions: HTTP connectors into its systems, which flows call. Secret values (API keys
// sent in headers) are encrypted with the app secret and never returned; responses show their names.

export interface ActionInput {
  key: string;
  description?: string;
  kind: 'http';
  config: unknown;
  /** Secret values by name; null removes one. Names not given keep their value. */
  secrets?: Record<string, string | null>;
  /** The language model may run it as a tool; unchanged when not given. */
  llmTool?: boolean;
}

export const listActions = (ctx: UseCaseContext, p: Principal) => ctx.store.actions.list(p.workspaceId);

export async function getAction(ctx: UseCaseContext, p: Principal, id: string): Promise<ActionRecord> {
  const a = await ctx.store.actions.find(p.workspaceId, id);
  if (!a) throw notFound('action', id);
  return a;
}

export async function saveAction(ctx: UseCaseContext, p: { workspaceId: string }, input: ActionInput, id?: string): Promise<ActionRecord> {
  const existing = id ? await ctx.store.actions.find(p.workspaceId, id) : await ctx.store.actions.findByKey(p.workspaceId, input.key);
  if (id && !existing) throw notFound('action', id);
  const clash = await ctx.store.actions.findByKey(p.workspaceId, input.key);
  if (clash && clash.id !== existing?.id)
    throw new DomainError('ACTION_KEY_TAKEN', `an action with key ${input.key} exists`, { field: 'body.key', id: clash.id });
  const parsed = HttpActionConfigSchema.safeParse(input.config);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({
      field: ['body', 'config', ...i.path.filter((x) => typeof x !== 'symbol')].join('.'),
      code: 'ACTION_INVALID',
      message: i.message,
    }));
    throw new DomainError('ACTION_INVALID', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }
  const secrets = { ...(existing?.secrets ?? {}) };
  for (const [name, value] of Object.entries(input.secrets ?? {})) {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name))
      throw new DomainError('ACTION_INVALID', `secret name ${name} is not an identifier`, { field: `body.secrets.${name}` });
    if (value === null) delete secrets[name];
    else secrets[name] = encryptSecret(value, ctx.config.appSecret);
  }
  const now = ctx.clock.now().toISOString();
  const action: ActionRecord = {
    id: existing?.id ?? ctx.ids.next(),
    workspaceId: p.workspaceId,
    key: input.key,
    description: input.description ?? existing?.description ?? '',
    kind: 'http',
    config: parsed.data as Record<string, unknown>,
    secrets,
    llmTool: input.llmTool ?? existing?.llmTool ?? false,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await ctx.store.actions.save(action);
  // Flows that call it may now check (or the key changed): reload them everywhere.
  await ctx.bus.publish([{ type: 'flows.changed', workspaceId: p.workspaceId }]);
  return action;
}

/** Deleting an action a flow calls would break the flow: refused with the flows that use it. */
export async function deleteAction(ctx: UseCaseContext, p: Principal, id: string) {
  const action = await getAction(ctx, p, id);
  const users = (await ctx.store.flows.list(p.workspaceId)).filter((f) => {
    try {
      return usesAction(parseFlow(f.source).definition.steps, action.key);
    } catch {
      return false;
    }
  });
  if (users.length > 0) {
    throw new DomainError('ACTION_IN_USE', `flows ${users.map((f) => f.key).join(', ')} call this action`, { flows: users.map((f) => f.key) });
  }
  await ctx.store.actions.delete(p.workspaceId, id);
  await ctx.bus.publish([{ type: 'flows.changed', workspaceId: p.workspaceId }]);
}

const usesAction = (steps: ReturnType<typeof parseFlow>['definition']['steps'], key: string) => steps.some((s) => 'call' in s && s.call.action === key);

/** The action's secrets in the clear, or null when they were encrypted with another APP_SECRET. */
function openSecrets(ctx: UseCaseContext, action: ActionRecord): Record<string, string> | null {
  try {
    return Object.fromEntries(Object.entries(action.secrets).map(([n, v]) => [n, decryptSecret(v, ctx.config.appSecret)]));
  } catch {
    ctx.log.error({ workspaceId: action.workspaceId, action: action.key }, 'action secrets cannot be decrypted (APP_SECRET changed?)');
    return null;
  }
}

/** One call of the action with the given arguments ({{args.x}}), for an admin checking its settings. */
export async function testAction(ctx: UseCaseContext, p: Principal, id: string, args: Record<string, unknown>): Promise<ActionOutcome> {
  const action = await getAction(ctx, p, id);
  const secrets = openSecrets(ctx, action);
  if (!secrets) throw new DomainError('ACTION_SECRET_UNREADABLE', 'the action’s secrets were encrypted with another APP_SECRET; save them again', {});
  return runHttpAction(action.config as never, { args, slots: {}, secrets }, { idempotencyKey: `test:${ctx.ids.next()}` });
}

/**
 * How a workspace's flows call its actions: the action by key with its secrets decrypted, the flow's
 * arguments as `{{args.x}}`, and the conversation's slots and contact. Failures are values.
 */
export function workspaceActionRunner(ctx: UseCaseContext, workspaceId: string): RunAction {
  return async (key, args, { idempotencyKey, scope }) => {
    const action = await ctx.store.actions.findByKey(workspaceId, key);
    if (!action) return { ok: false, error: 'not_found', message: `no action ${key}` };
    const secrets = openSecrets(ctx, action);
    if (!secrets) return { ok: false, error: 'secret_unreadable', message: 'the action’s secrets cannot be read' };
    const outcome: ActionOutcome = await runHttpAction(action.config as never, { ...scope, args, secrets }, { idempotencyKey });
    ctx.log.info(
      {
        workspaceId,
        action: key,
        ok: outcome.ok,
        ms: outcome.ms,
        attempts: outcome.attempts,
        ...(outcome.ok ? {} : { error: outcome.error, status: outcome.status }),
      },
      'action ran',
    );
    return outcome.ok
      ? { ok: true, data: outcome.data, slots: outcome.slots }
      : { ok: false, error: outcome.error, message: outcome.message, ...(outcome.status === undefined ? {} : { status: outcome.status }) };
  };
}
