import { strToU8, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseDocument } from './parse-document.js';
import { type ParsedFaqSheet, parseFaqSheet } from './parse-faq-sheet.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

async function sheet(name: string, bytes: Uint8Array, options?: Parameters<typeof parseFaqSheet>[1]): Promise<ParsedFaqSheet> {
  const result = await parseFaqSheet({ name, bytes }, options);
  if (result.kind !== 'faq-sheet') throw new Error(`expected a sheet, got ${result.code}: ${result.message}`);
  return result;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const column = (i: number) => String.fromCharCode(65 + i);

/** A minimal workbook as Excel writes it: shared strings, numbers as values, sparse rows. */
function xlsx(sheets: { name: string; rows: Record<number, (string | number | null)[]> }[]): Uint8Array {
  const strings: string[] = [];
  const sst = (s: string) => (strings.includes(s) ? strings.indexOf(s) : strings.push(s) - 1);
  const files: Record<string, Uint8Array> = {};
  sheets.forEach((s, n) => {
    const rows = Object.entries(s.rows)
      .map(([r, cells]) => {
        const xml = cells
          .map((v, i) => {
            if (v === null) return '';
            const ref = `${column(i)}${r}`;
            return typeof v === 'number' ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="s"><v>${sst(v)}</v></c>`;
          })
          .join('');
        return `<row r="${r}">${xml}</row>`;
      })
      .join('');
    files[`xl/worksheets/sheet${n + 1}.xml`] = strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`,
    );
  });
  const ns = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  files['[Content_Types].xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
  );
  files['_rels/.rels'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><Relationships ${ns}><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  files['xl/workbook.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${rel}"><sheets>${sheets
      .map((s, n) => `<sheet name="${escapeXml(s.name)}" sheetId="${n + 1}" r:id="rId${n + 1}"/>`)
      .join('')}</sheets></workbook>`,
  );
  files['xl/_rels/workbook.xml.rels'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><Relationships ${ns}>${sheets
      .map((_, n) => `<Relationship Id="rId${n + 1}" Type="${rel}/worksheet" Target="worksheets/sheet${n + 1}.xml"/>`)
      .join('')}<Relationship Id="rIdS" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  );
  files['xl/sharedStrings.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings
      .map((s) => `<si><t xml:space="preserve">${escapeXml(s)}</t></si>`)
      .join('')}</sst>`,
  );
  return zipSync(files);
}

describe('parseFaqSheet', () => {
  it('reads a UTF-8 CSV with Chinese headers, similar questions in one cell, and line numbers that match the file', async () => {
    const csv = [
      '编号,分类,问题,答案,相似问',
      'R1,售后,如何退货？,自签收之日起7天内可申请退货。,"怎么退货|退货流程',
      '能退货吗"',
      'R2,物流,多久发货？,"下单后24小时内发货,节假日顺延。",',
    ].join('\r\n');
    const result = await sheet('faq.csv', utf8(csv));
    expect(result).toMatchObject({ format: 'csv', encoding: 'utf-8', issues: [] });
    expect(result.mapping).toEqual({ question: '问题', answer: '答案', similar: '相似问', category: '分类', id: '编号' });
    expect(result.rows).toEqual([
      {
        line: 2,
        values: { 编号: 'R1', 分类: '售后', 问题: '如何退货？', 答案: '自签收之日起7天内可申请退货。', 相似问: '怎么退货|退货流程\n能退货吗' },
        question: '如何退货？',
        answer: '自签收之日起7天内可申请退货。',
        similar: ['怎么退货', '退货流程', '能退货吗'],
        category: '售后',
        id: 'R1',
      },
      {
        line: 4,
        values: { 编号: 'R2', 分类: '物流', 问题: '多久发货？', 答案: '下单后24小时内发货,节假日顺延。', 相似问: '' },
        question: '多久发货？',
        answer: '下单后24小时内发货,节假日顺延。',
        similar: [],
        category: '物流',
        id: 'R2',
      },
    ]);
  });

  it('reads a GBK CSV saved by Excel in mainland China', async () => {
    const result = await sheet('常见问题.csv', iconv.encode('标准问,标准答案,相似问法\n运费谁出？,质量问题由我们承担运费。,退货运费；运费险\n', 'gbk'));
    expect(result.encoding).toBe('gb18030');
    expect(result.rows.map((r) => [r.question, r.answer, r.similar])).toEqual([['运费谁出？', '质量问题由我们承担运费。', ['退货运费', '运费险']]]);
  });

  it('reads a Big5 CSV with Traditional Chinese headers', async () => {
    const result = await sheet('faq.csv', iconv.encode('問題,答案,相似問題\n如何退貨？,自簽收之日起七天內可申請退貨。,退貨流程\n', 'big5'));
    expect(result.encoding).toBe('big5');
    expect(result.mapping).toMatchObject({ question: '問題', answer: '答案', similar: '相似問題' });
    expect(result.rows[0]).toMatchObject({ question: '如何退貨？', answer: '自簽收之日起七天內可申請退貨。', similar: ['退貨流程'] });
  });

  it('finds English headers regardless of case, spacing and "required" markers, below a title row', async () => {
    const csv = 'Shop FAQ export,,\n Question* ,Answer (required),Similar Questions\nHow do I return an item?,Within 30 days.,Return policy|Send back\n';
    const result = await sheet('faq.csv', utf8(csv));
    expect(result.mapping).toEqual({ question: 'Question*', answer: 'Answer (required)', similar: 'Similar Questions' });
    expect(result.rows).toMatchObject([{ line: 3, question: 'How do I return an item?', similar: ['Return policy', 'Send back'] }]);
  });

  it('uses an explicit column mapping for headers it does not know', async () => {
    const csv = '标题,内容\n会员积分怎么用？,100积分抵1元。\n';
    const result = await sheet('faq.csv', utf8(csv), { mapping: { question: '标题', answer: '内容' } });
    expect(result.rows.map((r) => [r.question, r.answer])).toEqual([['会员积分怎么用？', '100积分抵1元。']]);
    const wrong = await parseFaqSheet({ name: 'faq.csv', bytes: utf8(csv) }, { mapping: { question: 'Title', answer: '内容' } });
    expect(wrong).toMatchObject({ kind: 'failure', code: 'SHEET_COLUMNS_MISSING', message: expect.stringContaining('"Title"') });
  });

  it('skips rows without a question or an answer and flags repeated questions, across 简/繁 and punctuation', async () => {
    const csv = ['问题,答案', '如何退货？,7天内可退。', ',没有问题的答案', '没有答案的问题,', '如何退貨?,重复的问题。', '', '发票怎么开？,在订单页申请。'].join(
      '\n',
    );
    const result = await sheet('faq.csv', utf8(csv));
    expect(result.rows.map((r) => [r.line, r.question])).toEqual([
      [2, '如何退货？'],
      [5, '如何退貨?'],
      [7, '发票怎么开？'],
    ]);
    expect(result.issues).toEqual([
      { line: 3, code: 'FAQ_QUESTION_MISSING', message: expect.stringContaining('Line 3') },
      { line: 4, code: 'FAQ_ANSWER_MISSING', message: expect.stringContaining('没有答案的问题') },
      { line: 5, code: 'FAQ_QUESTION_DUPLICATE', message: expect.stringContaining('line 2'), firstLine: 2 },
    ]);
  });

  it('reads an XLSX, choosing the sheet that has FAQ columns and reporting spreadsheet row numbers', async () => {
    const bytes = xlsx([
      { name: '填写说明', rows: { 1: ['请在 FAQ 工作表中填写问答。'] } },
      {
        name: 'FAQ',
        rows: {
          2: ['问题', '答案', '分类', 'ID'],
          3: ['GX199 多少钱？', '售价199元。', '价格', 1001],
          5: ['AX3000 支持 Wi-Fi 6 吗？', '支持，最高 3000 Mbps。', null, 1002],
        },
      },
    ]);
    const result = await sheet('faq.xlsx', bytes);
    expect(result).toMatchObject({ format: 'xlsx', sheet: 'FAQ', headers: ['问题', '答案', '分类', 'ID'] });
    expect(result.rows.map((r) => [r.line, r.question, r.answer, r.category, r.id])).toEqual([
      [3, 'GX199 多少钱？', '售价199元。', '价格', '1001'],
      [5, 'AX3000 支持 Wi-Fi 6 吗？', '支持，最高 3000 Mbps。', undefined, '1002'],
    ]);
    expect((await sheet('faq.xlsx', bytes, { sheet: 2 })).sheet).toBe('FAQ');
  });

  it('reports a sheet without question and answer columns, naming the headers it found', async () => {
    const result = await parseFaqSheet({ name: 'x.csv', bytes: utf8('名称,价格\nGX199,199\n') });
    expect(result).toMatchObject({ kind: 'failure', code: 'SHEET_COLUMNS_MISSING', message: expect.stringContaining('名称, 价格') });
  });

  it('fails cleanly on empty files, zip bombs and files that are not sheets', async () => {
    expect(await parseFaqSheet({ name: 'x.csv', bytes: new Uint8Array() })).toMatchObject({ code: 'FILE_EMPTY' });
    expect(await parseFaqSheet({ name: 'x.csv', bytes: utf8('\n\n') })).toMatchObject({ code: 'FILE_EMPTY' });
    const bomb = xlsx([{ name: 'FAQ', rows: { 1: ['问题', '答案'], 2: ['q', 'a'.repeat(4 * 1024 * 1024)] } }]);
    expect(await parseFaqSheet({ name: 'bomb.xlsx', bytes: bomb }, { limits: { maxUncompressedBytes: 1024 * 1024 } })).toMatchObject({
      code: 'ARCHIVE_TOO_LARGE',
    });
    expect(await parseFaqSheet({ name: 'x.md', bytes: utf8('# FAQ') })).toMatchObject({ code: 'FORMAT_UNSUPPORTED' });
    expect(await parseFaqSheet({ name: 'x.csv', bytes: utf8('问题,答案\n"unclosed,quote\n') })).toMatchObject({ code: 'PARSE_FAILED' });
  });

  it('reads tab-separated files by extension', async () => {
    const result = await sheet('faq.tsv', utf8('question\tanswer\nWhere is my order?\tTrack it in the app, under Orders.\n'));
    expect(result.rows[0]).toMatchObject({ question: 'Where is my order?', answer: 'Track it in the app, under Orders.' });
  });
});

describe('parseDocument on spreadsheets', () => {
  it('reads every non-empty sheet of an XLSX as a table under the sheet name', async () => {
    const bytes = xlsx([
      { name: '价格表', rows: { 1: ['型号', '价格'], 2: ['GX199', 199] } },
      { name: '空表', rows: {} },
      { name: '保修', rows: { 1: ['型号', '保修期'], 2: ['GX199', '2年'] } },
    ]);
    const result = await parseDocument({ name: '产品.xlsx', bytes });
    expect(result).toMatchObject({
      kind: 'document',
      format: 'xlsx',
      title: '产品',
      blocks: [
        { type: 'heading', level: 1, text: '价格表' },
        {
          type: 'table',
          rows: [
            ['型号', '价格'],
            ['GX199', '199'],
          ],
        },
        { type: 'heading', level: 1, text: '保修' },
        {
          type: 'table',
          rows: [
            ['型号', '保修期'],
            ['GX199', '2年'],
          ],
        },
      ],
    });
  });
});
