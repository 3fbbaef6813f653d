import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Chunk, chunkDocument, hashSource, renderDocumentText } from './chunk-document.js';
import { parseDocument } from './parse-document.js';
import type { Block } from './parsed-document.js';

const ZH_SENTENCES = [
  '自签收之日起七天内，您可以申请无理由退货，商品需保持完好且不影响二次销售。',
  '退货申请提交后，客服会在二十四小时内审核并通知您寄回地址。',
  '请在包裹中附上订单号，否则仓库可能无法及时识别您的退货。',
  '仓库收到退货并检查无误后，我们会在三个工作日内原路退款！',
  '如果是质量问题，往返运费由我们承担；如果是个人原因，运费由您承担。',
  '定制商品、生鲜食品和已拆封的数码产品不支持无理由退货？请以商品页面说明为准。',
];
const EN_SENTENCES = [
  'Mr. Smith from the U.S. office approves every refund over $500.00 within two business days.',
  'You can return any item within 30 days of delivery, e.g. clothes, shoes and accessories.',
  'Refunds go back to the original payment method; bank transfers may take up to 5 days.',
  'Items marked as final sale cannot be returned, and gift cards are never refundable.',
  'If the parcel arrives damaged, take a photo before opening it and contact us at once.',
];

const longParagraph = (sentences: string[], chars: number) => {
  let text = '';
  for (let i = 0; text.length < chars; i++) text += (text && /[a-z.]$/i.test(text) ? ' ' : '') + sentences[i % sentences.length];
  return text;
};

const ownText = (doc: { blocks: Block[] }, c: Chunk) => renderDocumentText(doc).slice(c.charStart, c.charEnd);

describe('chunkDocument', () => {
  it('splits a long Chinese paragraph at sentence ends into chunks near the target size, never over the maximum', () => {
    const doc = {
      blocks: [
        { type: 'heading', level: 1, text: '退货政策' },
        { type: 'heading', level: 2, text: '退款时间' },
        { type: 'paragraph', text: longParagraph(ZH_SENTENCES, 2500) },
      ] satisfies Block[],
    };
    const chunks = chunkDocument(doc);
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    for (const chunk of chunks) {
      expect(chunk.headingPath).toEqual(['退货政策', '退款时间']);
      expect(chunk.text.length).toBeLessThanOrEqual(1000);
      // Each chunk's own content ends where a sentence ends.
      expect(ownText(doc, chunk)).toMatch(/[。！？；]$/);
    }
    expect(chunks.slice(0, -1).every((c) => c.text.length >= 300)).toBe(true);
  });

  it('repeats the end of the previous chunk at the start of the next one in the same section', () => {
    const doc = { blocks: [{ type: 'paragraph', text: longParagraph(ZH_SENTENCES, 2000) }] satisfies Block[] };
    const chunks = chunkDocument(doc, { overlapChars: 100 });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks[0]!.overlapChars).toBe(0);
    for (let i = 1; i < chunks.length; i++) {
      const overlap = chunks[i]!.text.slice(0, chunks[i]!.overlapChars).trim();
      expect(overlap.length).toBeGreaterThan(0);
      expect(overlap.length).toBeLessThanOrEqual(100);
      expect(chunks[i - 1]!.text.endsWith(overlap)).toBe(true);
    }
    expect(chunkDocument(doc, { overlapChars: 0 }).every((c) => c.overlapChars === 0)).toBe(true);
  });

  it('never lets a chunk span two sections, and keeps the heading path of each', () => {
    const doc = {
      blocks: [
        { type: 'paragraph', text: 'Welcome to the help centre.' },
        { type: 'heading', level: 1, text: 'Returns' },
        { type: 'paragraph', text: 'Return within 30 days.' },
        { type: 'heading', level: 3, text: 'Damaged items' },
        { type: 'paragraph', text: 'Photograph the parcel.' },
        { type: 'heading', level: 2, text: 'Refunds' },
        { type: 'paragraph', text: 'Refunds take 5 days.' },
        { type: 'heading', level: 1, text: 'Shipping' },
        { type: 'heading', level: 2, text: 'Empty section heading' },
        { type: 'heading', level: 2, text: 'Costs' },
        { type: 'list', items: ['Free over $50', 'Otherwise $5'] },
      ] satisfies Block[],
    };
    const chunks = chunkDocument(doc);
    expect(chunks.map((c) => [c.headingPath, c.text])).toEqual([
      [[], 'Welcome to the help centre.'],
      [['Returns'], 'Return within 30 days.'],
      [['Returns', 'Damaged items'], 'Photograph the parcel.'],
      [['Returns', 'Refunds'], 'Refunds take 5 days.'],
      [['Shipping', 'Costs'], '- Free over $50\n- Otherwise $5'],
    ]);
    expect(chunks.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('does not end English chunks at abbreviations such as "Mr." or "e.g."', () => {
    const doc = { blocks: [{ type: 'paragraph', text: longParagraph(EN_SENTENCES, 3000) }] satisfies Block[] };
    const chunks = chunkDocument(doc, { targetChars: 300, maxChars: 500, overlapChars: 60 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(ownText(doc, chunk)).toMatch(/(days|accessories|refundable|once)\.$/);
      expect(chunk.text.length).toBeLessThanOrEqual(500);
    }
  });

  it('keeps table rows whole and repeats the header row when a table continues in the next chunk', () => {
    const rows = [['Model', 'Battery', 'Warranty']];
    for (let i = 1; i <= 60; i++) rows.push([`GX${100 + i}`, `${3000 + i * 10} mAh`, `${(i % 3) + 1} years, extendable on request`]);
    const chunks = chunkDocument({ blocks: [{ type: 'table', rows }] }, { targetChars: 400, maxChars: 600 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      const lines = chunk.text.split('\n');
      expect(lines.every((l) => /^\| .* \|$/.test(l))).toBe(true);
      expect(lines[0]).toBe('| Model | Battery | Warranty |');
    }
    const dataRows = chunks.flatMap((c) => c.text.split('\n').slice(1));
    expect(new Set(dataRows).size).toBe(60);
  });

  it('gives the same hashes for the same content and changes only the hashes of edited sections', () => {
    const blocks = (refund: string): Block[] => [
      { type: 'heading', level: 1, text: '退货' },
      { type: 'paragraph', text: longParagraph(ZH_SENTENCES, 1500) },
      { type: 'heading', level: 1, text: '退款' },
      { type: 'paragraph', text: refund },
    ];
    const before = chunkDocument({ blocks: blocks('三个工作日内退款。') });
    const again = chunkDocument({ blocks: blocks('三个工作日内退款。') });
    const after = chunkDocument({ blocks: blocks('五个工作日内退款。') });
    expect(again.map((c) => c.hash)).toEqual(before.map((c) => c.hash));
    expect(before.every((c) => /^[0-9a-f]{64}$/.test(c.hash))).toBe(true);
    const unchanged = (c: Chunk) => c.headingPath[0] === '退货';
    expect(after.filter(unchanged).map((c) => c.hash)).toEqual(before.filter(unchanged).map((c) => c.hash));
    expect(after.find((c) => !unchanged(c))!.hash).not.toBe(before.find((c) => !unchanged(c))!.hash);

    // The same text under another heading is another chunk.
    const moved = chunkDocument({ blocks: [{ type: 'heading', level: 1, text: '退换货' }, ...blocks('三个工作日内退款。').slice(1)] });
    expect(moved[0]!.text).toBe(before[0]!.text);
    expect(moved[0]!.hash).not.toBe(before[0]!.hash);
  });

  it('cuts a sentence longer than the maximum at commas rather than mid-word', () => {
    const clause = 'and the courier collects the parcel from your door';
    const text = `${Array.from({ length: 40 }, (_, i) => `${clause} ${i}`).join(', ')}.`;
    const chunks = chunkDocument({ blocks: [{ type: 'paragraph', text }] }, { targetChars: 300, maxChars: 400, overlapChars: 0 });
    expect(chunks.length).toBeGreaterThan(4);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(400);
      expect(c.text).toMatch(/^and the courier/);
      expect(c.text).toMatch(/\d[,.]$/);
    }
  });

  it('holds its invariants for any document: size bounds, whole characters, exact source ranges, full coverage', () => {
    const word = fc.constantFrom('退货', '运费', 'refund', 'Mr.', 'GX199', '。', '！', '. ', ', ', '，', ' ', 'The', '7天', '😀', '𠮷');
    const text = fc.array(word, { minLength: 1, maxLength: 300 }).map((w) => w.join('').trim() || '文本');
    const block: fc.Arbitrary<Block> = fc.oneof(
      fc.record({ type: fc.constant('heading' as const), level: fc.integer({ min: 1, max: 4 }), text: fc.constantFrom('退货', 'Refunds', '运费') }),
      fc.record({ type: fc.constant('paragraph' as const), text }),
      fc.record({ type: fc.constant('list' as const), items: fc.array(text, { minLength: 1, maxLength: 5 }) }),
      fc.record({ type: fc.constant('code' as const), text }),
      fc.record({
        type: fc.constant('table' as const),
        rows: fc.array(fc.array(fc.constantFrom('a', 'GX199', '3000 mAh', '退货'), { minLength: 2, maxLength: 3 }), { minLength: 1, maxLength: 30 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 12 }), fc.integer({ min: 50, max: 400 }), (blocks, target) => {
        const doc = { blocks };
        const options = { targetChars: target, maxChars: Math.round(target * 1.5), overlapChars: Math.floor(target / 5) };
        const chunks = chunkDocument(doc, options);
        const rendered = renderDocumentText(doc);
        const covered = new Uint8Array(rendered.length);
        for (const c of chunks) {
          expect(c.text.length).toBeLessThanOrEqual(options.maxChars);
          // No emoji or rare Han character is cut in half.
          expect(c.text.isWellFormed()).toBe(true);
          expect(c.text.slice(c.overlapChars)).toBe(rendered.slice(c.charStart, c.charEnd));
          covered.fill(1, c.charStart, c.charEnd);
        }
        // Every non-space character outside headings belongs to some chunk.
        let offset = 0;
        for (const b of blocks) {
          const part = renderDocumentText({ blocks: [b] });
          if (b.type !== 'heading') {
            for (let i = 0; i < part.length; i++) if (/\S/.test(part[i]!)) expect(covered[offset + i]).toBe(1);
          }
          offset += part.length + 2;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('rejects options that cannot be satisfied', () => {
    expect(() => chunkDocument({ blocks: [] }, { targetChars: 500, maxChars: 400 })).toThrow(RangeError);
    expect(() => chunkDocument({ blocks: [] }, { targetChars: 100, overlapChars: 100 })).toThrow(RangeError);
  });
});

describe('chunking a parsed page', () => {
  it('turns a help-centre page into one chunk per answer, each under its category and question', async () => {
    const qa = (q: string, a: string) => `<div class="faq-item"><h3>${q}</h3><p>${a}</p></div>`;
    const html = `<html><head><title>帮助中心</title></head><body>
      <div class="top-menu"><a href="/">首页</a><a href="/shop">商城</a></div>
      <div id="wrapper"><div class="left"><ul><li><a href="#a">订单问题</a></li><li><a href="#b">售后问题</a></li></ul></div>
      <div class="faq"><h2>订单问题</h2>${qa('如何查看订单？', '登录后在“我的订单”中查看全部订单。')}${qa('可以修改收货地址吗？', '发货前可以在订单详情中修改地址。')}
      <h2>售后问题</h2>${qa('如何退货？', '自签收之日起7天内可申请无理由退货。')}</div></div>
      <div class="bottom">Copyright 2025 示例商城 · 沪ICP备12345678号</div></body></html>`;
    const doc = await parseDocument({ name: 'help.html', bytes: new TextEncoder().encode(html) });
    if (doc.kind !== 'document') throw new Error(doc.message);
    expect(doc.title).toBe('帮助中心');
    expect(chunkDocument(doc).map((c) => [c.headingPath.join(' > '), c.text])).toEqual([
      ['订单问题 > 如何查看订单？', '登录后在“我的订单”中查看全部订单。'],
      ['订单问题 > 可以修改收货地址吗？', '发货前可以在订单详情中修改地址。'],
      ['售后问题 > 如何退货？', '自签收之日起7天内可申请无理由退货。'],
    ]);
  });
});

describe('hashSource', () => {
  it('is a stable SHA-256 of the bytes, so an unchanged file is recognised on re-import', () => {
    const bytes = new TextEncoder().encode('退货政策 v1');
    expect(hashSource(bytes)).toBe(hashSource(new TextEncoder().encode('退货政策 v1')));
    expect(hashSource(bytes)).not.toBe(hashSource(new TextEncoder().encode('退货政策 v2')));
    expect(hashSource(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
