import { Analysis, AnalyzeBody, IdParams, Intent, IntentBody, IntentImportBody, IntentModelRun } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import type { Intent as IntentEntity, IntentModelRun as RunEntity } from '../../domain/entities.js';
import { DomainError } from '../../domain/errors.js';
import { DEFAULT_INTENT_THRESHOLD, describeUnderstanding, understand } from '../../engine/understand.js';
import { formatIntentFile, IntentFileError, parseIntentFile } from '../../nlu/intent-files.js';
import { detectLanguage } from '../../text/detect-language.js';
import { normalizeText } from '../../text/normalize-text.js';
import { deleteIntent, getIntent, importIntents, listIntents, saveIntent } from '../../usecases/manage-intents.js';
import { startIntentTraining } from '../../usecases/train-intents.js';
import { requireRole } from '../plugins/auth.js';

const security = [{ bearer: [] }];
const tags = ['understanding'];

const intentDto = (i: IntentEntity) => ({
  id: i.id,
  name: i.name,
  description: i.description,
  examples: i.examples,
  action: i.action,
  createdAt: i.createdAt,
  updatedAt: i.updatedAt,
});

const FORMATS = { csv: 'text/csv', jsonl: 'application/x-ndjson', yaml: 'application/yaml' } as const;

export const intentRoutes =
  ({ ctx, trackInFlight }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const runDto = (r: RunEntity) => ({ ...r, serving: ctx.intentModels.serving(r.workspaceId)?.run.id === r.id });

    app.get(
      '/v1/intents',
      { schema: { tags, security, response: { 200: z.object({ items: z.array(Intent) }) } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => ({ items: (await listIntents(ctx, req.principal!)).map(intentDto) }),
    );
    app.post(
      '/v1/intents',
      { schema: { tags, security, body: IntentBody, response: { 201: Intent } }, onRequest: requireRole(ctx, 'admin') },
      async (req, reply) => reply.status(201).send(intentDto(await saveIntent(ctx, req.principal!, req.body))),
    );
    app.get(
      '/v1/intents/:id',
      { schema: { tags, security, params: IdParams, response: { 200: Intent } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => intentDto(await getIntent(ctx, req.principal!, req.params.id)),
    );
    app.put(
      '/v1/intents/:id',
      { schema: { tags, security, params: IdParams, body: IntentBody, response: { 200: Intent } }, onRequest: requireRole(ctx, 'admin') },
      async (req) => intentDto(await saveIntent(ctx, req.principal!, req.body, req.params.id)),
    );
    app.delete('/v1/intents/:id', { schema: { tags, security, params: IdParams }, onRequest: requireRole(ctx, 'admin') }, async (req, reply) => {
      await deleteIntent(ctx, req.principal!, req.params.id);
      return reply.status(204).send();
    });

    app.post(
      '/v1/intents/import',
      {
        schema: {
          tags,
          summary: 'Import intents and examples from CSV, JSONL or YAML (kefu or Rasa NLU); examples are merged into intents of the same name',
          security,
          body: IntentImportBody,
          response: { 200: z.object({ created: z.number(), updated: z.number() }) },
        },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req) => {
        let records: ReturnType<typeof parseIntentFile>;
        try {
          records = parseIntentFile(req.body.format, req.body.content);
        } catch (err) {
          if (!(err instanceof IntentFileError)) throw err;
          throw new DomainError('INTENT_FILE_INVALID', err.line ? `line ${err.line}: ${err.message}` : err.message, {
            field: 'body.content',
            ...(err.line ? { line: err.line } : {}),
          });
        }
        // Each record is validated like a single intent, so a bad name in a file is reported, not stored.
        const items = records.map((r, i) => {
          const parsed = IntentBody.safeParse(r);
          if (!parsed.success)
            throw new DomainError('INTENT_FILE_INVALID', `intent ${i + 1} (${r.name}): ${parsed.error.issues[0]?.message}`, { field: 'body.content' });
          return parsed.data;
        });
        return importIntents(ctx, req.principal!.workspaceId, items);
      },
    );
    app.get(
      '/v1/intents/export',
      {
        schema: { tags, security, querystring: z.object({ format: z.enum(['csv', 'jsonl', 'yaml']).default('yaml') }) },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req, reply) => {
        const body = formatIntentFile(req.query.format, await listIntents(ctx, req.principal!));
        return reply
          .header('content-type', `${FORMATS[req.query.format]}; charset=utf-8`)
          .header('content-disposition', `attachment; filename="intents.${req.query.format}"`)
          .send(body);
      },
    );

    app.post(
      '/v1/intents/train',
      {
        schema: {
          tags,
          summary: 'Train a new intent model in the background; the current one serves until it is ready',
          security,
          response: { 202: IntentModelRun },
        },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req, reply) => {
        const { run, done } = await startIntentTraining(ctx, req.principal!.workspaceId);
        void trackInFlight(() => done);
        return reply.status(202).send(runDto(run));
      },
    );
    app.get(
      '/v1/intents/models',
      {
        schema: { tags, summary: 'Training runs, newest first', security, response: { 200: z.object({ items: z.array(IntentModelRun) }) } },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => ({ items: (await ctx.store.intents.listRuns(req.principal!.workspaceId, 20)).map(runDto) }),
    );
    app.get(
      '/v1/intents/models/:id',
      { schema: { tags, security, params: IdParams, response: { 200: IntentModelRun } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => {
        const run = await ctx.store.intents.findRun(req.principal!.workspaceId, req.params.id);
        if (!run) throw new DomainError('INTENT_MODEL_NOT_FOUND', 'intent model not found', { id: req.params.id });
        return runDto(run);
      },
    );

    app.post(
      '/v1/nlu/analyze',
      {
        schema: {
          tags,
          summary: 'What the bot understands in a message: intents, entities, sentiment and emotions',
          security,
          body: AnalyzeBody,
          response: { 200: Analysis },
        },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => {
        const ws = await ctx.store.workspaces.findById(req.principal!.workspaceId);
        const settings = ws?.settings ?? {};
        const text = normalizeText(req.body.text);
        const u = understand(req.principal!.workspaceId, text, ctx, settings, ctx.clock.now());
        const lang = detectLanguage(text);
        return {
          language: lang.language,
          mixed: lang.mixed,
          threshold: settings.intentThreshold ?? DEFAULT_INTENT_THRESHOLD,
          ...describeUnderstanding(u),
        };
      },
    );
  };
