import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

describe('rate limits', () => {
  it('slows down password guessing with 429 problem+json', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const r = await s.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'guess@demo.test', password: `guess-${i}` } });
      statuses.push(r.statusCode);
      if (r.statusCode === 429) {
        expect(r.json().code).toBe('RATE_LIMITED');
        expect(r.headers['retry-after']).toBeDefined();
      }
    }
    expect(statuses.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});
