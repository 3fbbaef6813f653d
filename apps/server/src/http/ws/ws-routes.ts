import type { FastifyPluginAsync } from 'fastify';
import { verifyVisitorToken } from '../../adapters/auth/secrets.js';
import type { AppDeps } from '../../deps.js';
import { authenticate } from '../../usecases/authenticate.js';
import { isSupervisor } from '../../usecases/conversation-access.js';

/**
 * WebSocket endpoints. Browsers cannot set headers on a WebSocket, so the token comes as `?token=`.
 * A bad token closes the socket with 4401 right after the upgrade.
 */
export const wsRoutes =
  ({ ctx, hub }: AppDeps): FastifyPluginAsync =>
  async (app) => {
    // Sockets check their token once a minute, so a revoked API key or expired session stops receiving.
    const timer = setInterval(() => void hub.revalidate(), 60_000);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));

    app.get('/v1/ws', { websocket: true, schema: { hide: true } }, async (socket, req) => {
      const token = (req.query as { token?: string }).token ?? '';
      const principal = await authenticate(ctx, token);
      if (!principal) return socket.close(4401, 'invalid token');
      hub.add(socket, {
        workspaceId: principal.workspaceId,
        conversationId: null,
        memberId: principal.kind === 'member' ? principal.member.id : null,
        restricted: principal.kind === 'member' && !isSupervisor(principal.role),
        name: principal.kind === 'member' ? principal.member.name : principal.apiKey.name,
        stillValid: async () => Boolean(await authenticate(ctx, token)),
      });
    });

    app.get('/v1/widget/ws', { websocket: true, schema: { hide: true } }, async (socket, req) => {
      const token = (req.query as { token?: string }).token ?? '';
      const claims = verifyVisitorToken(token, ctx.config.appSecret, ctx.clock.now().getTime());
      if (!claims) return socket.close(4401, 'invalid token');
      hub.add(socket, {
        workspaceId: claims.workspaceId,
        conversationId: claims.conversationId,
        memberId: null,
        restricted: false,
        name: null,
        stillValid: async () => verifyVisitorToken(token, ctx.config.appSecret, ctx.clock.now().getTime()) !== null,
      });
    });
  };
