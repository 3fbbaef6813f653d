import { IdentitySecretView, UsageQuery, UsageReport, WorkspaceSettingsPatch, WorkspaceSettingsView } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps.js';
import { getIdentitySecret, rotateIdentitySecret } from '../../usecases/identity-secret.js';
import { getSettings, updateSettings, usageReport } from '../../usecases/manage-settings.js';
import { requireRole } from '../plugins/auth.js';

const security = [{ bearer: [] }];
const tags = ['settings'];

export const settingsRoutes =
  ({ ctx }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/settings', { schema: { tags, security, response: { 200: WorkspaceSettingsView } }, onRequest: requireRole(ctx, 'viewer') }, async (req) =>
      getSettings(ctx, req.principal!.workspaceId),
    );
    app.patch(
      '/v1/settings',
      { schema: { tags, security, body: WorkspaceSettingsPatch, response: { 200: WorkspaceSettingsView } }, onRequest: requireRole(ctx, 'admin') },
      async (req) => updateSettings(ctx, req.principal!.workspaceId, req.body),
    );
    app.get(
      '/v1/settings/identity-secret',
      {
        schema: { tags, security, summary: 'The widget identity-verification secret (created on first read)', response: { 200: IdentitySecretView } },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req) => ({ secret: await getIdentitySecret(ctx, req.principal!.workspaceId) }),
    );
    app.post(
      '/v1/settings/identity-secret',
      {
        schema: { tags, security, summary: 'Replace the identity-verification secret; old hashes stop verifying', response: { 200: IdentitySecretView } },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req) => ({ secret: await rotateIdentitySecret(ctx, req.principal!.workspaceId) }),
    );
    app.get(
      '/v1/usage',
      { schema: { tags, security, querystring: UsageQuery, response: { 200: UsageReport } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => usageReport(ctx, req.principal!.workspaceId, req.query),
    );
  };
