import { describe, expect, it } from 'vitest';
import { lookupPath, renderJson, renderTemplate, templatePaths } from './render-template.js';

const scope = { slots: { order_no: 'YD123', amount: 99.5, items: [{ name: '耳机' }], note: null }, contact: { name: '张三' } };

describe('renderTemplate', () => {
  it('fills dotted paths and array indexes, reports what is missing', () => {
    expect(renderTemplate('订单 {{slots.order_no}} · {{ slots.items.0.name }} · {{contact.name}}', scope)).toEqual({
      text: '订单 YD123 · 耳机 · 张三',
      missing: [],
    });
    expect(renderTemplate('{{slots.nope}}|{{slots.note}}', scope, { fallback: '?' })).toEqual({ text: '?|?', missing: ['slots.nope', 'slots.note'] });
  });

  it('encodes values for URLs and never walks the prototype', () => {
    expect(renderTemplate('/orders/{{slots.order_no}}?q={{contact.name}}', scope, { encode: encodeURIComponent }).text).toBe(
      '/orders/YD123?q=%E5%BC%A0%E4%B8%89',
    );
    expect(lookupPath(scope, 'slots.constructor')).toBeUndefined();
    expect(lookupPath(scope, '__proto__')).toBeUndefined();
    expect(renderTemplate('{{ constructor.name }}', scope).text).toBe('');
  });

  it('keeps the type of a value that is a whole JSON string, and walks objects and arrays', () => {
    const missing: string[] = [];
    expect(
      renderJson({ order: '{{slots.order_no}}', amount: '{{slots.amount}}', lines: ['x {{slots.amount}}', 3], gone: '{{slots.gone}}' }, scope, missing),
    ).toEqual({
      order: 'YD123',
      amount: 99.5,
      lines: ['x 99.5', 3],
      gone: null,
    });
    expect(missing).toEqual(['slots.gone']);
    expect(templatePaths('{{a.b}} and {{ c }}')).toEqual(['a.b', 'c']);
  });
});
