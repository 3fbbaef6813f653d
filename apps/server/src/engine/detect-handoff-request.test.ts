import { describe, expect, it } from 'vitest';
import { foldForAnalysis, normalizeText } from '../text/normalize-text.js';
import { detectHandoffRequest } from './detect-handoff-request.js';

const requested = (text: string) => detectHandoffRequest(foldForAnalysis(normalizeText(text))).requested;

describe('detectHandoffRequest', () => {
  it.each([
    '转人工',
    '人工客服',
    '找真人',
    '我要人工',
    '轉人工',
    '人工服務',
    '我想找真人客服',
    '不要机器人',
    '幫我轉接真人',
    'agent',
    'Human please',
    'I want to talk to a real person',
    'Can I speak with an agent?',
    'connect me to a human',
    'live agent',
  ])('treats "%s" as a request for a person', (text) => expect(requested(text)).toBe(true));

  it.each(['运费多少钱', '人工智能是什么', 'How do I become a travel agent affiliate?', 'what is the refund policy', '真好'])(
    'does not treat "%s" as one',
    (text) => expect(requested(text)).toBe(false),
  );
});
