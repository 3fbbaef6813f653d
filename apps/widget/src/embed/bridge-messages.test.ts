import { describe, expect, it } from 'vitest';
import { parseFrameMessage, parseHostMessage, parseIdentity, parseStore, safeColor } from './bridge-messages.js';

// Both windows read each other's messages through these parsers only: anything a hostile page or frame
// could post that is not exactly one of the protocol's messages must come out as null.

describe('the postMessage protocol between the page and the widget frame', () => {
  it('reads the frame’s messages, including the new “active” one, and nothing else', () => {
    expect(parseFrameMessage({ source: 'kefu', type: 'ready' })).toEqual({ source: 'kefu', type: 'ready' });
    expect(parseFrameMessage({ source: 'kefu', type: 'active' })).toEqual({ source: 'kefu', type: 'active' });
    expect(parseFrameMessage({ source: 'kefu', type: 'unread', count: 3 })).toEqual({ source: 'kefu', type: 'unread', count: 3 });
    for (const bad of [
      null,
      'ready',
      { type: 'ready' },
      { source: 'other', type: 'ready' },
      { source: 'kefu', type: 'unread', count: -1 },
      { source: 'kefu', type: 'unread', count: 1.5 },
      { source: 'kefu', type: 'unread', count: '2' },
      { source: 'kefu', type: 'store', key: 'k', value: 'x'.repeat(4001) },
      { source: 'kefu', type: 'error', code: 'lower<script>' },
      { source: 'kefu', type: 'navigate', url: 'https://evil.example' },
    ]) {
      expect(parseFrameMessage(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('reads the page’s messages and refuses identities and stores that are off in any way', () => {
    expect(parseHostMessage({ source: 'kefu', type: 'ask', text: '运费多少？' })).toEqual({ source: 'kefu', type: 'ask', text: '运费多少？' });
    expect(parseHostMessage({ source: 'kefu', type: 'locale', locale: 'fr' })).toBeNull();
    expect(parseHostMessage({ source: 'kefu', type: 'ask', text: '   ' })).toBeNull();
    expect(parseHostMessage({ source: 'kefu', type: 'boot', identity: null, locale: null, store: { a: 1 } })).toBeNull();
    expect(parseIdentity({ id: 'u1', hash: 'abc', extra: true })).toBeNull();
    expect(parseIdentity({ id: 'u1', attributes: { plan: { nested: 1 } } })).toBeNull();
    expect(parseIdentity({ id: 'u1', name: 'Wang', attributes: { plan: 'gold', orders: 3, vip: true } })).toEqual({
      id: 'u1',
      name: 'Wang',
      attributes: { plan: 'gold', orders: 3, vip: true },
    });
    expect(parseStore(Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])))).toBeNull();
  });

  it('lets only a #rrggbb colour into a style', () => {
    expect(safeColor('#2f6df6')).toBe('#2f6df6');
    for (const bad of ['red', '#fff', '#2f6df6;background:url(x)', 'expression(alert(1))', 42]) expect(safeColor(bad)).toBeNull();
  });
});
