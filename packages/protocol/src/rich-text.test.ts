import { describe, expect, it } from 'vitest';
import { parseInline, parseRichText } from './rich-text.js';

describe('parseRichText', () => {
  it('keeps line breaks inside a paragraph and splits paragraphs on blank lines', () => {
    expect(parseRichText('第一行\n第二行\n\n新段落')).toEqual([
      { type: 'paragraph', lines: [[{ type: 'text', text: '第一行' }], [{ type: 'text', text: '第二行' }]] },
      { type: 'paragraph', lines: [[{ type: 'text', text: '新段落' }]] },
    ]);
  });

  it('turns dash and numbered lines into lists, including Chinese 1、 numbering', () => {
    const blocks = parseRichText('退货步骤：\n1、进入订单\n2、申请售后\n- 保留包装\n* 附上发票');
    expect(blocks.map((b) => b.type)).toEqual(['paragraph', 'list', 'list']);
    expect(blocks[1]).toMatchObject({ ordered: true, start: 1, items: [[{ text: '进入订单' }], [{ text: '申请售后' }]] });
    expect(blocks[2]).toMatchObject({ ordered: false, items: [[{ text: '保留包装' }], [{ text: '附上发票' }]] });
  });

  it('starts an ordered list at its first number', () => {
    expect(parseRichText('3. third\n4. fourth')[0]).toMatchObject({ type: 'list', ordered: true, start: 3 });
  });

  it('reads **bold** but leaves a lone ** and a bold line alone as list markers', () => {
    expect(parseInline('满**99元**包邮')).toEqual([
      { type: 'text', text: '满' },
      { type: 'strong', text: '99元' },
      { type: 'text', text: '包邮' },
    ]);
    expect(parseInline('2 ** 3')).toEqual([{ type: 'text', text: '2 ** 3' }]);
    expect(parseRichText('**注意**：先登录')[0]).toMatchObject({ type: 'paragraph' });
  });

  it('links only http(s) URLs and keeps trailing punctuation out of them', () => {
    expect(parseInline('见 https://example.com/help。谢谢')).toEqual([
      { type: 'text', text: '见 ' },
      { type: 'link', text: 'https://example.com/help', href: 'https://example.com/help' },
      { type: 'text', text: '。谢谢' },
    ]);
    expect(parseInline('See https://example.com/a.')).toEqual([
      { type: 'text', text: 'See ' },
      { type: 'link', text: 'https://example.com/a', href: 'https://example.com/a' },
      { type: 'text', text: '.' },
    ]);
    expect(parseInline('javascript:alert(1)')).toEqual([{ type: 'text', text: 'javascript:alert(1)' }]);
  });

  it('treats markup as text', () => {
    expect(parseRichText('<img src=x onerror=alert(1)>')).toEqual([{ type: 'paragraph', lines: [[{ type: 'text', text: '<img src=x onerror=alert(1)>' }]] }]);
  });
});
