import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from './decode-text.js';

const FAQ_ZH = '问题,答案\n如何退货？,自签收之日起7天内可以申请退货，商品需保持完好。\n运费谁出？,质量问题由我们承担运费。\n';
const FAQ_TW = '問題,答案\n如何退貨？,自簽收之日起7天內可以申請退貨，商品需保持完好。\n運費誰出？,品質問題由我們承擔運費。\n';

describe('decodeText', () => {
  it('reads UTF-8 with and without a BOM, and normalises CRLF line endings', () => {
    const plain = decodeText(new TextEncoder().encode('退货\r\nrefund'));
    const bom = decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('退货')]));
    expect(plain).toEqual({ text: '退货\nrefund', encoding: 'utf-8' });
    expect(bom).toEqual({ text: '退货', encoding: 'utf-8' });
  });

  it('reads UTF-16 with a BOM, and ASCII-heavy UTF-16LE without one', () => {
    expect(decodeText(Uint8Array.from([0xff, 0xfe, ...iconv.encode('退货 refund', 'utf-16le')]))).toEqual({ text: '退货 refund', encoding: 'utf-16le' });
    expect(decodeText(Uint8Array.from([0xfe, 0xff, ...iconv.encode('退货', 'utf-16be')]))).toEqual({ text: '退货', encoding: 'utf-16be' });
    expect(decodeText(iconv.encode('question,answer\nHow to return?,Within 7 days.', 'utf-16le'))).toMatchObject({
      text: 'question,answer\nHow to return?,Within 7 days.',
      encoding: 'utf-16le',
    });
  });

  it('recognises a GBK file as saved by Excel in mainland China and converts it', () => {
    expect(decodeText(iconv.encode(FAQ_ZH, 'gbk'))).toEqual({ text: FAQ_ZH, encoding: 'gb18030' });
  });

  it('prefers GBK for a very short Chinese text that could be either', () => {
    expect(decodeText(iconv.encode('退货', 'gbk'))).toEqual({ text: '退货', encoding: 'gb18030' });
  });

  it('recognises a Big5 file from Taiwan or Hong Kong and converts it', () => {
    expect(decodeText(iconv.encode(FAQ_TW, 'big5'))).toEqual({ text: FAQ_TW, encoding: 'big5' });
  });

  it('reads a Western Windows-1252 file', () => {
    expect(decodeText(iconv.encode('Café crème: naïve résumé, 5 €, déjà vu.\n', 'win1252'))).toEqual({
      text: 'Café crème: naïve résumé, 5 €, déjà vu.\n',
      encoding: 'windows-1252',
    });
  });

  it('refuses binary data instead of producing mojibake', () => {
    const garbage = randomBytes(4096);
    garbage[10] = 0x01; // make sure the sample has a control byte even in a lucky draw
    const result = decodeText(garbage);
    expect(result).toMatchObject({ kind: 'failure', code: 'ENCODING_UNKNOWN' });
    expect('message' in result && result.message).toMatch(/UTF-8/);
  });
});
