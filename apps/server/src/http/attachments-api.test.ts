import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServerDatabases } from '../test-support/dialects.js';
import { type FormPart, multipartForm, solidPng } from '../test-support/files.js';
import { loginDemo, loginOtherWorkspace, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// Customers send screenshots and documents from the widget; agents send files back. Files are checked
// by what their bytes are, stored in the database, and served from an unguessable URL with headers that
// keep a browser from running anything in them.

type Headers = Record<string, string>;
type Visitor = { id: string; headers: Headers };

/** 50 KB: small enough to test the limit without megabytes of fixtures. */
const MAX_BYTES = Math.floor(0.05 * 1024 * 1024);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

for (const db of testServerDatabases()) {
  describe(`attachments (${db.name})`, () => {
    let s: TestServer;
    let admin: Headers;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const opened = await db.open();
      drop = opened.drop;
      s = await startTestServer({
        ...(opened.databaseUrl ? { databaseUrl: opened.databaseUrl } : {}),
        ...(opened.databaseSchema ? { databaseSchema: opened.databaseSchema } : {}),
        env: { ATTACHMENT_MAX_MB: '0.05' },
      });
      admin = await loginDemo(s);
    });
    afterAll(async () => {
      await s?.close();
      await drop?.();
    });

    const upload = (v: Visitor, parts: FormPart[]) => {
      const form = multipartForm(parts);
      return s.app.inject({
        method: 'POST',
        url: `/v1/widget/conversations/${v.id}/attachments`,
        headers: { ...v.headers, ...form.headers },
        payload: form.payload,
      });
    };
    const file = (data: Buffer | string, filename: string, type?: string): FormPart => ({ name: 'file', filename, data, ...(type ? { type } : {}) });
    const history = async (v: Visitor) =>
      (await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages`, headers: v.headers })).json().items as {
        author: { type: string };
        text: string;
        parts: { type: string; url?: string }[];
      }[];
    const attachmentsIn = async (v: Visitor) => (await history(v)).flatMap((m) => m.parts.filter((p) => p.type === 'attachment'));

    it('sends an image the customer sees again byte for byte, served with headers that keep it inert', async () => {
      const v = await startVisitor(s);
      const png = solidPng(40, 30);
      const r = await upload(v, [file(png, '屏幕截图 1.png', 'image/png')]);
      expect(r.statusCode).toBe(200);
      const { message, replies, conversation } = r.json();
      expect(message.author.type).toBe('contact');
      expect(message.parts).toEqual([
        {
          type: 'attachment',
          url: expect.stringMatching(/^\/v1\/attachments\/[^/]+\/[\w-]{22}\/%E5%B1%8F/),
          name: '屏幕截图 1.png',
          mimeType: 'image/png',
          size: png.length,
          width: 40,
          height: 30,
        },
      ]);
      // A file alone asks the bot nothing; the agents' inbox shows its name.
      expect(replies).toEqual([]);
      expect(conversation.lastMessagePreview).toBe('📎 屏幕截图 1.png');

      const got = await s.app.inject({ url: message.parts[0].url });
      expect(got.statusCode).toBe(200);
      expect(got.rawPayload.equals(png)).toBe(true);
      expect(got.headers).toMatchObject({
        'content-type': 'image/png',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, max-age=31536000, immutable',
        etag: `"${createHash('sha256').update(png).digest('hex')}"`,
        'content-disposition': `inline; filename="____ 1.png"; filename*=UTF-8''%E5%B1%8F%E5%B9%95%E6%88%AA%E5%9B%BE%201.png`,
      });
      const again = await s.app.inject({ url: message.parts[0].url, headers: { 'if-none-match': got.headers.etag as string } });
      expect(again.statusCode).toBe(304);
      expect(again.rawPayload.length).toBe(0);
    });

    it('answers the caption as it would a message', async () => {
      const v = await startVisitor(s);
      const r = await upload(v, [{ name: 'text', data: '运费多少钱' }, file(solidPng(8, 8), 'order.png', 'image/png')]);
      expect(r.statusCode).toBe(200);
      expect(r.json().message.text).toBe('运费多少钱');
      expect(r.json().message.parts[0].name).toBe('order.png');
      expect(r.json().replies[0].text).toContain('99元');
    });

    it('downloads documents and text rather than opening them, under their UTF-8 names', async () => {
      const v = await startVisitor(s);
      const pdf = await upload(v, [file(PDF, '发票 (2024).pdf', 'application/pdf')]);
      expect(pdf.json().message.parts[0]).toMatchObject({ mimeType: 'application/pdf', name: '发票 (2024).pdf' });
      const gotPdf = await s.app.inject({ url: pdf.json().message.parts[0].url });
      expect(gotPdf.headers['content-type']).toBe('application/pdf');
      expect(gotPdf.headers['content-disposition']).toBe(`attachment; filename="__ (2024).pdf"; filename*=UTF-8''%E5%8F%91%E7%A5%A8%20%282024%29.pdf`);

      const text = await upload(v, [file('订单号 A123\n物流停在上海三天了\n', 'notes.txt', 'text/plain')]);
      expect(text.statusCode).toBe(200);
      const gotText = await s.app.inject({ url: text.json().message.parts[0].url });
      expect(gotText.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(gotText.headers['content-disposition']).toMatch(/^attachment; /);
      expect(gotText.body).toBe('订单号 A123\n物流停在上海三天了\n');
    });

    it('stores a file sent twice with the same clientMessageId once', async () => {
      const v = await startVisitor(s);
      const parts = [{ name: 'clientMessageId', data: 'upload-1' }, file(solidPng(4, 4), 'a.png', 'image/png')];
      const first = await upload(v, parts);
      const second = await upload(v, parts);
      expect(second.statusCode).toBe(200);
      expect(second.json().message.id).toBe(first.json().message.id);
      expect(second.json().message.parts[0].url).toBe(first.json().message.parts[0].url);
      expect(await attachmentsIn(v)).toHaveLength(1);
    });

    it('refuses a file over ATTACHMENT_MAX_MB with 413 and stores nothing', async () => {
      const v = await startVisitor(s);
      const over = await upload(v, [file(Buffer.alloc(MAX_BYTES + 1, 'a'), 'big.txt', 'text/plain')]);
      expect(over.statusCode).toBe(413);
      expect(over.json()).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', limit: MAX_BYTES, errors: [{ field: 'file' }] });
      // Far over: refused by its Content-Length before the body is read.
      const huge = await upload(v, [file(Buffer.alloc(MAX_BYTES * 4, 'a'), 'huge.txt', 'text/plain')]);
      expect(huge.statusCode).toBe(413);
      expect(huge.json().code).toBe('ATTACHMENT_TOO_LARGE');
      const exact = await upload(v, [file(Buffer.alloc(MAX_BYTES, 'a'), 'exact.txt', 'text/plain')]);
      expect(exact.statusCode).toBe(200);
      expect(await attachmentsIn(v)).toHaveLength(1);
    });

    it('judges the type by the bytes: executables, markup and mislabelled files get 415', async () => {
      const v = await startVisitor(s);
      const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90)]);
      const pngThenExe = Buffer.concat([solidPng(2, 2).subarray(0, 8), exe]);
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>';
      const cases: FormPart[] = [
        file(exe, 'photo.png', 'image/png'),
        file(pngThenExe, 'photo.png', 'image/png'),
        file(svg, 'logo.svg', 'image/svg+xml'),
        file(svg, 'logo.txt', 'text/plain'),
        file('<!doctype html><script>alert(1)</script>', 'page.html', 'text/html'),
        file(solidPng(2, 2), 'photo.jpg', 'image/jpeg'),
        file(solidPng(2, 2), 'photo.exe', 'application/octet-stream'),
        file(Buffer.from([0x48, 0x69, 0xe9, 0x0a]), 'latin1.txt', 'text/plain'),
        file(Buffer.from('a\u0000b'), 'nul.txt', 'text/plain'),
      ];
      for (const part of cases) {
        const r = await upload(v, [part]);
        expect(r.statusCode, String(part.filename)).toBe(415);
        expect(r.json(), String(part.filename)).toMatchObject({ code: 'ATTACHMENT_TYPE_NOT_ALLOWED', errors: [{ field: 'file' }] });
      }
      expect(await attachmentsIn(v)).toEqual([]);
    });

    it('names the problem for an empty, missing or badly named file and a malformed form', async () => {
      const v = await startVisitor(s);
      const expectProblem = async (r: Awaited<ReturnType<typeof upload>>, status: number, code: string, field?: string) => {
        expect(r.statusCode, code).toBe(status);
        expect(r.json().code).toBe(code);
        if (field) expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      };
      await expectProblem(await upload(v, [{ name: 'text', data: 'hello' }]), 400, 'ATTACHMENT_FILE_REQUIRED', 'file');
      await expectProblem(await upload(v, [{ name: 'file', data: 'not a file part' }]), 400, 'ATTACHMENT_FILE_REQUIRED', 'file');
      await expectProblem(await upload(v, [file('', 'empty.txt', 'text/plain')]), 400, 'ATTACHMENT_EMPTY', 'file');
      // The name's bytes are not UTF-8 (0xFF 0xFE): refused, not stored as mojibake.
      await expectProblem(
        await upload(v, [file(solidPng(2, 2), Buffer.from([0xff, 0xfe, 0x2e, 0x70, 0x6e, 0x67]), 'image/png')]),
        400,
        'ATTACHMENT_NAME_INVALID',
        'file',
      );
      await expectProblem(await upload(v, [file('a', 'a.txt', 'text/plain'), file('b', 'b.txt', 'text/plain')]), 400, 'ATTACHMENT_TOO_MANY_FILES', 'file');
      await expectProblem(await upload(v, [{ name: 'secret', data: 'x' }, file('a', 'a.txt', 'text/plain')]), 400, 'VALIDATION_FAILED', 'body.secret');
      await expectProblem(
        await upload(v, [{ name: 'clientMessageId', data: 'no spaces allowed' }, file('a', 'a.txt')]),
        400,
        'VALIDATION_FAILED',
        'body.clientMessageId',
      );
      await expectProblem(await upload(v, [{ name: 'text', data: '长'.repeat(4001) }, file('a', 'a.txt')]), 413, 'MESSAGE_TOO_LONG', 'text');
      const json = await s.app.inject({ method: 'POST', url: `/v1/widget/conversations/${v.id}/attachments`, headers: v.headers, payload: { file: 'x' } });
      await expectProblem(json, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const broken = await s.app.inject({
        method: 'POST',
        url: `/v1/widget/conversations/${v.id}/attachments`,
        headers: { ...v.headers, 'content-type': 'multipart/form-data; boundary=xyz' },
        payload: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nunterminated',
      });
      expect(broken.statusCode).toBe(400);
      expect(await attachmentsIn(v)).toEqual([]);
    });

    it('keeps names safe to show and save: no paths, controls or direction tricks, at most 200 characters', async () => {
      const v = await startVisitor(s);
      const named = async (name: string) => (await upload(v, [file(solidPng(2, 2), name, 'image/png')])).json().message?.parts[0].name;
      expect(await named('C:\\Users\\王\\Desktop\\收据.png')).toBe('收据.png');
      expect(await named('in\u0007voice\u200b.png')).toBe('invoice.png');
      expect(await named(`${'长'.repeat(300)}.png`)).toBe(`${'长'.repeat(196)}.png`);
      expect(await named('screenshot 10.30.12')).toBe('screenshot 10.30.12.png');
      // Right-to-left override: "photo‮gnp.exe" reads as photoexe.png; without it the .exe shows, and is refused.
      const spoof = await upload(v, [file(solidPng(2, 2), 'photo\u202egnp.exe', 'image/png')]);
      expect(spoof.statusCode).toBe(415);
    });

    it('answers 404 for another workspace’s conversation and for a wrong key or id', async () => {
      const v = await startVisitor(s);
      await loginOtherWorkspace(s, `files-${db.name}`);
      const other = await s.deps.ctx.store.workspaces.findBySlug(`files-${db.name}`);
      const started = await s.app.inject({
        method: 'POST',
        url: '/v1/widget/conversations',
        headers: { 'x-kefu-widget-key': other!.widgetKey },
        payload: { locale: 'en' },
      });
      const stranger = { authorization: `Bearer ${started.json().visitorToken}` };
      const cross = await upload({ id: v.id, headers: stranger }, [file(solidPng(2, 2), 'x.png', 'image/png')]);
      expect(cross.statusCode).toBe(404);
      expect(cross.json().code).toBe('CONVERSATION_NOT_FOUND');

      const ok = await upload(v, [file(solidPng(2, 2), 'x.png', 'image/png')]);
      const url: string = ok.json().message.parts[0].url;
      const [, , , id, key] = url.split('/');
      for (const wrong of [
        `/v1/attachments/${id}/${'A'.repeat(22)}/x.png`,
        `/v1/attachments/${id}/${key!.slice(0, -1)}/x.png`,
        `/v1/attachments/nope/${key}/x.png`,
      ]) {
        const r = await s.app.inject({ url: wrong });
        expect(r.statusCode, wrong).toBe(404);
        expect(r.json().code).toBe('ATTACHMENT_NOT_FOUND');
      }
      // The name in the URL is for people; the id and key find the file.
      expect((await s.app.inject({ url: `/v1/attachments/${id}/${key}/renamed.png` })).statusCode).toBe(200);
    });

    it('lets an agent send a file back: a reply the customer sees, which takes the conversation', async () => {
      const v = await startVisitor(s);
      const form = multipartForm([{ name: 'text', data: 'Your invoice' }, file(PDF, 'invoice.pdf', 'application/pdf')]);
      const r = await s.app.inject({
        method: 'POST',
        url: `/v1/conversations/${v.id}/attachments`,
        headers: { ...admin, ...form.headers },
        payload: form.payload,
      });
      expect(r.statusCode).toBe(200);
      expect(r.json().message).toMatchObject({ author: { type: 'agent' }, text: 'Your invoice', parts: [{ type: 'attachment', name: 'invoice.pdf' }] });
      expect(r.json().conversation.status).toBe('assigned');
      const seen = (await history(v)).find((m) => m.author.type === 'agent');
      expect(seen?.parts[0]?.url).toBe(r.json().message.parts[0].url);

      const bad = multipartForm([file('<svg/>', 'x.svg', 'image/svg+xml')]);
      const refused = await s.app.inject({
        method: 'POST',
        url: `/v1/conversations/${v.id}/attachments`,
        headers: { ...admin, ...bad.headers },
        payload: bad.payload,
      });
      expect(refused.statusCode).toBe(415);
      const otherAdmin = await loginOtherWorkspace(s, `agents-${db.name}`);
      const good = multipartForm([file(PDF, 'invoice.pdf', 'application/pdf')]);
      const cross = await s.app.inject({
        method: 'POST',
        url: `/v1/conversations/${v.id}/attachments`,
        headers: { ...otherAdmin, ...good.headers },
        payload: good.payload,
      });
      expect(cross.statusCode).toBe(404);
    });

    it('slows down a conversation that sends files too fast', async () => {
      const v = await startVisitor(s);
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await upload(v, [file(`note ${i}`, 'n.txt', 'text/plain')])).statusCode);
      expect(statuses.every((c) => c === 200)).toBe(true);
      const limited = await upload(v, [file('one more', 'n.txt', 'text/plain')]);
      expect([limited.statusCode, limited.json().code]).toEqual([429, 'RATE_LIMITED']);
      // Another conversation has its own budget.
      expect((await upload(await startVisitor(s), [file('hi', 'n.txt', 'text/plain')])).statusCode).toBe(200);
    });

    it('tells the widget the limit and the accepted types', async () => {
      const r = await s.app.inject({ url: `/v1/widget/config?key=${s.demo!.workspace.widgetKey}` });
      expect(r.json().limits.attachments).toEqual({
        maxBytes: MAX_BYTES,
        types: expect.arrayContaining(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain']),
      });
      expect(r.json().limits.attachments.types).not.toContain('image/svg+xml');
    });
  });
}
