import { describe, expect, it } from 'vitest';
import { checkWidgetForm, contrastWithWhite, patchFromWidgetForm, textFor, widgetErrorPath, widgetFormFromSettings } from './widget-form';

describe('widget form', () => {
  const base = widgetFormFromSettings({});

  it('starts from the defaults the widget uses when nothing is stored', () => {
    expect(base).toMatchObject({ color: '#2f6df6', position: 'right', logoUrl: '', preChatEnabled: false, proactiveEnabled: false, delaySeconds: '10' });
    expect(base.fields).toEqual({ name: 'optional', email: 'required', phone: 'off' });
    expect(base.csatEnabled).toBe(true);
    expect(base.csatQuestion).toEqual({ 'zh-CN': '', 'zh-TW': '', en: '' });
  });

  it('reads stored fields as asked, required or not asked', () => {
    const f = widgetFormFromSettings({
      widget: { preChat: { enabled: true, fields: [{ key: 'phone', required: true }] }, theme: { color: '#0A7D4F', position: 'left' } },
      csat: { enabled: false },
    });
    expect(f.fields).toEqual({ name: 'off', email: 'off', phone: 'required' });
    expect(f).toMatchObject({ color: '#0a7d4f', position: 'left', preChatEnabled: true, csatEnabled: false });
  });

  it('sends nothing when nothing changed, and a changed part whole (the server replaces it)', () => {
    expect(patchFromWidgetForm(base, base)).toEqual({});
    expect(patchFromWidgetForm({ ...base, position: 'left' }, base)).toEqual({ widget: { theme: { color: '#2f6df6', position: 'left', logoUrl: null } } });
    const f = {
      ...base,
      preChatEnabled: true,
      fields: { name: 'off', email: 'required', phone: 'optional' } as const,
      preChatIntro: { 'zh-CN': '  留下邮箱  ', 'zh-TW': '', en: '' },
      csatQuestion: { 'zh-CN': '', 'zh-TW': '', en: 'How did we do?' },
    };
    expect(patchFromWidgetForm(f, base)).toEqual({
      widget: {
        preChat: {
          enabled: true,
          fields: [
            { key: 'email', required: true },
            { key: 'phone', required: false },
          ],
          intro: { 'zh-CN': '留下邮箱' },
        },
      },
      csat: { enabled: true, question: { en: 'How did we do?' } },
    });
  });

  it('keeps the stored fields when the form is switched off with none chosen', () => {
    const on = widgetFormFromSettings({ widget: { preChat: { enabled: true } } });
    const off = { ...on, preChatEnabled: false, fields: { name: 'off', email: 'off', phone: 'off' } as const };
    expect(checkWidgetForm(off).size).toBe(0);
    expect(patchFromWidgetForm(off, on)).toEqual({ widget: { preChat: { enabled: false, intro: {} } } });
  });

  it('refuses what the server would refuse, by the server’s path', () => {
    const bad = {
      ...base,
      color: '#12345',
      logoUrl: 'ftp://example.com/logo.png',
      delaySeconds: '601',
      preChatEnabled: true,
      fields: { name: 'off', email: 'off', phone: 'off' } as const,
      csatQuestion: { 'zh-CN': 'x'.repeat(501), 'zh-TW': '', en: '' },
    };
    expect(Object.fromEntries(checkWidgetForm(bad))).toEqual({
      'widget.theme.color': 'color',
      'widget.theme.logoUrl': 'url',
      'widget.proactive.delaySeconds': 'delay',
      'widget.preChat.fields': 'noField',
      'csat.question.zh-CN': 'tooLong',
    });
    expect(checkWidgetForm({ ...base, color: 'red' }).get('widget.theme.color')).toBe('color');
    expect(checkWidgetForm({ ...base, delaySeconds: '' }).get('widget.proactive.delaySeconds')).toBe('delay');
    expect(checkWidgetForm({ ...base, logoUrl: 'https://cdn.example.com/logo.png', delaySeconds: '0' }).size).toBe(0);
  });

  it('asks for a message before a proactive greeting is switched on (without one the widget shows nothing)', () => {
    const on = { ...base, proactiveEnabled: true };
    expect(checkWidgetForm(on).get('widget.proactive.message')).toBe('noMessage');
    expect(checkWidgetForm({ ...on, proactiveMessage: { 'zh-CN': '', 'zh-TW': '', en: 'Need help?' } }).size).toBe(0);
  });

  it('places server errors on their field', () => {
    expect(widgetErrorPath('body.widget.theme.color')).toBe('widget.theme.color');
    expect(widgetErrorPath('body.widget.preChat.fields.1.key')).toBe('widget.preChat.fields');
    expect(widgetErrorPath('body.csat.question.en')).toBe('csat.question.en');
  });

  it('warns about colours white text cannot be read on', () => {
    expect(contrastWithWhite('#ffffff')).toBeCloseTo(1, 5);
    expect(contrastWithWhite('#000000')).toBeCloseTo(21, 5);
    expect(contrastWithWhite('#2f6df6')).toBeGreaterThan(4.5);
    expect(contrastWithWhite('#ffd400')).toBeLessThan(3);
  });

  it('picks the greeting text the widget would show in a language', () => {
    const t = { 'zh-CN': '需要帮忙吗？', 'zh-TW': '', en: 'Need help?' };
    expect(textFor(t, 'en')).toBe('Need help?');
    expect(textFor(t, 'zh-TW')).toBe('需要帮忙吗？');
    expect(textFor({ 'zh-CN': '', 'zh-TW': '', en: 'Hi' }, 'zh-CN')).toBe('Hi');
  });
});
