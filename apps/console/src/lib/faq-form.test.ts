import type { FaqEntry } from '@kefu/protocol';
import { describe, expect, it } from 'vitest';
import { bodyFromForm, checkForm, emptyForm, fieldErrorsByPath, formFromEntry, formSignature, isoToLocalInput, localInputToIso, newVariant } from './faq-form';

const entry: FaqEntry = {
  id: 'e1',
  externalId: null,
  question: '运费多少钱？',
  similar: ['邮费怎么算'],
  answer: '满 99 元包邮。',
  category: 'shipping',
  language: 'zh-CN',
  status: 'published',
  tags: ['运费'],
  variants: [{ channel: 'web', answer: '网页版答案' }],
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil: null,
  audience: 'public',
  version: 3,
  updatedBy: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('FAQ form', () => {
  it('sends back the whole entry unchanged when nothing was edited', () => {
    const body = bodyFromForm(formFromEntry(entry), 'edit');
    expect(body).toEqual({
      externalId: null,
      question: entry.question,
      similar: entry.similar,
      answer: entry.answer,
      category: 'shipping',
      language: 'zh-CN',
      status: 'published',
      tags: ['运费'],
      variants: [{ channel: 'web', answer: '网页版答案' }],
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: null,
      audience: 'public',
    });
  });

  it('drops blank and repeated similar questions and tags, and trims', () => {
    const f = { ...emptyForm(), question: '  问题 ', answer: '答', similar: ['a', ' ', 'a ', 'b'], tags: ['x', 'x'] };
    const body = bodyFromForm(f, 'create');
    expect(body).toMatchObject({ question: '问题', similar: ['a', 'b'], tags: ['x'] });
    expect('language' in body).toBe(false); // the server detects it on create
    expect(bodyFromForm(f, 'edit').language).toBeNull();
  });

  it('treats whitespace-only edits as no change', () => {
    const f = formFromEntry(entry);
    expect(formSignature({ ...f, question: `${f.question}  ` })).toBe(formSignature(f));
    expect(formSignature({ ...f, answer: `${f.answer}!` })).not.toBe(formSignature(f));
  });

  it('converts datetime-local values to instants and back', () => {
    const local = isoToLocalInput('2026-03-05T08:30:00.000Z');
    expect(local).toMatch(/^2026-03-0\dT\d\d:\d\d$/);
    expect(localInputToIso(local)).toBe('2026-03-05T08:30:00.000Z');
    expect(localInputToIso('')).toBeNull();
  });

  it('finds what it can say in the reader’s language before saving', () => {
    const f = { ...emptyForm(), validFrom: '2026-05-01T10:00', validUntil: '2026-04-01T10:00', variants: [newVariant()] };
    expect(Object.fromEntries(checkForm(f))).toEqual({
      question: 'required',
      answer: 'required',
      validUntil: 'windowOrder',
      'variants.0': 'variantTarget',
      'variants.0.answer': 'required',
    });
  });

  it('files server field errors under their path in the body', () => {
    const m = fieldErrorsByPath([
      { field: 'body.similar.1', code: 'too_small', message: 'must not be empty' },
      { field: 'body.externalId', code: 'FAQ_EXTERNAL_ID_TAKEN', message: 'taken' },
    ]);
    expect([...m.keys()]).toEqual(['similar.1', 'externalId']);
  });
});
