import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { AppDeps } from './deps.js';
import { forgetCachedWorkspace } from './http/plugins/auth.js';
import { errorHandler, sendProblem } from './http/problem.js';
import { apiKeyRoutes } from './http/routes/api-keys.js';
import { attachmentRoutes } from './http/routes/attachments.js';
import { authRoutes } from './http/routes/auth.js';
import { cannedReplyRoutes } from './http/routes/canned-replies.js';
import { chatwootRoutes } from './http/routes/chatwoot.js';
import { contactRoutes } from './http/routes/contacts.js';
import { conversationRoutes } from './http/routes/conversations.js';
import { customChannelRoutes } from './http/routes/custom-channel.js';
import { difyRoutes } from './http/routes/dify.js';
import { flowRoutes } from './http/routes/flows.js';
import { healthRoutes } from './http/routes/health.js';
import { intentRoutes } from './http/routes/intents.js';
import { knowledgeRoutes } from './http/routes/knowledge.js';
import { memberRoutes } from './http/routes/members.js';
import { mentionRoutes } from './http/routes/mentions.js';
import { openaiRoutes } from './http/routes/openai.js';
import { rasaRoutes } from './http/routes/rasa.js';
import { settingsRoutes } from './http/routes/settings.js';
import { slaRoutes } from './http/routes/sla.js';
import { teamRoutes } from './http/routes/teams.js';
import { ticketRoutes } from './http/routes/tickets.js';
import { visitorCsatRoutes } from './http/routes/visitor-csat.js';
import { webhookRoutes } from './http/routes/webhooks.js';
import { widgetRoutes } from './http/routes/widget.js';
import { rasaSocket } from './http/ws/rasa-socket.js';
import { wsRoutes } from './http/ws/ws-routes.js';

const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist/', import.meta.url));
const WIDGET_DIST = fileURLToPath(new URL('../../widget/dist/', import.meta.url));

/** Builds the HTTP app. Never listens: main.ts does, tests use inject() or listen on port 0. */
export async function buildApp(deps: AppDeps, opts: { logger?: Logger | false } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger === false ? undefined : (opts.logger ?? deps.ctx.log),
    // Longest message (MESSAGE_MAX_CHARS characters of up to 4 UTF-8 bytes) plus room for JSON.
    bodyLimit: Math.max(64 * 1024, deps.config.MESSAGE_MAX_CHARS * 4 + 16 * 1024),
    genReqId: () => deps.ctx.ids.next(),
    requestIdHeader: false,
    // Per-request lines only at debug: at info a busy widget would flood the log.
    logController: new LogController({ disableRequestLogging: deps.config.LOG_LEVEL !== 'debug' && deps.config.LOG_LEVEL !== 'trace' }),
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();

  // Settings changed here or on another instance: the next request reads them afresh.
  const unsubscribe = deps.ctx.bus.subscribe((e) => {
    if (e.type === 'workspace.changed') forgetCachedWorkspace(e.workspaceId);
  });
  app.addHook('onClose', async () => {
    unsubscribe();
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => sendProblem(reply, req, 404, 'ROUTE_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`));
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  // With several instances the counts live in Redis, so a limit means the same behind a load balancer;
  // if Redis fails, requests pass rather than fail.
  await app.register(rateLimit, { global: false, ...(deps.redis ? { redis: deps.redis, nameSpace: 'kefu:rate:', skipOnError: true } : {}) });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'kefu API',
        version: '0.1.0',
        description: 'Self-hosted AI customer service. Errors are application/problem+json (RFC 9457) with a stable `code`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Member session token (kfs_…) or API key (kfk_…)' },
          visitor: { type: 'http', scheme: 'bearer', description: 'Visitor token (kfv1.…) returned when a conversation starts' },
          widgetKey: { type: 'apiKey', in: 'header', name: 'X-Kefu-Widget-Key' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  await app.register(healthRoutes(deps));
  await app.register(authRoutes(deps));
  await app.register(conversationRoutes(deps));
  await app.register(contactRoutes(deps));
  await app.register(memberRoutes(deps));
  await app.register(intentRoutes(deps));
  await app.register(flowRoutes(deps));
  await app.register(settingsRoutes(deps));
  await app.register(ticketRoutes(deps));
  await app.register(slaRoutes(deps));
  await app.register(teamRoutes(deps));
  await app.register(cannedReplyRoutes(deps));
  await app.register(mentionRoutes(deps));
  await app.register(apiKeyRoutes(deps));
  await app.register(knowledgeRoutes(deps));
  await app.register(widgetRoutes(deps));
  await app.register(visitorCsatRoutes(deps));
  await app.register(attachmentRoutes(deps));
  // Dify's service API; under its own prefix because kefu's /v1/conversations is the agent API.
  await app.register(difyRoutes(deps), { prefix: '/dify/v1' });
  await app.register(openaiRoutes(deps));
  await app.register(wsRoutes(deps));
  await app.register(rasaRoutes(deps));
  await app.register(chatwootRoutes(deps));
  await app.register(webhookRoutes(deps));
  await app.register(customChannelRoutes(deps));
  await app.register(rasaSocket(deps));

  if (existsSync(CONSOLE_DIST)) {
    await app.register(fastifyStatic, { root: CONSOLE_DIST, prefix: '/app/', decorateReply: true, wildcard: false });
    // Client-side routes of the console all load its index.html.
    app.get('/app/*', { schema: { hide: true } }, (_req, reply) => reply.sendFile('index.html', CONSOLE_DIST));
    app.get('/app', { schema: { hide: true } }, (_req, reply) => reply.redirect('/app/'));
  }
  if (existsSync(WIDGET_DIST)) {
    await app.register(fastifyStatic, { root: WIDGET_DIST, prefix: '/widget/', decorateReply: false });
    app.get('/demo', { schema: { hide: true } }, (_req, reply) => reply.sendFile('demo.html', WIDGET_DIST));
  }
  app.get('/demo/config.json', { schema: { hide: true } }, async (req, reply) => {
    const ws = deps.config.DEMO ? await deps.ctx.store.workspaces.findBySlug('demo') : null;
    if (!ws) return sendProblem(reply, req, 404, 'WORKSPACE_NOT_FOUND', 'the demo workspace is not enabled (DEMO=false)');
    return { widgetKey: ws.widgetKey, name: ws.name };
  });
  app.get('/', { schema: { hide: true } }, (_req, reply) => reply.redirect('/app/'));
  return app as unknown as FastifyInstance;
}
