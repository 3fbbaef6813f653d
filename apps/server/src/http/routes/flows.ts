import { Action, ActionBody, ActionTestBody, ActionTestResult, Flow, FlowBody, FlowVersion, IdParams } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import type { ActionRecord, FlowRecord } from '../../domain/entities.js';
import { parseFlow } from '../../flows/parse-flow.js';
import { deleteAction, getAction, listActions, saveAction, testAction } from '../../usecases/manage-actions.js';
import { checkFlow, deleteFlow, flowVersions, getFlow, listFlows, restoreFlowVersion, saveFlow } from '../../usecases/manage-flows.js';
import { requireRole } from '../plugins/auth.js';

const security = [{ bearer: [] }];
const tags = ['dialogue'];

const flowDto = (f: FlowRecord) => {
  // Stored sources were checked on save; a source that no longer checks (an action it calls was
  // removed) is shown with an empty definition rather than failing the list.
  let definition: ReturnType<typeof parseFlow>['definition'] | null = null;
  try {
    definition = parseFlow(f.source).definition;
  } catch {
    definition = null;
  }
  return {
    id: f.id,
    key: f.key,
    name: definition?.name ?? f.key,
    description: definition?.description ?? '',
    enabled: f.enabled,
    version: f.version,
    source: f.source,
    definition,
    triggers: definition?.triggers ?? { intents: [], keywords: [] },
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
  };
};

const actionDto = (a: ActionRecord) => ({
  id: a.id,
  key: a.key,
  description: a.description,
  kind: a.kind,
  config: a.config,
  secretNames: Object.keys(a.secrets).sort(),
  llmTool: a.llmTool,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
});

export const flowRoutes =
  ({ ctx }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/flows',
      { schema: { tags, security, response: { 200: z.object({ items: z.array(Flow) }) } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => ({ items: (await listFlows(ctx, req.principal!)).map(flowDto) }),
    );
    app.post(
      '/v1/flows',
      {
        schema: {
          tags,
          summary: 'Create a flow from its YAML, or import a new version of the flow with the same key; invalid YAML is refused with line-numbered problems',
          security,
          body: FlowBody,
          response: { 201: Flow },
        },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req, reply) => reply.status(201).send(flowDto(await saveFlow(ctx, req.principal!, req.body))),
    );
    app.post(
      '/v1/flows/check',
      {
        schema: {
          tags,
          summary: 'Check a flow’s YAML without saving it',
          security,
          body: FlowBody,
          response: { 200: z.object({ ok: z.literal(true), key: z.string() }) },
        },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req) => ({ ok: true as const, key: (await checkFlow(ctx, req.principal!.workspaceId, req.body.source)).definition.key }),
    );
    app.get('/v1/flows/:id', { schema: { tags, security, params: IdParams, response: { 200: Flow } }, onRequest: requireRole(ctx, 'viewer') }, async (req) =>
      flowDto(await getFlow(ctx, req.principal!, req.params.id)),
    );
    app.put(
      '/v1/flows/:id',
      { schema: { tags, security, params: IdParams, body: FlowBody, response: { 200: Flow } }, onRequest: requireRole(ctx, 'admin') },
      async (req) => flowDto(await saveFlow(ctx, req.principal!, req.body, req.params.id)),
    );
    app.delete('/v1/flows/:id', { schema: { tags, security, params: IdParams }, onRequest: requireRole(ctx, 'admin') }, async (req, reply) => {
      await deleteFlow(ctx, req.principal!, req.params.id);
      return reply.status(204).send();
    });
    app.get(
      '/v1/flows/:id/export',
      { schema: { tags, summary: 'The flow’s YAML', security, params: IdParams }, onRequest: requireRole(ctx, 'viewer') },
      async (req, reply) => {
        const f = await getFlow(ctx, req.principal!, req.params.id);
        return reply
          .header('content-type', 'application/yaml; charset=utf-8')
          .header('content-disposition', `attachment; filename="${f.key}.yaml"`)
          .send(f.source);
      },
    );
    app.get(
      '/v1/flows/:id/versions',
      { schema: { tags, security, params: IdParams, response: { 200: z.object({ items: z.array(FlowVersion) }) } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => ({ items: await flowVersions(ctx, req.principal!, req.params.id) }),
    );
    app.post(
      '/v1/flows/:id/versions/:version/restore',
      {
        schema: { tags, security, params: IdParams.extend({ version: z.coerce.number().int().min(1) }), response: { 200: Flow } },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req) => flowDto(await restoreFlowVersion(ctx, req.principal!, req.params.id, req.params.version)),
    );

    app.get(
      '/v1/actions',
      { schema: { tags, security, response: { 200: z.object({ items: z.array(Action) }) } }, onRequest: requireRole(ctx, 'admin') },
      async (req) => ({ items: (await listActions(ctx, req.principal!)).map(actionDto) }),
    );
    app.post(
      '/v1/actions',
      { schema: { tags, security, body: ActionBody, response: { 201: Action } }, onRequest: requireRole(ctx, 'admin') },
      async (req, reply) => reply.status(201).send(actionDto(await saveAction(ctx, req.principal!, req.body))),
    );
    app.get('/v1/actions/:id', { schema: { tags, security, params: IdParams, response: { 200: Action } }, onRequest: requireRole(ctx, 'admin') }, async (req) =>
      actionDto(await getAction(ctx, req.principal!, req.params.id)),
    );
    app.put(
      '/v1/actions/:id',
      { schema: { tags, security, params: IdParams, body: ActionBody, response: { 200: Action } }, onRequest: requireRole(ctx, 'admin') },
      async (req) => actionDto(await saveAction(ctx, req.principal!, req.body, req.params.id)),
    );
    app.delete('/v1/actions/:id', { schema: { tags, security, params: IdParams }, onRequest: requireRole(ctx, 'admin') }, async (req, reply) => {
      await deleteAction(ctx, req.principal!, req.params.id);
      return reply.status(204).send();
    });
    app.post(
      '/v1/actions/:id/test',
      {
        schema: {
          tags,
          summary: 'Call the action once with the given arguments ({{args.x}}) and show the outcome',
          security,
          params: IdParams,
          body: ActionTestBody,
          response: { 200: ActionTestResult },
        },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req) => testAction(ctx, req.principal!, req.params.id, req.body.args),
    );
  };
