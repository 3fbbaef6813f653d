import { ApiKey, CreateApiKeyBody, CreateApiKeyResponse, IdParams } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../usecases/manage-api-keys.js';
import { apiKeyDto } from '../dto.js';
import { requireRole } from '../plugins/auth.js';

const security = [{ bearer: [] }];

export const apiKeyRoutes =
  ({ ctx }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/api-keys',
      { schema: { tags: ['api keys'], security, response: { 200: z.object({ items: z.array(ApiKey) }) } }, onRequest: requireRole(ctx, 'admin') },
      async (req) => ({ items: (await listApiKeys(ctx, req.principal!)).map(apiKeyDto) }),
    );
    app.post(
      '/v1/api-keys',
      {
        schema: {
          tags: ['api keys'],
          summary: 'Create an API key; the secret is shown only in this response',
          security,
          body: CreateApiKeyBody,
          response: { 201: CreateApiKeyResponse },
        },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req, reply) => {
        const r = await createApiKey(ctx, req.principal!, req.body);
        return reply.status(201).send({ apiKey: apiKeyDto(r.apiKey), secret: r.secret });
      },
    );
    app.delete(
      '/v1/api-keys/:id',
      {
        schema: { tags: ['api keys'], summary: 'Revoke an API key', security, params: IdParams, response: { 200: ApiKey } },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req) => apiKeyDto(await revokeApiKey(ctx, req.principal!, req.params.id)),
    );
  };
