import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type HttpActionConfig, HttpActionConfigSchema, parseRetryAfter, runHttpAction } from './run-http-action.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on port 0 whose answer to the n-th request (0-based) is up to the test. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse, n: number, body: string) => void) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, seen.length - 1, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(server);
  return { url, seen, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const scope = {
  slots: { order_no: 'YD2026111800456', amount: 99.5, urgent: true, reason: '不想要了 / changed my mind' },
  contact: { name: '张三' },
  secrets: { ERP_TOKEN: 'sk-live-9f8e7d6c5b4a' },
};

describe('runHttpAction', () => {
  it('maps fields of the JSON answer into slots, null for the ones it lacks', async () => {
    const api = await serve((_req, res) =>
      json(res, 200, { data: { status: 'shipped', logistics: { no: 'YS8801234567' }, items: [{ name: '无线蓝牙耳机' }] } }),
    );
    const out = await runHttpAction(
      {
        method: 'GET',
        url: `${api.url}/orders/{{slots.order_no}}`,
        response: { status: 'data.status', tracking: 'data.logistics.no', first_item: 'data.items.0.name', eta: 'data.eta' },
      },
      scope,
    );
    expect(out).toMatchObject({
      ok: true,
      status: 200,
      attempts: 1,
      slots: { status: 'shipped', tracking: 'YS8801234567', first_item: '无线蓝牙耳机', eta: null },
    });
    expect(api.seen[0]).toMatchObject({ method: 'GET', url: '/orders/YD2026111800456' });
    expect(api.seen[0]?.headers.accept).toBe('application/json');
  });

  it('URL-encodes filled values so they cannot change the path or add parameters', async () => {
    const api = await serve((_req, res) => json(res, 200, {}));
    const out = await runHttpAction(
      { method: 'GET', url: `${api.url}/orders/{{slots.no}}?q={{slots.q}}&name={{contact.name}}` },
      { slots: { no: 'YD1/../admin?x=1#y', q: 'a&b=c d' }, contact: { name: '张三' } },
    );
    expect(out.ok).toBe(true);
    expect(api.seen[0]?.url).toBe('/orders/YD1%2F..%2Fadmin%3Fx%3D1%23y?q=a%26b%3Dc%20d&name=%E5%BC%A0%E4%B8%89');

    const climb = await runHttpAction({ method: 'GET', url: `${api.url}/orders/{{slots.no}}/items` }, { slots: { no: '..' } });
    expect(climb).toMatchObject({ ok: false, error: 'invalid_request', attempts: 0 });
    expect(api.seen).toHaveLength(1);
  });

  it('sends secrets in headers but never returns them, even when the server echoes them', async () => {
    const api = await serve((req, res, n) => {
      if (n === 0) json(res, 200, { received: req.headers.authorization, key: req.headers['x-api-key'] });
      else json(res, 401, { error: `invalid token ${req.headers['x-api-key']}` });
    });
    const config: HttpActionConfig = {
      method: 'GET',
      url: `${api.url}/me`,
      headers: { Authorization: 'Bearer {{secrets.ERP_TOKEN}}', 'X-Api-Key': '{{secrets.ERP_TOKEN}}' },
      response: { who: 'received' },
    };
    const ok = await runHttpAction(config, scope);
    const denied = await runHttpAction(config, scope);
    expect(api.seen[0]?.headers.authorization).toBe('Bearer sk-live-9f8e7d6c5b4a');
    expect(api.seen[0]?.headers['x-api-key']).toBe('sk-live-9f8e7d6c5b4a');
    expect(ok).toMatchObject({ ok: true, slots: { who: 'Bearer ***' } });
    expect(denied).toMatchObject({ ok: false, error: 'http_error', status: 401 });
    for (const out of [ok, denied]) expect(JSON.stringify(out)).not.toContain('sk-live-9f8e7d6c5b4a');
    if (!denied.ok) expect(denied.message).toContain('invalid token ***');
  });

  it('sends a JSON body whose whole-value placeholders keep their types', async () => {
    const api = await serve((_req, res) => json(res, 201, { refundId: 'RF1', status: 'approved' }));
    const out = await runHttpAction(
      {
        method: 'POST',
        url: `${api.url}/orders/{{slots.order_no}}/refunds`,
        body: { amount: '{{slots.amount}}', urgent: '{{slots.urgent}}', reason: '{{slots.reason}}', note: 'order {{slots.order_no}}', lines: [1, null] },
        response: { refund_id: 'refundId' },
      },
      scope,
    );
    expect(out).toMatchObject({ ok: true, status: 201, slots: { refund_id: 'RF1' } });
    expect(api.seen[0]?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(api.seen[0]!.body)).toEqual({
      amount: 99.5,
      urgent: true,
      reason: '不想要了 / changed my mind',
      note: 'order YD2026111800456',
      lines: [1, null],
    });
  });

  it('retries a POST only with an idempotency key, and sends the same key every time', async () => {
    const api = await serve((_req, res, n) => (n === 0 ? json(res, 503, { error: 'busy' }) : json(res, 201, { ok: true })));
    const config: HttpActionConfig = { method: 'POST', url: `${api.url}/refunds`, body: { amount: 10 }, idempotency: true, retries: 2 };
    const out = await runHttpAction(config, scope, { idempotencyKey: 'conv-1:step-refund' });
    expect(out).toMatchObject({ ok: true, status: 201, attempts: 2 });
    expect(api.seen.map((s) => s.headers['idempotency-key'])).toEqual(['conv-1:step-refund', 'conv-1:step-refund']);

    const bare = await serve((_req, res) => json(res, 503, { error: 'busy' }));
    const once = await runHttpAction({ method: 'POST', url: `${bare.url}/refunds`, body: { amount: 10 }, retries: 3 }, scope);
    expect(once).toMatchObject({ ok: false, error: 'http_error', status: 503, attempts: 1 });
    expect(bare.seen).toHaveLength(1);
    expect(bare.seen[0]?.headers['idempotency-key']).toBeUndefined();

    const noKey = await runHttpAction(config, scope);
    expect(noKey).toMatchObject({ ok: false, error: 'invalid_request', message: expect.stringContaining('idempotency key') });
  });

  it('retries a GET after a 500 and succeeds', async () => {
    const api = await serve((_req, res, n) => (n === 0 ? json(res, 500, { error: 'db down' }) : json(res, 200, { status: 'paid' })));
    const out = await runHttpAction({ method: 'GET', url: `${api.url}/orders/1`, response: { status: 'status' } }, scope);
    expect(out).toMatchObject({ ok: true, attempts: 2, slots: { status: 'paid' } });
  });

  it('gives up after the configured retries with the last HTTP error', async () => {
    const api = await serve((_req, res) => json(res, 502, { error: 'bad gateway' }));
    const out = await runHttpAction({ method: 'GET', url: `${api.url}/x`, retries: 2, timeoutMs: 10_000 }, scope);
    expect(out).toMatchObject({ ok: false, error: 'http_error', status: 502, attempts: 3 });
    expect(api.seen).toHaveLength(3);
  });

  it('waits as long as Retry-After asks after a 429, unless that is past the deadline', async () => {
    const at: number[] = [];
    const api = await serve((_req, res, n) => {
      at.push(Date.now());
      if (n === 0) json(res, 429, { error: 'slow down' }, { 'retry-after': '1' });
      else json(res, 200, { ok: 1 });
    });
    const out = await runHttpAction({ method: 'GET', url: `${api.url}/x`, timeoutMs: 5000 }, scope);
    expect(out).toMatchObject({ ok: true, attempts: 2 });
    // A lower bound on the wait it was asked for, not a speed target.
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(900);

    const later = await serve((_req, res) => json(res, 429, { error: 'slow down' }, { 'retry-after': '120' }));
    const limited = await runHttpAction({ method: 'GET', url: `${later.url}/x`, timeoutMs: 2000 }, scope);
    expect(limited).toMatchObject({ ok: false, error: 'http_error', status: 429, attempts: 1 });
    expect(later.seen).toHaveLength(1);
  });

  it('does not retry a client error such as 404, and quotes only a short excerpt of its body', async () => {
    const api = await serve((_req, res) => json(res, 404, { error: 'order_not_found', detail: 'x'.repeat(5000) }));
    const out = await runHttpAction({ method: 'GET', url: `${api.url}/orders/1`, retries: 3 }, scope);
    expect(out).toMatchObject({ ok: false, error: 'http_error', status: 404, attempts: 1 });
    if (!out.ok) {
      expect(out.message).toContain('order_not_found');
      expect(out.message.length).toBeLessThan(300);
    }
  });

  it('does not follow redirects, which would carry header secrets to another host', async () => {
    const api = await serve((_req, res) => {
      res.writeHead(302, { location: 'http://example.invalid/steal' });
      res.end();
    });
    const out = await runHttpAction({ method: 'GET', url: `${api.url}/x`, headers: { 'X-Api-Key': '{{secrets.ERP_TOKEN}}' } }, scope);
    expect(out).toMatchObject({ ok: false, error: 'http_error', status: 302 });
  });

  it('times out on a server that never answers, and when the caller cancels', async () => {
    const api = await serve(() => {});
    const out = await runHttpAction({ method: 'GET', url: `${api.url}/hang`, timeoutMs: 200, retries: 3 }, scope);
    expect(out).toMatchObject({ ok: false, error: 'timeout', attempts: 1 });

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const cancelled = await runHttpAction({ method: 'GET', url: `${api.url}/hang`, timeoutMs: 10_000 }, scope, { signal: controller.signal });
    expect(cancelled).toMatchObject({ ok: false, error: 'timeout', message: 'the action was cancelled' });
  });

  it('times out when the body stops arriving half-way', async () => {
    const api = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":');
    });
    const out = await runHttpAction({ method: 'GET', url: `${api.url}/slow`, timeoutMs: 300 }, scope);
    expect(out).toMatchObject({ ok: false, error: 'timeout' });
  });

  it('reports malformed JSON, accepts an empty 204 and plain text when nothing is mapped', async () => {
    const api = await serve((req, res) => {
      if (req.url === '/bad') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status": "paid",');
      } else if (req.url === '/empty') {
        res.writeHead(204);
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('OK');
      }
    });
    expect(await runHttpAction({ method: 'GET', url: `${api.url}/bad` }, scope)).toMatchObject({ ok: false, error: 'invalid_json', status: 200 });
    expect(await runHttpAction({ method: 'DELETE', url: `${api.url}/empty`, response: { s: 'status' } }, scope)).toMatchObject({
      ok: true,
      status: 204,
      data: null,
      slots: { s: null },
    });
    expect(await runHttpAction({ method: 'POST', url: `${api.url}/hook`, body: {} }, scope)).toMatchObject({ ok: true, data: 'OK' });
    expect(await runHttpAction({ method: 'POST', url: `${api.url}/hook`, body: {}, response: { s: 'status' } }, scope)).toMatchObject({
      ok: false,
      error: 'invalid_json',
    });
  });

  it('refuses a body over the limit it declares without reading it', async () => {
    const api = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(5 * 1024 * 1024) });
      res.write('[');
      // Never finishes: the client has to decide from the declared length alone.
    });
    const out = await runHttpAction({ method: 'GET', url: `${api.url}/big`, timeoutMs: 5000 }, scope);
    expect(out).toMatchObject({ ok: false, error: 'too_large' });
  });

  it('stops reading a streamed body once it passes the limit, instead of buffering it all', async () => {
    let written = 0;
    let closed = false;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const api = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.on('close', () => {
        closed = true;
      });
      const pump = () => {
        // Up to 256 MB: far more than kernel buffers hold, so the server only stops if the client hangs up.
        while (!closed && written < 256 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const out = await runHttpAction({ method: 'GET', url: `${api.url}/stream`, maxResponseBytes: 1024 * 1024, timeoutMs: 10_000 }, scope);
    expect(out).toMatchObject({ ok: false, error: 'too_large', attempts: 1 });
    await vi.waitFor(() => expect(closed).toBe(true));
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('reports a connection reset as a network error after retrying', async () => {
    const api = await serve((req) => req.socket.resetAndDestroy());
    const out = await runHttpAction({ method: 'GET', url: `${api.url}/reset` }, scope);
    expect(out).toMatchObject({ ok: false, error: 'network', attempts: 2 });
    expect(api.seen).toHaveLength(2);
  });

  it('reports a refused connection as a network error', async () => {
    const api = await serve(() => {});
    const port = new URL(api.url).port;
    servers.pop()?.close();
    const out = await runHttpAction({ method: 'GET', url: `http://127.0.0.1:${port}/x`, retries: 0 }, scope);
    expect(out).toMatchObject({ ok: false, error: 'network', message: expect.stringContaining('connection refused') });
  });

  it('refuses to send a request with a missing value, and names it', async () => {
    const api = await serve((_req, res) => json(res, 200, {}));
    const out = await runHttpAction(
      {
        method: 'POST',
        url: `${api.url}/orders/{{slots.order_no}}/refunds`,
        headers: { 'X-Api-Key': '{{secrets.MISSING_KEY}}' },
        body: { reason: '{{slots.reason}}' },
      },
      { slots: {}, secrets: {} },
    );
    expect(out).toMatchObject({ ok: false, error: 'missing_value', attempts: 0 });
    if (!out.ok) expect(out.message).toBe('missing values for slots.order_no, secrets.MISSING_KEY, slots.reason');
    expect(api.seen).toHaveLength(0);
  });

  it('only sends to http and https URLs', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'javascript:alert(1)', 'not a url', 'http://user:pw@example.com/']) {
      expect(await runHttpAction({ method: 'GET', url }, scope)).toMatchObject({ ok: false, error: 'invalid_request', attempts: 0 });
    }
  });

  it('refuses a header value with a line break instead of sending a split header', async () => {
    const api = await serve((_req, res) => json(res, 200, {}));
    const out = await runHttpAction({ method: 'GET', url: `${api.url}/x`, headers: { 'X-Name': '{{slots.name}}' } }, { slots: { name: 'a\r\nX-Admin: 1' } });
    expect(out).toMatchObject({ ok: false, error: 'invalid_request' });
    expect(api.seen).toHaveLength(0);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-21T08:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 08:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('HttpActionConfigSchema', () => {
  it('accepts a complete connector', () => {
    const r = HttpActionConfigSchema.safeParse({
      method: 'POST',
      url: 'https://erp.example.com/orders/{{slots.order_no}}/refunds?src=kefu',
      headers: { Authorization: 'Bearer {{secrets.ERP_TOKEN}}' },
      body: { amount: '{{slots.amount}}' },
      response: { refund_id: 'data.refundId', first: 'data.items.0.name' },
      timeoutMs: 8000,
      retries: 2,
      idempotency: true,
      maxResponseBytes: 65536,
    });
    expect(r.success).toBe(true);
  });

  it('names every wrong field', () => {
    const r = HttpActionConfigSchema.safeParse({
      method: 'FETCH',
      url: 'ftp://erp.example.com/{{slots.x}}',
      headers: { 'Bad Header': 'x', Host: 'evil.com', 'X-Ok': 'a\nb' },
      response: { Status: 'data.status', ok: 'data..x' },
      timeoutMs: 60_000,
      retries: 9,
      extra: 1,
    });
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        'method: must be one of GET, POST, PUT, PATCH, DELETE',
        'url: must start with http:// or https://',
        'headers.Host: is set by kefu and cannot be configured',
        'headers.X-Ok: must be on one line',
        'response.ok: must be a dotted path into the response, e.g. data.logistics.no',
        'timeoutMs: must be at most 30000 ms',
        'retries: must be at most 3',
      ]),
    );
    expect(issues).toContain('headers.Bad Header: is not a valid header name (letters, digits and -, e.g. X-Api-Key)');
    expect(issues).toContain('response.Status: is not a valid slot name (lower-case letters, digits and _, starting with a letter)');
    expect(issues).toContain(': unknown field: extra');
  });

  it('rejects a templated host, a malformed placeholder and a GET with a body', () => {
    const issues = (input: unknown) => HttpActionConfigSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ method: 'GET', url: 'https://{{slots.host}}/x' })).toEqual(['url: the host must be written out, not a {{placeholder}}']);
    expect(issues({ method: 'GET', url: 'https://erp.example.com/{{slots.x}' })).toEqual(['url: has a malformed {{placeholder}}']);
    expect(issues({ method: 'GET', url: 'https://erp.example.com/x', body: { a: 1 } })).toEqual(['body: a GET request cannot have a body']);
  });
});
