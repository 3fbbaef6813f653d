import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ env: { DATABASE_BUSY_TIMEOUT_MS: '100' } });
});
afterAll(async () => {
  await s.close();
});

describe('a busy database', () => {
  it('answers 503 DATABASE_BUSY, stores nothing half-written, and works again afterwards', async () => {
    const v = await startVisitor(s);
    const other = new SQLite(join(s.dataDir, 'kefu.db'));
    other.exec('BEGIN EXCLUSIVE');
    try {
      const r = await say(s, v, '运费多少钱', 'busy-1');
      expect(r.statusCode).toBe(503);
      expect(r.json().code).toBe('DATABASE_BUSY');
      expect(r.headers['retry-after']).toBe('1');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const retry = await say(s, v, '运费多少钱', 'busy-1');
    expect(retry.statusCode).toBe(200);
    const items = (await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages`, headers: v.headers })).json().items;
    expect(items.map((m: { author: { type: string } }) => m.author.type)).toEqual(['bot', 'contact', 'bot']);
  });
});
