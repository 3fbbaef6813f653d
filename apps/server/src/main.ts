import { buildApp } from './app.js';
import type { Config } from './config/config.js';
import { startShopOrderApi } from './demo/shop-order-api.js';
import { createDeps, createLogger } from './deps.js';
import { seedDemo } from './usecases/seed-demo.js';

/**
 * Starts the platform: migrations, demo workspace (first start), HTTP + WebSocket. On SIGINT/SIGTERM it
 * stops accepting requests, finishes in-flight turns and closes the database.
 */
export async function serve(config: Config): Promise<{ close: () => Promise<void>; url: string }> {
  const log = createLogger(config);
  const deps = await createDeps(config, { log });
  // The demo shop's order API, which the demo flows call: a separate little server, as a business's own system would be.
  const shop = config.DEMO ? await startShopOrderApi({ host: '127.0.0.1', port: 0 }) : null;
  const demo = config.DEMO ? await seedDemo(deps.ctx, config.DATA_DIR, { trainIntents: true, ...(shop ? { shopApiUrl: shop.url } : {}) }) : null;
  const app = await buildApp(deps);
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = config.PUBLIC_URL ?? `http://${host}:${port}`;

  const lines = ['', `  kefu is running — ${url}`, '', `  Agent console   ${url}/app/`, `  Demo chat       ${url}/demo`, `  API docs        ${url}/docs`];
  if (demo) {
    lines.push('', `  Demo admin      ${demo.adminEmail}`);
    lines.push(`  Password        ${demo.adminPassword ?? '(changed since first start; see README to reset)'}`);
    if (shop) lines.push(`  Demo order API  ${shop.url}/orders/YD2026111800456`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      log.info('shutting down');
      await app.close();
      await deps.close();
      await shop?.close();
      log.info('stopped');
    })();
    return closing;
  };
  return { close, url };
}
