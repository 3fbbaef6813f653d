import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { parseDocument } from './parse-document.js';
import type { Block, ParsedDocument } from './parsed-document.js';

// --- fixtures, generated here so nothing binary is committed -----------------------------------

const utf8 = (text: string) => new TextEncoder().encode(text);

async function parsed(name: string, bytes: Uint8Array, limits?: Parameters<typeof parseDocument>[1]): Promise<ParsedDocument> {
  const result = await parseDocument({ name, bytes }, limits);
  if (result.kind !== 'document') throw new Error(`expected a document, got ${result.code}: ${result.message}`);
  return result;
}

const texts = (blocks: Block[]) =>
  blocks.flatMap((b) => (b.type === 'list' ? b.items : b.type === 'table' ? b.rows.map((r) => r.join(' | ')) : [b.text])).join('\n');

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
const DOC_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>`;
const STYLES = `<?xml version="1.0" encoding="UTF-8"?><w:styles ${W}><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style><w:style w:type="paragraph" w:styleId="3"><w:name w:val="标题 3"/></w:style></w:styles>`;
const NUMBERING = `<?xml version="1.0" encoding="UTF-8"?><w:numbering ${W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`;

const p = (text: string, style?: string) =>
  `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}<w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const li = (text: string) => `<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>${text}</w:t></w:r></w:p>`;
const row = (...cells: string[]) => `<w:tr>${cells.map((c) => `<w:tc>${p(c)}</w:tc>`).join('')}</w:tr>`;

function docx(body: string, options: { title?: string; extra?: Record<string, Uint8Array> } = {}): Uint8Array {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(CONTENT_TYPES),
    '_rels/.rels': strToU8(ROOT_RELS),
    'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${body}</w:body></w:document>`),
    'word/_rels/document.xml.rels': strToU8(DOC_RELS),
    'word/styles.xml': strToU8(STYLES),
    'word/numbering.xml': strToU8(NUMBERING),
    ...options.extra,
  };
  if (options.title) {
    files['docProps/core.xml'] = strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${options.title}</dc:title></cp:coreProperties>`,
    );
  }
  return zipSync(files);
}

/** Rewrites the uncompressed size of every entry, in both local and central headers (a lying zip). */
function claimSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50) view.setUint32(i + 22, size, true);
    if (sig === 0x02014b50) view.setUint32(i + 24, size, true);
  }
  return out;
}

async function englishManualPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Microsoft Word - Kefu Customer Manual.docx');
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const pages: [string, number, boolean][][] = [
    [
      ['Customer Manual', 22, true],
      ['Returns', 16, true],
      ['You can return any item within 30 days of delivery if it is unused and in', 11, false],
      ['its original packaging. Refunds go back to the original payment method.', 11, false],
      ['', 0, false],
      ['Before you send a parcel back:', 11, false],
      ['• Keep the receipt', 11, false],
      ['• Print the return label', 11, false],
    ],
    [
      ['Shipping', 16, true],
      ['Orders placed before 4 p.m. ship the same day. Delivery takes two to five', 11, false],
      ['working days within the mainland.', 11, false],
    ],
    [
      ['Warranty', 16, true],
      ['Every device carries a two-year warranty against manufacturing defects.', 11, false],
    ],
  ];
  pages.forEach((lines, n) => {
    const page = pdf.addPage([595, 842]);
    page.drawText('Kefu Shop - Customer Manual', { x: 50, y: 810, size: 9, font });
    let y = 770;
    for (const [text, size, isBold] of lines) {
      if (!text) {
        y -= 12;
        continue;
      }
      y -= size >= 16 ? size + 10 : size + 3;
      page.drawText(text, { x: 50, y, size, font: isBold ? bold : font });
    }
    page.drawText(`Page ${n + 1} of ${pages.length}`, { x: 270, y: 30, size: 9, font });
  });
  return pdf.save();
}

// A hand-written PDF writer for what pdf-lib cannot make: Chinese text without embedding a font,
// and the standard security handler.
function pdfFrom(objects: (string | Buffer)[], trailer = ''): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((o, i) => {
    const b = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
      typeof o === 'string' ? Buffer.from(o, 'latin1') : o,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    offsets.push(length);
    parts.push(b);
    length += b.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailer}>>\nstartxref\n${length}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}
const pdfStream = (data: Buffer | string) => {
  const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  return Buffer.concat([Buffer.from(`<< /Length ${b.length} >>\nstream\n`, 'latin1'), b, Buffer.from('\nendstream', 'latin1')]);
};
const PAGE_OBJECTS = [
  '<< /Type /Catalog /Pages 2 0 R >>',
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
];

/** Chinese lines set in a non-embedded CID font; the ToUnicode map is what makes the text extractable. */
function chinesePdf(lines: [string, number, number][]): Uint8Array {
  const chars = [...new Set(lines.flatMap(([t]) => [...t]))];
  const cid = (ch: string) => (chars.indexOf(ch) + 1).toString(16).padStart(4, '0');
  const content = lines.map(([t, size, y]) => `BT /F1 ${size} Tf 50 ${y} Td <${[...t].map(cid).join('')}> Tj ET`).join('\n');
  const bfchar = chars.map((ch) => `<${cid(ch)}> <${ch.codePointAt(0)!.toString(16).padStart(4, '0')}>`).join(' ');
  const cmap = `/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange ${chars.length} beginbfchar ${bfchar} endbfchar endcmap CMapName currentdict /CMap defineresource pop end end`;
  return pdfFrom([
    ...PAGE_OBJECTS,
    pdfStream(content),
    '<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>',
    '<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 /CIDToGIDMap /Identity >>',
    pdfStream(cmap),
    '<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>',
  ]);
}

// PDF standard security handler, revision 2 (RC4, 40-bit): ISO 32000-1 §7.6.3, algorithms 2, 3 and 4.
const PAD = Buffer.from('28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A', 'hex');
const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();
const padPassword = (password: string) => Buffer.concat([Buffer.from(password, 'latin1'), PAD]).subarray(0, 32);
function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  let j = 0;
  for (let i = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  let i = 0;
  j = 0;
  for (let k = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}
function encryptedPdf(userPassword: string, text: string): Uint8Array {
  const id = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
  const permissions = Buffer.alloc(4);
  permissions.writeInt32LE(-44);
  const owner = rc4(md5(padPassword('owner-secret')).subarray(0, 5), padPassword(userPassword));
  const key = md5(padPassword(userPassword), owner, permissions, id).subarray(0, 5);
  const user = rc4(key, PAD);
  const content = rc4(md5(key, Buffer.from([4, 0, 0, 0, 0])).subarray(0, 10), Buffer.from(`BT /F1 12 Tf 50 700 Td (${text}) Tj ET`, 'latin1'));
  return pdfFrom(
    [
      ...PAGE_OBJECTS,
      pdfStream(content),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      `<< /Filter /Standard /V 1 /R 2 /O <${owner.toString('hex')}> /U <${user.toString('hex')}> /P -44 >>`,
    ],
    `/Encrypt 6 0 R /ID [<${id.toString('hex')}> <${id.toString('hex')}>] `,
  );
}

// --- formats -------------------------------------------------------------------------------------

describe('parseDocument: formats', () => {
  it('reads Markdown headings, nested lists, tables, code and front-matter title; drops embedded scripts', async () => {
    const md = [
      '---',
      'title: "退货与退款"',
      '---',
      '# 退货政策',
      '',
      '自签收之日起7天内，',
      '可以申请退货 &amp; 换货。',
      '',
      '## Refunds',
      '',
      '- Refunds go back to the **original** payment method',
      '- Bank transfers',
      '  - may take [5 days](https://example.com)',
      '',
      '| 方式 | 时间 |',
      '|---|---|',
      '| 支付宝 | 1-3天 |',
      '',
      '```js',
      'refund(order)',
      '```',
      '',
      '<script>alert("x")</script>',
    ].join('\n');
    const doc = await parsed('returns.md', utf8(md));
    expect(doc.format).toBe('markdown');
    expect(doc.title).toBe('退货与退款');
    expect(doc.blocks).toEqual([
      { type: 'heading', level: 1, text: '退货政策' },
      { type: 'paragraph', text: '自签收之日起7天内，可以申请退货 & 换货。' },
      { type: 'heading', level: 2, text: 'Refunds' },
      { type: 'list', items: ['Refunds go back to the original payment method', 'Bank transfers\n  - may take 5 days'] },
      {
        type: 'table',
        rows: [
          ['方式', '时间'],
          ['支付宝', '1-3天'],
        ],
      },
      { type: 'code', text: 'refund(order)', lang: 'js' },
    ]);
  });

  it('keeps only the main content of a web page: no navigation, sidebar, footer, cookie banner or scripts', async () => {
    const html = `<!doctype html><html><head><title>退货政策 - 示例商城</title><style>body{color:red}</style><script>var tracking = 1;</script></head><body>
      <header><nav><a href="/">首页</a> <a href="/help">帮助中心</a></nav></header>
      <div class="cookie-banner">我们使用 Cookie 改善体验。<button>同意</button></div>
      <div class="sidebar"><ul><li><a href="/a">热门商品推荐</a></li><li><a href="/b">限时促销活动</a></li></ul></div>
      <div class="content">
        <h1>退货政策</h1>
        <p>自签收之日起7天内，您可以申请无理由退货。商品需保持完好，不影响二次销售，配件和赠品需一并寄回。</p>
        <h2>退款时间</h2>
        <p>仓库收到退货并检查无误后，我们会在3个工作日内原路退款。如有疑问，请联系在线客服或拨打客服热线。</p>
        <table><tr><th>支付方式</th><th>到账时间</th></tr><tr><td>支付宝</td><td>1-3天</td></tr><tr><td>银行卡</td><td>3-5天</td></tr></table>
      </div>
      <footer>© 2025 示例商城 版权所有 | 沪ICP备00000000号</footer>
      <script>document.write('广告')</script></body></html>`;
    const doc = await parsed('returns.html', utf8(html));
    const all = texts(doc.blocks);
    expect(doc.title).toBe('退货政策');
    expect(doc.blocks.filter((b) => b.type === 'heading')).toEqual([
      { type: 'heading', level: 1, text: '退货政策' },
      { type: 'heading', level: 2, text: '退款时间' },
    ]);
    expect(all).toContain('自签收之日起7天内，您可以申请无理由退货。');
    expect(doc.blocks).toContainEqual({
      type: 'table',
      rows: [
        ['支付方式', '到账时间'],
        ['支付宝', '1-3天'],
        ['银行卡', '3-5天'],
      ],
    });
    for (const boilerplate of ['首页', '帮助中心', 'Cookie', '热门商品', '版权所有', 'tracking', '广告', 'color:red']) expect(all).not.toContain(boilerplate);
  });

  it('prefers a page’s <main> element and keeps the header inside its article', async () => {
    const html = `<html><body><nav>Home | Pricing | Blog</nav><aside>Subscribe to our newsletter!</aside>
      <main><article><header><h1>Shipping FAQ</h1></header><dl><dt>How long does delivery take?</dt><dd>Two to five working days.</dd></dl></article></main>
      <footer>Copyright Kefu Inc.</footer></body></html>`;
    const doc = await parsed('shipping.htm', utf8(html));
    expect(doc.blocks).toEqual([
      { type: 'heading', level: 1, text: 'Shipping FAQ' },
      { type: 'list', items: ['How long does delivery take?: Two to five working days.'] },
    ]);
  });

  it('reads a DOCX: Word and WPS heading styles, lists, tables, document title; images are skipped', async () => {
    const body = [
      p('退货政策', 'Heading1'),
      p('自签收之日起7天内可以申请退货。'),
      p('退款时间', 'Heading2'),
      p('三个工作日内原路退款。'),
      p('特殊商品', '3'),
      li('定制商品不支持退货'),
      li('生鲜食品不支持退货'),
      `<w:tbl>${row('支付方式', '到账时间')}${row('支付宝', '1-3天')}</w:tbl>`,
    ].join('');
    const bytes = docx(body, { title: 'Returns &amp; refunds', extra: { 'word/media/image1.png': new Uint8Array(64) } });
    const doc = await parsed('政策.docx', bytes);
    expect(doc.format).toBe('docx');
    expect(doc.title).toBe('Returns & refunds');
    expect(doc.blocks).toEqual([
      { type: 'heading', level: 1, text: '退货政策' },
      { type: 'paragraph', text: '自签收之日起7天内可以申请退货。' },
      { type: 'heading', level: 2, text: '退款时间' },
      { type: 'paragraph', text: '三个工作日内原路退款。' },
      { type: 'heading', level: 3, text: '特殊商品' },
      { type: 'list', items: ['定制商品不支持退货', '生鲜食品不支持退货'] },
      {
        type: 'table',
        rows: [
          ['支付方式', '到账时间'],
          ['支付宝', '1-3天'],
        ],
      },
    ]);
  });

  it('reads an English PDF: title from metadata, headings by font size, wrapped lines joined, bullets as a list, running header and page numbers dropped', async () => {
    const doc = await parsed('manual.pdf', await englishManualPdf());
    expect(doc.format).toBe('pdf');
    expect(doc.title).toBe('Kefu Customer Manual');
    expect(doc.blocks).toEqual([
      { type: 'heading', level: 1, text: 'Customer Manual' },
      { type: 'heading', level: 2, text: 'Returns' },
      {
        type: 'paragraph',
        text: 'You can return any item within 30 days of delivery if it is unused and in its original packaging. Refunds go back to the original payment method.',
      },
      { type: 'paragraph', text: 'Before you send a parcel back:' },
      { type: 'list', items: ['Keep the receipt', 'Print the return label'] },
      { type: 'heading', level: 2, text: 'Shipping' },
      { type: 'paragraph', text: 'Orders placed before 4 p.m. ship the same day. Delivery takes two to five working days within the mainland.' },
      { type: 'heading', level: 2, text: 'Warranty' },
      { type: 'paragraph', text: 'Every device carries a two-year warranty against manufacturing defects.' },
    ]);
  });

  it('reads a Chinese PDF, joining wrapped lines without inserting spaces', async () => {
    const bytes = chinesePdf([
      ['退货政策', 20, 780],
      ['自签收之日起七天内，您可以申请无理由退货，', 11, 740],
      ['商品需保持完好。', 11, 725],
      ['第二章 退款', 11, 690],
      ['三个工作日内原路退款。', 11, 670],
    ]);
    const doc = await parsed('退货.pdf', bytes);
    expect(doc.title).toBe('退货政策');
    expect(doc.blocks).toEqual([
      { type: 'heading', level: 1, text: '退货政策' },
      { type: 'paragraph', text: '自签收之日起七天内，您可以申请无理由退货，商品需保持完好。' },
      { type: 'heading', level: 2, text: '第二章 退款' },
      { type: 'paragraph', text: '三个工作日内原路退款。' },
    ]);
  });

  it('reads a PDF whose owner password only restricts editing', async () => {
    const doc = await parsed('policy.pdf', encryptedPdf('', 'Refunds are processed within 5 days.'));
    expect(doc.blocks).toEqual([{ type: 'paragraph', text: 'Refunds are processed within 5 days.' }]);
  });

  it('reads plain text: Chinese chapter headings, one paragraph per line, lists; English wrapped lines joined', async () => {
    const txt = [
      '第一章 退货',
      '自签收之日起7天内可以申请退货。',
      '商品需保持完好。',
      '',
      '一、不支持退货的商品',
      '1. 定制商品',
      '2. 生鲜食品',
      '',
      'Returns are accepted within 30 days',
      'of delivery for unused items.',
    ].join('\r\n');
    const doc = await parsed('faq.txt', utf8(txt));
    expect(doc.format).toBe('txt');
    expect(doc.title).toBe('faq');
    expect(doc.blocks).toEqual([
      { type: 'heading', level: 1, text: '第一章 退货' },
      { type: 'paragraph', text: '自签收之日起7天内可以申请退货。' },
      { type: 'paragraph', text: '商品需保持完好。' },
      { type: 'heading', level: 3, text: '一、不支持退货的商品' },
      { type: 'list', items: ['1. 定制商品', '2. 生鲜食品'], ordered: true },
      { type: 'paragraph', text: 'Returns are accepted within 30 days of delivery for unused items.' },
    ]);
  });

  it('reads a GBK-encoded text or CSV file as Chinese', async () => {
    const txt = await parsed('说明.txt', iconv.encode('退货须知\n\n自签收之日起七天内可以申请退货，运费由买家承担。', 'gbk'));
    expect(txt.encoding).toBe('gb18030');
    expect(texts(txt.blocks)).toContain('运费由买家承担');
    const csv = await parsed('价格.csv', iconv.encode('型号,价格\nGX199,199元\nAX3000,399元\n', 'gbk'));
    expect(csv.blocks).toEqual([
      {
        type: 'table',
        rows: [
          ['型号', '价格'],
          ['GX199', '199元'],
          ['AX3000', '399元'],
        ],
      },
    ]);
  });

  it('sniffs a file without an extension from its content or MIME type', async () => {
    expect((await parsed('page', utf8('<!doctype html><html><body><main><p>Hello there.</p></main></body></html>'))).format).toBe('html');
    expect((await parsed('notes', utf8('# Title\n\nBody text.'))).format).toBe('markdown');
    const viaMime = await parseDocument({ name: 'download', bytes: utf8('<p>Hi</p>'), mimeType: 'text/html; charset=utf-8' });
    expect(viaMime).toMatchObject({ kind: 'document', format: 'html' });
  });
});

// --- bad input -----------------------------------------------------------------------------------

describe('parseDocument: bad input is a failure value with a stable code', () => {
  it('FILE_EMPTY for zero bytes or only whitespace', async () => {
    expect(await parseDocument({ name: 'a.md', bytes: new Uint8Array() })).toMatchObject({ kind: 'failure', code: 'FILE_EMPTY' });
    expect(await parseDocument({ name: 'a.txt', bytes: utf8(' \n\t\n') })).toMatchObject({ kind: 'failure', code: 'FILE_EMPTY' });
  });

  it('FILE_TOO_LARGE above 20 MB by default, and above a configured limit', async () => {
    const big = await parseDocument({ name: 'big.txt', bytes: new Uint8Array(20 * 1024 * 1024 + 1).fill(0x61) });
    expect(big).toMatchObject({ kind: 'failure', code: 'FILE_TOO_LARGE' });
    expect('message' in big && big.message).toContain('20 MB');
    expect(await parseDocument({ name: 'a.txt', bytes: utf8('x'.repeat(2048)) }, { maxBytes: 1024 })).toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(await parseDocument({ name: 'a.txt', bytes: utf8('x'.repeat(2048)) }, { maxBytes: 4096 })).toMatchObject({ kind: 'document' });
  });

  it('FILE_TOO_LARGE for a PDF with more pages than allowed', async () => {
    expect(await parseDocument({ name: 'm.pdf', bytes: await englishManualPdf() }, { maxPdfPages: 2 })).toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('FORMAT_UNSUPPORTED for images, legacy Office files, other zips and unknown extensions', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const ole = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const pptx = zipSync({ '[Content_Types].xml': strToU8(CONTENT_TYPES), 'ppt/presentation.xml': strToU8('<p:presentation/>') });
    const cases = [
      { name: 'photo.png', bytes: png },
      { name: 'old.doc', bytes: ole },
      { name: 'slides.pptx', bytes: pptx },
      { name: 'data.json', bytes: utf8('{"a":1}') },
    ];
    for (const input of cases) expect(await parseDocument(input), input.name).toMatchObject({ kind: 'failure', code: 'FORMAT_UNSUPPORTED' });
    expect(await parseDocument({ name: 'locked.docx', bytes: ole })).toMatchObject({
      code: 'FORMAT_UNSUPPORTED',
      message: expect.stringContaining('password'),
    });
  });

  it('PDF_ENCRYPTED for a PDF that needs a password to open', async () => {
    const result = await parseDocument({ name: 'secret.pdf', bytes: encryptedPdf('open-sesame', 'Hidden text.') });
    expect(result).toMatchObject({ kind: 'failure', code: 'PDF_ENCRYPTED', message: expect.stringContaining('password') });
  });

  it('PDF_CORRUPT for a truncated PDF and for a file named .pdf that is not one', async () => {
    const whole = await englishManualPdf();
    // An interrupted upload: the cross-reference table and trailer are missing.
    expect(await parseDocument({ name: 'cut.pdf', bytes: whole.slice(0, Math.floor(whole.length * 0.9)) })).toMatchObject({ code: 'PDF_CORRUPT' });
    expect(await parseDocument({ name: 'fake.pdf', bytes: utf8('this is not a pdf at all') })).toMatchObject({ code: 'PDF_CORRUPT' });
  });

  it('ARCHIVE_TOO_LARGE for a DOCX with thousands of entries', async () => {
    const extra: Record<string, Uint8Array> = {};
    for (let i = 0; i < 3000; i++) extra[`word/media/x${i}.bin`] = new Uint8Array(1);
    const result = await parseDocument({ name: 'bomb.docx', bytes: docx(p('hi'), { extra }) });
    expect(result).toMatchObject({ kind: 'failure', code: 'ARCHIVE_TOO_LARGE', message: expect.stringContaining('2000 entries') });
  });

  it('ARCHIVE_TOO_LARGE for a DOCX that declares, or secretly holds, more than the uncompressed limit', async () => {
    const limits = { maxUncompressedBytes: 1024 * 1024 };
    // Honest bomb: 8 MB of zeros compress to a few KB.
    const honest = docx(p('hi'), { extra: { 'word/padding.xml': new Uint8Array(8 * 1024 * 1024) } });
    expect(honest.length).toBeLessThan(64 * 1024);
    expect(await parseDocument({ name: 'bomb.docx', bytes: honest }, limits)).toMatchObject({ code: 'ARCHIVE_TOO_LARGE' });
    // Lying bomb: every header claims 100 bytes; inflation is cut off as soon as it outgrows that.
    const lying = claimSize(honest, 100);
    expect(await parseDocument({ name: 'bomb.docx', bytes: lying }, limits)).toMatchObject({ code: 'ARCHIVE_TOO_LARGE' });
    // A header claiming more than the limit is refused before anything is inflated.
    expect(await parseDocument({ name: 'bomb.docx', bytes: claimSize(docx(p('hi')), 600 * 1024 * 1024) })).toMatchObject({ code: 'ARCHIVE_TOO_LARGE' });
  });

  it('ENCODING_UNKNOWN for a text file of binary garbage', async () => {
    const garbage = new Uint8Array(2048);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
    expect(await parseDocument({ name: 'notes.txt', bytes: garbage })).toMatchObject({ kind: 'failure', code: 'ENCODING_UNKNOWN' });
  });

  it('PARSE_FAILED for a DOCX that is not a valid zip or whose document XML is broken', async () => {
    const whole = docx(p('hello'));
    expect(await parseDocument({ name: 'cut.docx', bytes: whole.slice(0, whole.length - 40) })).toMatchObject({ code: 'PARSE_FAILED' });
    const broken = zipSync({
      '[Content_Types].xml': strToU8(CONTENT_TYPES),
      '_rels/.rels': strToU8(ROOT_RELS),
      'word/document.xml': strToU8('<w:document><w:body><w:p>'),
    });
    expect(await parseDocument({ name: 'broken.docx', bytes: broken })).toMatchObject({ code: 'PARSE_FAILED' });
    expect(await parseDocument({ name: 'text.docx', bytes: utf8('plain text named docx') })).toMatchObject({ code: 'PARSE_FAILED' });
  });

  it('NO_TEXT_FOUND for a page of scripts or a PDF without text (a scan)', async () => {
    expect(await parseDocument({ name: 'app.html', bytes: utf8('<html><body><script>boot()</script><div id="root"></div></body></html>') })).toMatchObject({
      code: 'NO_TEXT_FOUND',
    });
    const scan = await PDFDocument.create();
    scan.addPage([595, 842]).drawRectangle({ x: 50, y: 50, width: 400, height: 600, color: rgb(0.8, 0.8, 0.8) });
    expect(await parseDocument({ name: 'scan.pdf', bytes: await scan.save() })).toMatchObject({
      code: 'NO_TEXT_FOUND',
      message: expect.stringContaining('scanned'),
    });
  });

  it('never throws, whatever the bytes and the name', async () => {
    const names = fc.constantFrom('a.pdf', 'a.docx', 'a.xlsx', 'a.txt', 'a.md', 'a.html', 'a.csv', 'a', 'a.bin');
    const prefixes = fc.constantFrom('', '%PDF-1.7\n', 'PK\u0003\u0004', '<html>', '# ');
    await fc.assert(
      fc.asyncProperty(names, prefixes, fc.uint8Array({ maxLength: 512 }), async (name, prefix, body) => {
        const bytes = Uint8Array.from([...utf8(prefix), ...body]);
        const result = await parseDocument({ name, bytes });
        expect(['document', 'failure']).toContain(result.kind);
      }),
      { numRuns: 150 },
    );
  });
});
