import { describe, expect, it } from 'vitest';
import { ProblemError } from './problem-error.js';
import { VisitorApi } from './visitor-api.js';

type Call = { url: string; init: RequestInit };

function fakeFetch(...answers: Array<Response | Error>) {
  const calls: Call[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = answers.shift();
    if (!next) throw new Error('unexpected request');
    if (next instanceof Error) throw next;
    return next;
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

const json = (body: unknown, status = 200, type = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
const sent = { message: { id: 'm1' }, replies: [], conversation: { id: 'c1', status: 'bot' } };

describe('VisitorApi', () => {
  it('sends once more with the same clientMessageId after a network failure', async () => {
    const { calls, fetch } = fakeFetch(new TypeError('Failed to fetch'), json(sent));
    const api = new VisitorApi({ baseUrl: 'http://kefu.test/', widgetKey: 'kfw_x', fetch });
    const r = await api.sendMessage('c1', 'tok', { text: '运费多少钱', clientMessageId: 'cmid-1' });
    expect(r.message.id).toBe('m1');
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => JSON.parse(String(c.init.body)).clientMessageId)).toEqual(['cmid-1', 'cmid-1']);
    expect(calls[0]!.url).toBe('http://kefu.test/v1/widget/conversations/c1/messages');
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer tok');
  });

  it('gives up after the second network failure', async () => {
    const { calls, fetch } = fakeFetch(new TypeError('Failed to fetch'), new TypeError('Failed to fetch'));
    const api = new VisitorApi({ baseUrl: 'http://kefu.test', widgetKey: 'kfw_x', fetch });
    const err = await api.sendMessage('c1', 'tok', { text: 'hi', clientMessageId: 'cmid-2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemError);
    expect((err as ProblemError).code).toBe('NETWORK_ERROR');
    expect(calls).toHaveLength(2);
  });

  it('does not resend a message the server refused, and reads its problem details', async () => {
    const problem = { type: 'x', title: 'Content Too Large', status: 413, code: 'MESSAGE_TOO_LONG', detail: 'too long', requestId: 'r1' };
    const { calls, fetch } = fakeFetch(json(problem, 413, 'application/problem+json'));
    const api = new VisitorApi({ baseUrl: 'http://kefu.test', widgetKey: 'kfw_x', fetch });
    const err = (await api.sendMessage('c1', 'tok', { text: 'x', clientMessageId: 'cmid-3' }).catch((e: unknown) => e)) as ProblemError;
    expect([err.status, err.code, err.detail, err.requestId]).toEqual([413, 'MESSAGE_TOO_LONG', 'too long', 'r1']);
    expect(calls).toHaveLength(1);
  });

  it('names a failure without a problem body by its status', async () => {
    const { fetch } = fakeFetch(new Response('<html>Bad gateway</html>', { status: 502 }));
    const api = new VisitorApi({ baseUrl: 'http://kefu.test', widgetKey: 'kfw_x', fetch });
    const err = (await api.getConfig().catch((e: unknown) => e)) as ProblemError;
    expect([err.status, err.code]).toEqual([502, 'HTTP_502']);
  });

  it('reads the whole history page by page', async () => {
    const { calls, fetch } = fakeFetch(json({ items: [{ id: 'a' }], nextCursor: 'next' }), json({ items: [{ id: 'b' }], nextCursor: null }));
    const api = new VisitorApi({ baseUrl: 'http://kefu.test', widgetKey: 'kfw_x', fetch });
    const items = await api.listMessages('c1', 'tok');
    expect(items.map((m) => m.id)).toEqual(['a', 'b']);
    expect(new URL(calls[1]!.url).searchParams.get('cursor')).toBe('next');
  });

  it('starts a conversation with the widget key and the locale', async () => {
    const { calls, fetch } = fakeFetch(json({ conversation: {}, visitorToken: 't', messages: [] }, 201));
    const api = new VisitorApi({ baseUrl: 'http://kefu.test', widgetKey: 'kfw_x', fetch });
    await api.startConversation('zh-TW');
    expect((calls[0]!.init.headers as Record<string, string>)['x-kefu-widget-key']).toBe('kfw_x');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ locale: 'zh-TW', channel: 'web' });
  });

  it('puts the token on a ws: or wss: URL like the page', () => {
    expect(new VisitorApi({ baseUrl: 'https://support.example.com', widgetKey: 'k' }).socketUrl('kfv1.a.b')).toBe(
      'wss://support.example.com/v1/widget/ws?token=kfv1.a.b',
    );
    expect(new VisitorApi({ baseUrl: 'http://127.0.0.1:3000', widgetKey: 'k' }).socketUrl('t')).toBe('ws://127.0.0.1:3000/v1/widget/ws?token=t');
  });
});
