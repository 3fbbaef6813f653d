import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { InMemoryEventBus } from './adapters/bus/in-memory-event-bus.js';
import { RedisEventBus } from './adapters/bus/redis-event-bus.js';
import { createDatabase, type DatabaseOptions, migrateToLatest } from './adapters/db/create-database.js';
import { createKyselyStore } from './adapters/db/kysely-store.js';
import { InMemoryFlowCatalog } from './adapters/flows/in-memory-flow-catalog.js';
import { systemClock, uuidv7Ids } from './adapters/ids/uuidv7-ids.js';
import { HttpReranker } from './adapters/llm/http-reranker.js';
import { OpenAICompatibleEmbedder } from './adapters/llm/openai-compatible-embedder.js';
import { OpenAICompatibleLanguageModel } from './adapters/llm/openai-compatible-language-model.js';
import { ResilientEmbedder } from './adapters/llm/resilient-embedder.js';
import { ResilientLanguageModel } from './adapters/llm/resilient-language-model.js';
import { InMemoryConversationLock } from './adapters/lock/in-memory-conversation-lock.js';
import { RedisConversationLock } from './adapters/lock/redis-conversation-lock.js';
import { PromMetrics } from './adapters/metrics/prom-metrics.js';
import { InMemoryIntentModels } from './adapters/nlu/in-memory-intent-models.js';
import { Bm25KnowledgeIndex } from './adapters/search/bm25-knowledge-index.js';
import type { Config } from './config/config.js';
import { RealtimeHub } from './http/ws/realtime-hub.js';
import { subscribeAutoAssign } from './listeners/auto-assign.js';
import { subscribeConversationHistory } from './listeners/conversation-history.js';
import { subscribeFlowSync } from './listeners/flow-sync.js';
import { subscribeIntentSync } from './listeners/intent-sync.js';
import { subscribeKnowledgeStats } from './listeners/knowledge-stats.js';
import { subscribeKnowledgeSync } from './listeners/knowledge-sync.js';
import { subscribeSlaTimers } from './listeners/sla-timers.js';
import { subscribeWebhooks } from './listeners/webhooks.js';
import type { Clock } from './ports/clock.js';
import type { TurnLlm, UseCaseContext } from './usecases/context.js';
import { loadFlows } from './usecases/manage-flows.js';
import { reloadKnowledge } from './usecases/reload-knowledge.js';
import { loadIntents } from './usecases/train-intents.js';
import { UsageMeter } from './usecases/usage-meter.js';

export interface AppDeps {
  config: Config;
  ctx: UseCaseContext;
  hub: RealtimeHub;
  metrics: PromMetrics;
  /** Answer counts per FAQ entry, written in batches; `flush` writes what is pending now. */
  knowledgeStats: { flush(): Promise<void> };
  /** SLA clocks: `sweep` looks at every clock due now (tests call it after moving the clock). */
  sla: { sweep(): Promise<number> };
  /** Outbound webhooks: `sweep` sends every delivery due now (tests call it after moving the clock). */
  webhooks: { sweep(): Promise<number> };
  /** The Redis connection shared by the instances (locks, rate limits); null on a single instance. */
  redis: Redis | null;
  /** Runs work that must finish before shutdown (a bot turn, an import) and counts it as in flight. */
  trackInFlight<T>(fn: () => Promise<T>): Promise<T>;
  shuttingDown(): boolean;
  /** Waits for in-flight turns (up to SHUTDOWN_TIMEOUT_MS), then closes the bus and the database. */
  close(): Promise<void>;
}

export const SECRET_PATHS = ['req.headers.authorization', 'req.headers["x-kefu-widget-key"]', '*.password', '*.token', '*.secret', '*.passwordHash'];

/** WebSocket tokens travel in the query string (browsers cannot set headers there): never log them. */
// Webhook URLs of integrations carry their credential in the path (Chatwoot cannot send a header).
export const redactUrl = (url: string) =>
  url.replace(/([?&]token=)[^&]*/g, '$1[redacted]').replace(/(\/integrations\/chatwoot\/webhook\/)[^/?]+/g, '$1[redacted]');

export const LOG_SERIALIZERS = {
  req: (req: { method?: string; url?: string; id?: string }) => ({ method: req.method, url: req.url ? redactUrl(req.url) : undefined, id: req.id }),
};

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({ level: config.LOG_LEVEL, redact: { paths: SECRET_PATHS, censor: '[redacted]' }, serializers: LOG_SERIALIZERS });
}

/**
 * The language model, when LLM_BASE_URL / LLM_MODEL are set: retries, time budgets and a circuit
 * breaker around the OpenAI-compatible adapter, so that a failing endpoint costs a turn a bounded wait
 * and, once it is clearly down, nothing.
 */
function languageModel(config: Config): TurnLlm | null {
  if (!config.LLM_BASE_URL || !config.LLM_MODEL) return null;
  const model = new ResilientLanguageModel(
    new OpenAICompatibleLanguageModel({ baseURL: config.LLM_BASE_URL, model: config.LLM_MODEL, ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}) }),
    { timeoutMs: config.LLM_ANSWER_TIMEOUT_MS, firstTokenTimeoutMs: config.LLM_TIMEOUT_MS, maxRetries: 1, failureThreshold: 3, cooldownMs: 30_000 },
  );
  return { model, timeoutMs: config.LLM_TIMEOUT_MS, circuit: () => model.state().circuit };
}

/** The composition root: the only place that picks adapters from config. */
export async function createDeps(
  config: Config,
  opts: { log?: Logger; database?: DatabaseOptions; vectorRetryMs?: number; clock?: Clock } = {},
): Promise<AppDeps> {
  const log = opts.log ?? createLogger(config);
  const handle = createDatabase(config.DATABASE_URL, { busyTimeoutMs: config.DATABASE_BUSY_TIMEOUT_MS, ...opts.database });
  await migrateToLatest(handle.db);
  const store = createKyselyStore(handle);
  const knowledge = new Bm25KnowledgeIndex();
  // Several instances share events and per-conversation locks through Redis; one instance needs neither.
  const bus = config.REDIS_URL ? await RedisEventBus.connect(config.REDIS_URL, log) : new InMemoryEventBus(log);
  const lockRedis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 }) : null;
  const embedder =
    config.EMBEDDING_BASE_URL && config.EMBEDDING_MODEL
      ? new ResilientEmbedder(
          new OpenAICompatibleEmbedder({
            baseURL: config.EMBEDDING_BASE_URL,
            model: config.EMBEDDING_MODEL,
            ...(config.EMBEDDING_API_KEY ? { apiKey: config.EMBEDDING_API_KEY } : {}),
            ...(config.EMBEDDING_DIMENSIONS ? { dimensions: config.EMBEDDING_DIMENSIONS } : {}),
          }),
        )
      : null;
  const reranker =
    config.RERANK_BASE_URL && config.RERANK_MODEL
      ? new HttpReranker({ baseURL: config.RERANK_BASE_URL, model: config.RERANK_MODEL, ...(config.RERANK_API_KEY ? { apiKey: config.RERANK_API_KEY } : {}) })
      : null;
  const ctx: UseCaseContext = {
    store,
    knowledge,
    retrieval: {
      knowledge,
      embedder,
      reranker,
      embeddingTimeoutMs: config.EMBEDDING_TIMEOUT_MS,
      rerankTimeoutMs: config.RERANK_TIMEOUT_MS,
      similarityFloor: config.EMBEDDING_SIMILARITY_FLOOR,
    },
    bus,
    intentModels: new InMemoryIntentModels(),
    flows: new InMemoryFlowCatalog(),
    llm: languageModel(config),
    usage: new UsageMeter({ store, log, clock: systemClock }),
    lock: lockRedis ? new RedisConversationLock(lockRedis) : new InMemoryConversationLock(),
    ids: uuidv7Ids,
    clock: opts.clock ?? systemClock,
    log,
    config,
  };
  const hub = new RealtimeHub(ctx);
  bus.subscribe((e) => hub.onEvent(e));
  const knowledgeSync = subscribeKnowledgeSync(ctx, opts.vectorRetryMs ? { vectorRetryMs: opts.vectorRetryMs } : {});
  const knowledgeStats = subscribeKnowledgeStats(ctx);
  subscribeIntentSync(ctx);
  subscribeFlowSync(ctx);
  const autoAssign = subscribeAutoAssign(ctx);
  subscribeConversationHistory(ctx);
  const slaTimers = subscribeSlaTimers(ctx);
  const webhooks = subscribeWebhooks(ctx);
  const metrics = new PromMetrics(knowledge, () => hub.size);
  // BM25 first, so the bot answers from the first request; vectors (an endpoint call per new text)
  // follow in the background and switch the dense lane on per workspace as they arrive.
  const { entries } = await reloadKnowledge(ctx, undefined, { vectors: false });
  log.debug({ entries }, 'knowledge index built');
  for (const w of await store.workspaces.list()) {
    await loadIntents(ctx, w.id, { atStart: true });
    await loadFlows(ctx, w.id);
    // Through the sync listener (not embedKnowledge directly), so a knowledge change arriving meanwhile
    // cannot be overtaken by vectors of older text; it rebuilds BM25 once more, in slices.
    if (embedder) void knowledgeSync.rebuild(w.id);
  }

  let inflight = 0;
  let drained: (() => void) | null = null;
  let closing = false;
  return {
    config,
    ctx,
    hub,
    metrics,
    knowledgeStats,
    sla: slaTimers,
    webhooks,
    redis: lockRedis,
    async trackInFlight(fn) {
      inflight++;
      try {
        return await fn();
      } finally {
        inflight--;
        if (inflight === 0) drained?.();
      }
    },
    shuttingDown: () => closing,
    async close() {
      closing = true;
      if (inflight > 0) {
        await Promise.race([
          new Promise<void>((r) => {
            drained = r;
          }),
          new Promise((r) => setTimeout(r, config.SHUTDOWN_TIMEOUT_MS).unref()),
        ]);
      }
      hub.closeAll();
      knowledgeSync.stop();
      autoAssign.stop();
      slaTimers.stop();
      await webhooks.stop();
      await knowledgeStats.stop();
      await ctx.usage.stop();
      await bus.close();
      await lockRedis?.quit().catch(() => lockRedis.disconnect());
      await store.close();
    },
  };
}
