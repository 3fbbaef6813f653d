import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { extractEntities } from '../nlu/extract-entities.js';
import { findPii, isValidHongKongId, isValidTaiwanId, PiiVault, redactPii } from './redact-pii.js';

const ORDER = { orderPatterns: [{ name: 'order', pattern: 'YD\\d{13}' }] };
const digitsOf = (s: string) => s.replace(/\D/g, '');

/** Personal data in several spellings, each with the digits that must not survive. */
const PHONES = [
  '+86 138 1234 5678',
  '13812345678',
  '138-1234-5678',
  '138 1234 5678',
  '138.1234.5678',
  '+86-138-1234-5678',
  '0086 138 1234 5678',
  '(+86) 13812345678',
  '１３８１２３４５６７８',
  '0755-12345678',
  '(0755) 8888 6666',
  '010-12345678',
  '+852 2345 6789',
  '0912-345-678',
  '+886 912 345 678',
  '+1 (415) 555-2671',
  '+14155552671',
  '+447911123456',
];

describe('redactPii', () => {
  it.each(PHONES)('leaves no trace of the phone number %s', (phone) => {
    const text = `我的电话是 ${phone}，请回电`;
    const { text: redacted, vault } = redactPii(text);
    expect(redacted).toBe('我的电话是 ⟦PHONE_1⟧，请回电');
    expect(vault.restore(redacted)).toBe(text);
  });

  it('redacts mainland, Taiwan and Hong Kong identity numbers', () => {
    const text = '身份证 11010519491231002X，台灣身分證 A123456789，香港身份證 A123456(3)';
    const { text: redacted, vault } = redactPii(text);
    expect(redacted).toBe('身份证 ⟦ID_CARD_1⟧，台灣身分證 ⟦ID_CARD_2⟧，香港身份證 ⟦ID_CARD_3⟧');
    expect(vault.restore(redacted)).toBe(text);
  });

  it('leaves invalid identity numbers alone (they are not IDs)', () => {
    expect(redactPii('编号 110105194912310021').text).toBe('编号 110105194912310021');
    expect(redactPii('code A123456780').text).toBe('code A123456780');
  });

  it('redacts bank cards, grouped or not', () => {
    for (const card of ['4111 1111 1111 1111', '4111111111111111', '5555-5555-5555-4444', '6228 4800 1234 5671', '6222021234567890128']) {
      const text = `卡号 ${card} 谢谢`;
      const { text: redacted, vault } = redactPii(text);
      expect(redacted).toBe('卡号 ⟦BANK_CARD_1⟧ 谢谢');
      expect(redacted).not.toContain(digitsOf(card).slice(-4));
      expect(vault.restore(redacted)).toBe(text);
    }
  });

  it('redacts e-mail addresses, also spelled out', () => {
    const text = 'Mail Zhang.San@Example.COM or zhang [at] example [dot] com or li(at)shop.cn or wang at gmail dot com';
    const { text: redacted, vault } = redactPii(text);
    expect(redacted).toBe('Mail ⟦EMAIL_1⟧ or ⟦EMAIL_2⟧ or ⟦EMAIL_3⟧ or ⟦EMAIL_4⟧');
    expect(vault.restore(redacted)).toBe(text);
    expect(redactPii('please look at example.com').text).toBe('please look at example.com');
  });

  it('redacts passport numbers after a cue word', () => {
    expect(redactPii('护照号码 E12345678').text).toBe('护照号码 ⟦PASSPORT_1⟧');
    expect(redactPii('Passport no. G1234567, thanks').text).toBe('Passport no. ⟦PASSPORT_1⟧, thanks');
    expect(redactPii('型号 E12345678').text).toBe('型号 E12345678');
  });

  it('keeps amounts, dates, order numbers and lookups the bot needs to answer', () => {
    const text = '订单 YD1234567890123 在 2024-01-15 付了 ¥1,299.50，明天下午3点前能退吗？电话 13812345678';
    const { text: redacted } = redactPii(text, undefined, { entityConfig: ORDER });
    expect(redacted).toBe('订单 YD1234567890123 在 2024-01-15 付了 ¥1,299.50，明天下午3点前能退吗？电话 ⟦PHONE_1⟧');
  });

  it("does not take a workspace's order number for a phone number", () => {
    const config = { orderPatterns: [{ name: 'order', pattern: 'SO-\\d{11}' }] };
    expect(redactPii('订单 SO-13812345678', undefined, { entityConfig: config }).text).toBe('订单 SO-13812345678');
    expect(redactPii('订单 SO-13812345678').text).toBe('订单 SO-⟦PHONE_1⟧');
  });

  it('gives the same value the same placeholder across messages, whatever its spelling', () => {
    const vault = new PiiVault();
    const first = vault.redact('我的手机 13812345678，邮箱 a@b.com');
    const second = vault.redact('再说一遍：+86 138 1234 5678，另一个号码 13900001111，邮箱 A@B.COM');
    expect(first).toBe('我的手机 ⟦PHONE_1⟧，邮箱 ⟦EMAIL_1⟧');
    expect(second).toBe('再说一遍：⟦PHONE_1⟧，另一个号码 ⟦PHONE_2⟧，邮箱 ⟦EMAIL_1⟧');
    expect(vault.size).toBe(3);
    // A value written two ways restores to the spelling seen first.
    expect(vault.restore(second)).toBe('再说一遍：13812345678，另一个号码 13900001111，邮箱 a@b.com');
  });

  it('uses the vault it is given and returns it', () => {
    const vault = new PiiVault();
    const r = redactPii('13812345678', vault);
    expect(r.vault).toBe(vault);
    expect(redactPii('no personal data here').vault.size).toBe(0);
  });

  it('accepts entities the caller already extracted and still scans past them', () => {
    const short = '电话 13812345678';
    expect(redactPii(short, undefined, { entities: extractEntities(short) }).text).toBe('电话 ⟦PHONE_1⟧');
    const long = `${'这是一段很长的描述。'.repeat(800)}电话 13900001111`;
    expect(long.length).toBeGreaterThan(8000);
    expect(redactPii(long, undefined, { entities: extractEntities(long) }).text.endsWith('电话 ⟦PHONE_1⟧')).toBe(true);
  });

  it('finds personal data anywhere in a 100 KB text, including across window edges', () => {
    const filler = 'x'.repeat(3990);
    const text = `${filler} 13812345678 ${'我想查询一下订单。'.repeat(11_000)} a@b.com`;
    expect(text.length).toBeGreaterThan(100_000);
    const { text: redacted, vault } = redactPii(text);
    expect(redacted).toContain(`${filler} ⟦PHONE_1⟧ `);
    expect(redacted.endsWith(' ⟦EMAIL_1⟧')).toBe(true);
    expect(redacted).not.toContain('13812345678');
    expect(vault.restore(redacted)).toBe(text);
  });

  it('does not throw on empty strings or malformed Unicode', () => {
    expect(redactPii('').text).toBe('');
    const broken = '\ud800电话 13812345678\udc00 \udfff';
    const { text: redacted, vault } = redactPii(broken);
    expect(redacted).toBe('\ud800电话 ⟦PHONE_1⟧\udc00 \udfff');
    expect(vault.restore(redacted)).toBe(broken);
    expect(() => redactPii('\ud800'.repeat(100_000))).not.toThrow();
  });
});

describe('PiiVault.restore', () => {
  const vault = new PiiVault();
  vault.redact('电话 13812345678，邮箱 a@b.com，卡号 4111 1111 1111 1111，身份证 11010519491231002X');

  it('restores placeholders the model echoed with other brackets, case or spacing', () => {
    expect(vault.restore('call ⟦PHONE_1⟧')).toBe('call 13812345678');
    expect(vault.restore('call [PHONE_1] or [[PHONE_1]] or 【PHONE_1】 or 〚PHONE_1〛')).toBe('call 13812345678 or 13812345678 or 13812345678 or 13812345678');
    expect(vault.restore('call ⟦ phone 1 ⟧ or ⟦Phone-1⟧ or PHONE_1.')).toBe('call 13812345678 or 13812345678 or 13812345678.');
    expect(vault.restore('mail ⟦EMAIL_1⟧, card [BANK CARD 1], id ⟦id_card_1⟧')).toBe('mail a@b.com, card 4111 1111 1111 1111, id 11010519491231002X');
  });

  it('leaves unknown placeholders and ordinary words alone', () => {
    expect(vault.restore('⟦PHONE_9⟧ and ⟦EMAIL_2⟧')).toBe('⟦PHONE_9⟧ and ⟦EMAIL_2⟧');
    expect(vault.restore('the phone_1 model, my PHONE_12 case, MYPHONE_1')).toBe('the phone_1 model, my PHONE_12 case, MYPHONE_1');
    expect(new PiiVault().restore('⟦PHONE_1⟧')).toBe('⟦PHONE_1⟧');
  });

  it('tells whether a text still holds placeholders', () => {
    expect(vault.hasPlaceholders('稍后联系 ⟦PHONE_1⟧')).toBe(true);
    expect(vault.hasPlaceholders('稍后联系您')).toBe(false);
  });
});

describe('PiiVault.restoreDeep', () => {
  it('restores real values inside nested tool-call arguments without touching the input', () => {
    const vault = new PiiVault();
    vault.redact('手机 13812345678 邮箱 a@b.com');
    const args = {
      contact: { phone: '⟦PHONE_1⟧', emails: ['⟦EMAIL_1⟧', 'x@other'] },
      note: '请拨打 [PHONE_1]',
      amount: 199,
      urgent: true,
      none: null,
      missing: undefined,
      when: new Date(0),
    };
    const restored = vault.restoreDeep(args);
    expect(restored).toEqual({
      contact: { phone: '13812345678', emails: ['a@b.com', 'x@other'] },
      note: '请拨打 13812345678',
      amount: 199,
      urgent: true,
      none: null,
      missing: undefined,
      when: new Date(0),
    });
    expect(args.contact.phone).toBe('⟦PHONE_1⟧');
    expect(restored.when).toBe(args.when);
    expect(vault.restoreDeep('⟦PHONE_1⟧')).toBe('13812345678');
    expect(vault.restoreDeep(42)).toBe(42);
  });

  it('copes with cycles', () => {
    const vault = new PiiVault();
    vault.redact('13812345678');
    const a: Record<string, unknown> = { phone: '⟦PHONE_1⟧' };
    a.self = a;
    const r = vault.restoreDeep(a) as Record<string, unknown>;
    expect(r.phone).toBe('13812345678');
    expect(r.self).toBe(r);
  });
});

describe('PiiVault never shows the values', () => {
  const vault = new PiiVault();
  vault.redact('电话 13812345678 邮箱 secret@example.com');

  it('lists placeholders and kinds only', () => {
    expect(vault.entries()).toEqual([
      { placeholder: '⟦PHONE_1⟧', kind: 'phone' },
      { placeholder: '⟦EMAIL_1⟧', kind: 'email' },
    ]);
  });

  it('serialises and prints without originals', () => {
    for (const shown of [
      JSON.stringify(vault),
      JSON.stringify({ vault }),
      inspect(vault),
      inspect({ vault }, { depth: 5, showHidden: true }),
      String(Object.keys(vault)),
    ]) {
      expect(shown).not.toContain('13812345678');
      expect(shown).not.toContain('secret@example.com');
    }
  });
});

describe('findPii', () => {
  it('reports kinds and spans, merging overlapping finds', () => {
    expect(findPii('tel 0086 138 1234 5678, mail a@b.com')).toEqual([
      { kind: 'phone', start: 4, end: 22, text: '0086 138 1234 5678' },
      { kind: 'email', start: 29, end: 36, text: 'a@b.com' },
    ]);
    expect(findPii('')).toEqual([]);
  });
});

describe('identity number checks', () => {
  it('validates Taiwan and Hong Kong identity numbers', () => {
    expect(isValidTaiwanId('A123456789')).toBe(true);
    expect(isValidTaiwanId('A123456788')).toBe(false);
    expect(isValidHongKongId('A123456', '3')).toBe(true);
    expect(isValidHongKongId('A123456', '4')).toBe(false);
  });
});
