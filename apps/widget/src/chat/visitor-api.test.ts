import { describe, expect, it } from 'vitest';
import { ProblemError } from './problem-error.js';
import { UploadCancelled, VisitorApi } from './visitor-api.js';

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

/** Just enough of XMLHttpRequest for an upload: what was sent, and a way to answer, fail or report progress. */
class FakeXhr {
  static last: FakeXhr | null = null;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  responseText = '';
  timeout = 0;
  aborted = false;
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

describe('VisitorApi.uploadAttachment', () => {
  const api = () => new VisitorApi({ baseUrl: 'http://kefu.test/', widgetKey: 'kfw_up', xhr: () => new FakeXhr() as unknown as XMLHttpRequest });
  const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'shot.png', { type: 'image/png' });

  it('posts the file as multipart with the token, reports progress and returns the stored message', async () => {
    const progress: number[] = [];
    const sending = api().uploadAttachment(
      'c1',
      'tok',
      { file: png, name: '截图.png', clientMessageId: 'cm-1' },
      { onProgress: (loaded, total) => progress.push(loaded / total) },
    );
    const xhr = FakeXhr.last!;
    expect([xhr.method, xhr.url, xhr.headers.authorization]).toEqual(['POST', 'http://kefu.test/v1/widget/conversations/c1/attachments', 'Bearer tok']);
    expect(xhr.body!.get('clientMessageId')).toBe('cm-1');
    expect((xhr.body!.get('file') as File).name).toBe('截图.png');
    xhr.upload.onprogress!({ loaded: 2, total: 4, lengthComputable: true });
    xhr.upload.onprogress!({ loaded: 4, total: 4, lengthComputable: true });
    xhr.answer(200, sent);
    expect((await sending).message.id).toBe('m1');
    expect(progress).toEqual([0.5, 1]);
  });

  it('reads a refusal as a problem with its limit, and a dropped connection as a network failure', async () => {
    const refused = api().uploadAttachment('c1', 'tok', { file: png, name: 'a.png', clientMessageId: 'cm-2' });
    FakeXhr.last!.answer(413, { type: 'x', title: 't', status: 413, code: 'ATTACHMENT_TOO_LARGE', limit: 1024 });
    const err = (await refused.catch((e: unknown) => e)) as ProblemError;
    expect([err.status, err.code, err.limit]).toEqual([413, 'ATTACHMENT_TOO_LARGE', 1024]);

    const dropped = api().uploadAttachment('c1', 'tok', { file: png, name: 'a.png', clientMessageId: 'cm-3' });
    FakeXhr.last!.onerror!();
    expect(((await dropped.catch((e: unknown) => e)) as ProblemError).code).toBe('NETWORK_ERROR');
  });

  it('stops the upload when its signal aborts', async () => {
    const controller = new AbortController();
    const sending = api().uploadAttachment('c1', 'tok', { file: png, name: 'a.png', clientMessageId: 'cm-4' }, { signal: controller.signal });
    controller.abort();
    expect(FakeXhr.last!.aborted).toBe(true);
    expect(await sending.catch((e: unknown) => e)).toBeInstanceOf(UploadCancelled);
  });
});
