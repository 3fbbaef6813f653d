import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../app.js';
import { parseEnv } from '../config/config.js';
import { type ShopOrderApi, startShopOrderApi } from '../demo/shop-order-api.js';
import { type AppDeps, createDeps, createLogger } from '../deps.js';
import type { Clock } from '../ports/clock.js';
import { type DemoSeed, seedDemo } from '../usecases/seed-demo.js';

export interface TestServer {
  app: FastifyInstance;
  deps: AppDeps;
  /** Base URL when `listen` was asked for, e.g. http://127.0.0.1:41234 */
  url: string;
  demo: DemoSeed | null;
  /** The demo shop's order API the demo flows call (with the demo). */
  shop: ShopOrderApi | null;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Seed the demo workspace (default true). */
  demo?: boolean;
  /** Listen on a random port (needed for WebSocket and browser tests). */
  listen?: boolean;
  databaseUrl?: string;
  /** PostgreSQL only: the schema to use (see dialects.ts). */
  databaseSchema?: string;
  env?: Record<string, string>;
  /** How soon failed embeddings are retried (default 30 s). */
  vectorRetryMs?: number;
  /** The time use cases and timers see (default the system clock); SLA tests move it. */
  clock?: Clock;
  /** Where logs go (default: LOG_LEVEL from TEST_LOG_LEVEL, silent): tests that check what is logged pass their own. */
  log?: Logger;
}

/** A real app on a temporary SQLite file (or the given database), with the demo workspace. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-test-'));
  const env = parseEnv({
    DATA_DIR: dataDir,
    DATABASE_URL: opts.databaseUrl ?? `sqlite:${join(dataDir, 'kefu.db')}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    ...opts.env,
  });
  const config = Object.freeze({ ...env, appSecret: 'test-secret-test-secret-test-secret-1234' });
  const log = opts.log ?? createLogger(config);
  const deps = await createDeps(config, {
    log,
    ...(opts.databaseSchema ? { database: { schema: opts.databaseSchema } } : {}),
    ...(opts.vectorRetryMs ? { vectorRetryMs: opts.vectorRetryMs } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const shop = opts.demo === false ? null : await startShopOrderApi({ host: '127.0.0.1', port: 0 });
  const demo = opts.demo === false ? null : await seedDemo(deps.ctx, dataDir, shop ? { shopApiUrl: shop.url } : {});
  const app = await buildApp(deps, { logger: log });
  let url = '';
  if (opts.listen) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  } else {
    await app.ready();
  }
  return {
    app,
    deps,
    url,
    demo,
    shop,
    dataDir,
    async close() {
      await app.close();
      await deps.close();
      await shop?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
