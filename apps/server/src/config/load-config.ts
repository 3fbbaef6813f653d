import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Config, parseEnv } from './config.js';

/**
 * Reads the environment and, when APP_SECRET is unset, reads or creates `<DATA_DIR>/app-secret`
 * so that tokens signed before a restart stay valid after it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = parseEnv(env);
  const dataDir = resolve(parsed.DATA_DIR);
  let appSecret = parsed.APP_SECRET;
  if (!appSecret) {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'app-secret');
    if (existsSync(file)) {
      appSecret = readFileSync(file, 'utf8').trim();
    } else {
      appSecret = randomBytes(32).toString('base64url');
      writeFileSync(file, `${appSecret}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
    }
  }
  return Object.freeze({ ...parsed, DATA_DIR: dataDir, appSecret });
}
