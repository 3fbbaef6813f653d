import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginDemo, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { fetchUrlSources } from '../usecases/fetch-url-sources.js';

let s: TestServer;
let admin: { authorization: string };
beforeAll(async () => {
  s = await startTestServer();
  admin = await loginDemo(s);
});
afterAll(async () => {
  await s.close();
});

const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64');

const MANUAL = `# 云朵扫地机器人 X9 使用手册

## 清洁滤网
拆下尘盒，取出 HEPA 滤网，用软毛刷轻轻刷掉灰尘。滤网不能水洗，建议每三个月更换一次。

## 指示灯含义
红灯常亮表示电量低于10%，请尽快放回充电座。蓝灯闪烁表示正在连接 Wi-Fi。
`;

async function importFiles(files: { name: string; content: string | Uint8Array }[]) {
  const r = await s.app.inject({
    method: 'POST',
    url: '/v1/knowledge/imports',
    headers: admin,
    payload: { files: files.map((f) => ({ name: f.name, contentBase64: b64(f.content) })) },
  });
  expect(r.statusCode).toBe(202);
  const id = r.json().id as string;
  for (let i = 0; i < 200; i++) {
    const job = (await s.app.inject({ url: `/v1/knowledge/imports/${id}`, headers: admin })).json();
    if (job.status !== 'running') return job;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error('import did not finish');
}

describe('importing documents', () => {
  it('imports mixed files, reports the bad one, and the bot answers from the new passage with a citation', async () => {
    const job = await importFiles([
      { name: 'x9-manual.md', content: MANUAL },
      {
        name: 'page.html',
        content:
          '<html><body><nav>菜单 首页 关于</nav><main><h1>保修政策</h1><p>X9 整机保修两年，电池保修一年。</p></main><script>alert(1)</script></body></html>',
      },
      { name: 'broken.pdf', content: '%PDF-1.7 not really a pdf' },
      { name: 'empty.txt', content: '' },
      { name: 'faq.jsonl', content: `${JSON.stringify({ id: 'imp-1', question: 'X9 支持哪些地面？', answer: '木地板、瓷砖和短毛地毯。' })}\n` },
    ]);
    expect(job).toMatchObject({ status: 'done', total: 5, processed: 5 });
    expect(job.summary).toMatchObject({ created: 3, failed: 2 });
    expect(job.errors.map((e: { file: string; code: string }) => [e.file, e.code]).sort()).toEqual([
      ['broken.pdf', 'PDF_CORRUPT'],
      ['empty.txt', 'FILE_EMPTY'],
    ]);

    const v = await startVisitor(s);
    const reply = (await say(s, v, 'X9的滤网可以水洗吗')).json().replies[0];
    expect(reply.text).toContain('不能水洗');
    expect(reply.parts[0].sources[0]).toMatchObject({ kind: 'chunk', title: expect.stringContaining('清洁滤网') });

    const hits = (await s.app.inject({ method: 'POST', url: '/v1/knowledge/search', headers: admin, payload: { query: '保修多久' } })).json().hits;
    const warranty = hits.find((h: { entry: { kind: string; answer: string } }) => h.entry.kind === 'chunk' && h.entry.answer.includes('两年'));
    expect(warranty.entry.source.headingPath).toEqual(['保修政策']);
    expect(warranty.entry.answer).not.toContain('菜单');
    expect(warranty.entry.answer).not.toContain('alert');
    expect((await say(s, v, 'X9支持哪些地面')).json().replies[0].text).toContain('木地板');
  });

  it('re-imports only what changed and keeps unchanged chunks', async () => {
    const docs = async () => (await s.app.inject({ url: '/v1/knowledge/documents', headers: admin })).json().items;
    const before = (await docs()).find((d: { source: string }) => d.source === 'x9-manual.md');
    const unchanged = await importFiles([{ name: 'x9-manual.md', content: MANUAL }]);
    expect(unchanged.summary).toMatchObject({ unchanged: 1, created: 0, updated: 0, chunks: 0 });
    const edited = MANUAL.replace('蓝灯闪烁表示正在连接 Wi-Fi。', '蓝灯闪烁表示正在升级固件，请勿断电。');
    const changed = await importFiles([{ name: 'x9-manual.md', content: edited }]);
    expect(changed.summary).toMatchObject({ updated: 1 });
    expect(changed.summary.chunks).toBeGreaterThan(0);
    expect(changed.summary.chunks).toBeLessThan(before.chunkCount + 1);
    const v = await startVisitor(s);
    expect((await say(s, v, '蓝灯闪烁是什么意思')).json().replies[0].text).toContain('升级固件');
  });

  it('validates the request and deletes a document', async () => {
    const bad = await s.app.inject({ method: 'POST', url: '/v1/knowledge/imports', headers: admin, payload: { files: [] } });
    expect(bad.json().errors[0].field).toBe('body.files');
    expect((await s.app.inject({ url: '/v1/knowledge/imports/nope', headers: admin })).statusCode).toBe(404);
    const doc = (await s.app.inject({ url: '/v1/knowledge/documents', headers: admin })).json().items.find((d: { source: string }) => d.source === 'page.html');
    expect((await s.app.inject({ method: 'DELETE', url: `/v1/knowledge/documents/${doc.id}`, headers: admin })).statusCode).toBe(204);
    const hits = (await s.app.inject({ method: 'POST', url: '/v1/knowledge/search', headers: admin, payload: { query: '电池保修一年' } })).json().hits;
    expect(hits.some((h: { entry: { answer: string } }) => h.entry.answer.includes('电池保修一年'))).toBe(false);
  });
});

describe('the file size limit', () => {
  it('reports a file over IMPORT_MAX_FILE_MB and imports the rest', async () => {
    const small = await startTestServer({ env: { IMPORT_MAX_FILE_MB: '1' } });
    try {
      const headers = await loginDemo(small);
      const big = `# 大文件\n\n${'内容很长。'.repeat(80_000)}`;
      const r = await small.app.inject({
        method: 'POST',
        url: '/v1/knowledge/imports',
        headers,
        payload: {
          files: [
            { name: 'big.md', contentBase64: b64(big) },
            { name: 'ok.md', contentBase64: b64('# 小文件\n\n正常内容。') },
          ],
        },
      });
      let job = r.json();
      for (let i = 0; i < 200 && job.status === 'running'; i++) {
        await new Promise((res) => setTimeout(res, 20));
        job = (await small.app.inject({ url: `/v1/knowledge/imports/${job.id}`, headers })).json();
      }
      expect(job.summary).toMatchObject({ created: 1, failed: 1 });
      expect(job.errors).toEqual([expect.objectContaining({ file: 'big.md', code: 'FILE_TOO_LARGE' })]);
      expect((await small.app.inject({ url: '/v1/knowledge/documents', headers })).json().limits).toEqual({ maxFileMb: 1 });
    } finally {
      await small.close();
    }
  });
});

describe('importing from a URL', () => {
  let site: Server;
  let base: string;
  beforeAll(async () => {
    site = createServer((req, res) => {
      if (req.url === '/sitemap.xml') {
        res.setHeader('content-type', 'application/xml');
        res.end(`<?xml version="1.0"?><urlset><url><loc>${base}/a</loc></url><url><loc>${base}/missing</loc></url><url><loc>${base}/huge</loc></url></urlset>`);
      } else if (req.url === '/a') {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end('<html><body><main><h1>门店营业时间</h1><p>每天 10:00-22:00 营业。</p></main></body></html>');
      } else if (req.url === '/huge') {
        res.setHeader('content-type', 'text/html');
        res.write('<p>');
        res.end('x'.repeat(2048));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    const addr = site.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => site.close(() => r())));

  it('follows a sitemap within size limits and reports each page it could not fetch', async () => {
    const r = await fetchUrlSources(`${base}/sitemap.xml`, { maxBytes: 1024, maxPages: 10, timeoutMs: 10_000, requestTimeoutMs: 5_000 });
    expect(r.files.map((f) => f.source)).toEqual([`${base}/a`]);
    expect(r.errors.map((e) => e.code).sort()).toEqual(['FILE_TOO_LARGE', 'URL_FETCH_FAILED']);
    expect((await fetchUrlSources('ftp://example.test/x')).errors[0]?.code).toBe('URL_INVALID');
  });
});
