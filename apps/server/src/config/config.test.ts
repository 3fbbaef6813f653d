import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from './config.js';
import { loadConfig } from './load-config.js';

describe('config', () => {
  it('has working defaults', () => {
    expect(parseEnv({})).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATABASE_URL: 'sqlite:./data/kefu.db',
      LOG_LEVEL: 'info',
      MESSAGE_MAX_CHARS: 4000,
      DEMO: true,
    });
  });

  it('stops with a message naming each bad variable', () => {
    expect(() => parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', DEMO: 'yes', LLM_BASE_URL: 'not a url' })).toThrowError(
      /PORT[\s\S]*DATABASE_URL[\s\S]*DEMO[\s\S]*LLM_BASE_URL|PORT/,
    );
    try {
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', DEMO: 'yes' });
    } catch (err) {
      const msg = (err as Error).message;
      for (const v of ['PORT', 'DATABASE_URL', 'DEMO']) expect(msg).toContain(v);
    }
  });

  it('asks for the model when an embeddings or rerank endpoint is given without one, and the reverse', () => {
    expect(() => parseEnv({ EMBEDDING_BASE_URL: 'http://127.0.0.1:8080/v1' })).toThrowError(/EMBEDDING_MODEL: is required when EMBEDDING_BASE_URL is set/);
    expect(() => parseEnv({ RERANK_MODEL: 'bge-reranker-v2-m3' })).toThrowError(/RERANK_BASE_URL: is required when RERANK_MODEL is set/);
    expect(() => parseEnv({ LLM_BASE_URL: 'http://127.0.0.1:8000/v1' })).toThrowError(/LLM_MODEL: is required when LLM_BASE_URL is set/);
    expect(() => parseEnv({ EMBEDDING_SIMILARITY_FLOOR: '1.5' })).toThrowError(/EMBEDDING_SIMILARITY_FLOOR/);
    expect(parseEnv({ EMBEDDING_BASE_URL: 'http://127.0.0.1:8080/v1', EMBEDDING_MODEL: 'bge-m3' })).toMatchObject({
      EMBEDDING_TIMEOUT_MS: 2000,
      EMBEDDING_SIMILARITY_FLOOR: 0.5,
    });
  });

  it('generates APP_SECRET into the data dir once and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-cfg-'));
    const a = loadConfig({ DATA_DIR: dir });
    const b = loadConfig({ DATA_DIR: dir });
    expect(a.appSecret).toHaveLength(43);
    expect(b.appSecret).toBe(a.appSecret);
    expect(readFileSync(join(dir, 'app-secret'), 'utf8').trim()).toBe(a.appSecret);
    expect(statSync(join(dir, 'app-secret')).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: dir, APP_SECRET: 'x'.repeat(40) }).appSecret).toBe('x'.repeat(40));
  });
});
