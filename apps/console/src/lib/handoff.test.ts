import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import type { MessageKey, Translate } from '../i18n/i18n';
import { describeTrigger, formatWaiting, readableCode, slotText, waitedMs, waitingLevel } from './handoff';

const t: Translate = (key, params) => (en[key] as string).replace(/\{(\w+)\}/g, (_, n: string) => String(params?.[n] ?? `{${n}}`));
const has = (key: string): key is MessageKey => key in en;
const flow = { key: 'order_status', step: 'lookup', slots: { order_no: 'YD1' } };

describe('describeTrigger', () => {
  it('says in words why the bot handed off, as a sentence', () => {
    expect(describeTrigger({ trigger: 'customer_request', by: 'bot', flow: null }, t, has)).toEqual({
      text: 'The customer asked for a person',
      code: 'customer_request',
    });
    expect(describeTrigger({ trigger: 'negative_trend', by: 'bot', flow: null }, t, has).text).toBe('The customer stayed unhappy several messages in a row');
    // A trigger only the trace's reasons know still reads as a sentence.
    expect(describeTrigger({ trigger: 'no_candidates', by: 'bot', flow: null }, t, has).text).toBe('Nothing in the knowledge base matched');
  });

  it('names the flow and makes its own reason readable', () => {
    expect(describeTrigger({ trigger: 'order_system_unavailable', by: 'bot', flow }, t, has).text).toBe(
      'The flow “order_status” handed off: order system unavailable',
    );
  });

  it('keeps the words of an agent or an external system, saying who handed off', () => {
    expect(describeTrigger({ trigger: 'crm_vip', by: 'api', flow: null }, t, has).text).toBe('An external system handed off: crm vip');
    expect(describeTrigger({ trigger: 'VIP 客户，需要专员', by: 'agent', flow: null }, t, has)).toEqual({
      text: 'An agent handed off: VIP 客户，需要专员',
      code: 'VIP 客户，需要专员',
    });
  });
});

describe('readableCode', () => {
  it('turns codes into words and leaves prose alone', () => {
    expect(readableCode('backend_failed')).toBe('backend failed');
    expect(readableCode('flow.loop')).toBe('flow loop');
    expect(readableCode('escalated')).toBe('escalated');
    expect(readableCode('needs a refund_specialist now')).toBe('needs a refund_specialist now');
  });
});

describe('formatWaiting', () => {
  it('shows the two largest units, with seconds while under an hour so a live clock moves', () => {
    expect(formatWaiting(45_000, 'en')).toBe('45 sec');
    expect(formatWaiting(3 * 60_000 + 12_000, 'en')).toBe('3 min 12 sec');
    expect(formatWaiting(2 * 3_600_000 + 5 * 60_000 + 59_000, 'en')).toBe('2 hr 5 min');
    expect(formatWaiting(27 * 3_600_000, 'en')).toBe('1 day 3 hr');
  });

  it('speaks the console’s language and never goes negative', () => {
    expect(formatWaiting(3 * 60_000 + 5_000, 'zh-CN')).toBe('3分钟 5秒');
    expect(formatWaiting(-5_000, 'en')).toBe('0 sec');
    expect(formatWaiting(Number.NaN, 'en')).toBe('0 sec');
  });

  it('measures from the queue time and marks long waits', () => {
    const now = Date.parse('2026-11-21T10:05:00Z');
    expect(waitedMs('2026-11-21T10:00:00Z', now)).toBe(300_000);
    expect(waitedMs(null, now)).toBeNull();
    expect(waitedMs('not a date', now)).toBeNull();
    expect([waitingLevel(60_000), waitingLevel(300_000), waitingLevel(900_000)]).toEqual(['ok', 'warn', 'late']);
  });
});

describe('slotText', () => {
  it('shows what a flow collected as short text', () => {
    expect(slotText('YD2026111800456')).toBe('YD2026111800456');
    expect(slotText(3)).toBe('3');
    expect(slotText(null)).toBe('—');
    expect(slotText({ city: '上海' })).toBe('{"city":"上海"}');
    expect(slotText('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
