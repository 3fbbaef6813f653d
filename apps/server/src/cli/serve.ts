import { loadConfig } from '../config/load-config.js';
import { serve } from '../main.js';

export async function runServe() {
  const config = loadConfig();
  const server = await serve(config);
  const stop = (signal: string) => {
    process.stderr.write(`kefu: ${signal} received, finishing in-flight turns…\n`);
    server.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`kefu: shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
