import { describe, expect, it } from 'vitest';
import { checkSettingsForm, formFromSettings, patchFromSettingsForm, settingsErrorPath } from './settings-form';

const effective = {
  greeting: { en: 'Hi there' },
  answerThreshold: 0.35,
  intentThreshold: 0.7,
  angerThreshold: 0.6,
  fallbackStreakHandoff: 2,
  negativeStreakHandoff: 3,
  llmSentiment: true,
  handoffOnRegulatorThreat: true,
  clarify: true,
  timeZone: 'Asia/Shanghai',
  assistant: { answers: 'auto', persona: '', instructions: '', tools: true, rewriteQueries: true, summaries: true },
  guardrails: { redactPii: true, forbiddenWords: ['保证'], forbidPromises: true, refundLimit: null },
};

describe('settings form', () => {
  const base = formFromSettings({ effective });

  it('starts from what the bot uses', () => {
    expect(base).toMatchObject({ answers: 'auto', fallbackStreakHandoff: '2', refundLimitOn: false, forbiddenWords: ['保证'], timeZone: 'Asia/Shanghai' });
    expect(base.greeting).toEqual({ 'zh-CN': '', 'zh-TW': '', en: 'Hi there' });
  });

  it('sends only what changed, merged objects with only their changed keys', () => {
    expect(patchFromSettingsForm(base, base)).toEqual({});
    const f = { ...base, persona: '  小云，活泼的客服  ', forbiddenWords: ['保证', '竞品'], angerThreshold: 0.8, negativeStreakHandoff: '0' };
    expect(patchFromSettingsForm(f, base)).toEqual({
      assistant: { persona: '小云，活泼的客服' },
      guardrails: { forbiddenWords: ['保证', '竞品'] },
      angerThreshold: 0.8,
      negativeStreakHandoff: 0,
    });
  });

  it('sets and clears the refund limit, and resets the greeting when every language is empty', () => {
    const on = { ...base, refundLimitOn: true, refundMax: '200', refundCurrency: 'CNY' };
    expect(patchFromSettingsForm(on, base).guardrails).toEqual({ refundLimit: { maxAmount: 200, currency: 'CNY' } });
    expect(patchFromSettingsForm({ ...on, refundLimitOn: false }, on).guardrails).toEqual({ refundLimit: null });
    expect(patchFromSettingsForm({ ...base, greeting: { 'zh-CN': '', 'zh-TW': '', en: ' ' } }, base).greeting).toBeNull();
    expect(patchFromSettingsForm({ ...base, greeting: { ...base.greeting, 'zh-CN': '您好' } }, base).greeting).toEqual({ 'zh-CN': '您好', en: 'Hi there' });
  });

  it('refuses what the server would, by path', () => {
    const f = { ...base, fallbackStreakHandoff: '21', refundLimitOn: true, refundMax: '', timeZone: 'Mars/Olympus', persona: 'x'.repeat(2001) };
    expect(Object.fromEntries(checkSettingsForm(f, (tz) => tz === 'Asia/Shanghai'))).toEqual({
      'assistant.persona': 'tooLong',
      fallbackStreakHandoff: 'streak',
      'guardrails.refundLimit.maxAmount': 'required',
      timeZone: 'timeZone',
    });
    expect(checkSettingsForm(base).size).toBe(0);
  });

  it('places server field errors on the form', () => {
    expect(settingsErrorPath('body.guardrails.forbiddenWords.3')).toBe('guardrails.forbiddenWords');
    expect(settingsErrorPath('body.assistant.persona')).toBe('assistant.persona');
    expect(settingsErrorPath('body.guardrails.refundLimit')).toBe('guardrails.refundLimit.maxAmount');
    expect(settingsErrorPath('body')).toBe('');
  });
});
