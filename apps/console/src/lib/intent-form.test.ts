import type { Intent } from '@kefu/protocol';
import { describe, expect, it } from 'vitest';
import { bodyFromIntentForm, checkIntentForm, emptyIntentForm, formFromIntent, intentFormSignature } from './intent-form';

const intent: Intent = {
  id: 'i1',
  name: 'order_status',
  description: '查询物流',
  examples: ['我的快递到哪了', 'where is my order'],
  action: { kind: 'faq', faqId: 'f1' },
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
};

describe('intent form', () => {
  it('sends back the intent unchanged when nothing was edited', () => {
    expect(bodyFromIntentForm(formFromIntent(intent))).toEqual({
      name: 'order_status',
      description: '查询物流',
      examples: ['我的快递到哪了', 'where is my order'],
      action: { kind: 'faq', faqId: 'f1' },
    });
  });

  it('keeps each action field while switching, and sends only the chosen one', () => {
    const f = { ...formFromIntent(intent), action: 'tag' as const, tag: ' 物流 ' };
    expect(bodyFromIntentForm(f).action).toEqual({ kind: 'tag', tag: '物流' });
    expect(bodyFromIntentForm({ ...f, action: 'faq' }).action).toEqual({ kind: 'faq', faqId: 'f1' });
    expect(bodyFromIntentForm({ ...f, action: 'handoff' }).action).toEqual({ kind: 'handoff' });
    expect(bodyFromIntentForm({ ...f, action: 'none' }).action).toBeNull();
  });

  it('never gives the out-of-scope intent an action', () => {
    expect(bodyFromIntentForm({ ...emptyIntentForm(), name: 'oos', action: 'handoff' }).action).toBeNull();
    expect(checkIntentForm({ ...emptyIntentForm(), name: 'oos', action: 'faq' }).size).toBe(0);
  });

  it('checks the fields the server checks', () => {
    expect([...checkIntentForm(emptyIntentForm())]).toEqual([['name', 'required']]);
    const bad = { ...emptyIntentForm(), name: 'order status', examples: `ok\n${'x'.repeat(501)}`, action: 'faq' as const };
    expect(Object.fromEntries(checkIntentForm(bad))).toEqual({ name: 'pattern', examples: 'exampleTooLong', 'action.faqId': 'faqRequired' });
    expect(Object.fromEntries(checkIntentForm({ ...emptyIntentForm(), name: 'a', action: 'tag', tag: '  ' }))).toEqual({ 'action.tag': 'tagRequired' });
    expect(Object.fromEntries(checkIntentForm({ ...emptyIntentForm(), name: 'a', description: 'd'.repeat(501) }))).toEqual({
      description: 'descriptionTooLong',
    });
    expect(checkIntentForm({ ...emptyIntentForm(), name: '查询订单' }).size).toBe(0);
  });

  it('sees no change in blank lines, spaces or a repeated example', () => {
    const f = formFromIntent(intent);
    expect(intentFormSignature({ ...f, examples: `${f.examples}\n\n  where is my order \n` })).toBe(intentFormSignature(f));
    expect(intentFormSignature({ ...f, examples: `${f.examples}\n新的例句` })).not.toBe(intentFormSignature(f));
  });
});
