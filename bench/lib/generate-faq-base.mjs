// A large synthetic FAQ base for load tests. Real knowledge bases of this size are mostly the same few
// hundred topics repeated per product, model or plan, so each entry is a real FAQ (demo shop or
// faq_bank_zh) rewritten for one product with its own code and facts. Common words then have postings
// lists thousands long, topic words tens to hundreds, and codes one to a few — as in production.

/** Deterministic PRNG (mulberry32) so every run indexes the same base. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SHOP_SERIES_ZH = ['云朵', '星河', '青禾', '极光', '小鹿', '木棉', '远山', '晨曦', '松果', '海盐', '白桦', '橘子'];
const SHOP_SERIES_EN = ['Cloud', 'Galaxy', 'Meadow', 'Aurora', 'Fawn', 'Kapok', 'Ridge', 'Dawn', 'Pine', 'Sea Salt', 'Birch', 'Tangerine'];
const SHOP_NOUNS = [
  ['扫地机器人', 'robot vacuum'],
  ['空气炸锅', 'air fryer'],
  ['蓝牙耳机', 'Bluetooth earbuds'],
  ['羽绒服', 'down jacket'],
  ['电动牙刷', 'electric toothbrush'],
  ['智能手表', 'smartwatch'],
  ['洗碗机', 'dishwasher'],
  ['行李箱', 'suitcase'],
  ['护眼台灯', 'desk lamp'],
  ['净水器', 'water purifier'],
  ['笔记本电脑', 'laptop'],
  ['运动鞋', 'running shoes'],
  ['电饭煲', 'rice cooker'],
  ['投影仪', 'projector'],
  ['婴儿推车', 'stroller'],
  ['机械键盘', 'mechanical keyboard'],
];
const MODELS = ['', 'Pro', 'Max', 'Lite', 'S', 'X2', 'X3', 'Plus', 'Mini', 'Ultra'];
const BANK_NOUNS = [
  ['信用卡', 'credit card', 'HBC'],
  ['借记卡', 'debit card', 'HDC'],
  ['理财产品', 'wealth product', 'HW'],
  ['定期存款', 'time deposit', 'HCD'],
  ['消费贷', 'consumer loan', 'HL'],
  ['外币账户', 'FX account', 'HFX'],
];
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

const FACTS_ZH = [
  (c, r) => `型号${c}的保修期为${1 + Math.floor(r() * 3)}年，凭订单号即可申请。`,
  (c, r) => `${c}支持${[7, 15, 30][Math.floor(r() * 3)]}天价格保护，降价后可在「我的 > 订单 > 价保」申请差价。`,
  (c, r) => `${c}目前库存${Math.floor(r() * 900) + 100}件，下单后${1 + Math.floor(r() * 3)}个工作日内发出。`,
  (c, r) => `${c}的年费为${[0, 99, 300, 600][Math.floor(r() * 4)]}元，每年消费满${3 + Math.floor(r() * 10)}笔可免次年年费。`,
  (c, r) => `产品代码${c}起购金额${[1, 5, 10, 50][Math.floor(r() * 4)]}万元，业绩比较基准${(2 + r() * 2).toFixed(2)}%。`,
];
const FACTS_EN = [
  (c, r) => `Model ${c} has a ${1 + Math.floor(r() * 3)}-year warranty; you only need the order number.`,
  (c, r) => `${c} has ${[7, 15, 30][Math.floor(r() * 3)]}-day price protection under "Me > Orders > Price Protection".`,
  (c, r) => `${c} ships within ${1 + Math.floor(r() * 3)} business days; ${Math.floor(r() * 900) + 100} units are in stock.`,
  (c, r) => `The annual fee for ${c} is CNY ${[0, 99, 300, 600][Math.floor(r() * 4)]}, waived after ${3 + Math.floor(r() * 10)} purchases a year.`,
];

const pick = (r, xs) => xs[Math.floor(r() * xs.length)];
const isEnglish = (faq) => faq.language === 'en' || !/\p{Script=Han}/u.test(faq.question);

function makeProduct(r, kind, i) {
  if (kind === 'bank') {
    const [zh, en, prefix] = pick(r, BANK_NOUNS);
    const code =
      prefix === 'HW' || prefix === 'HCD'
        ? `${prefix}${2024 + (i % 4)}${LETTERS[i % LETTERS.length]}${i % 97}`
        : `${prefix}-${pick(r, [...LETTERS])}${pick(r, [...LETTERS])}${pick(r, [...LETTERS])}${i % 89}`;
    return { zh: `港湾${zh}`, en: `Harbor ${en}`, code };
  }
  const s = Math.floor(r() * SHOP_SERIES_ZH.length);
  const [zh, en] = pick(r, SHOP_NOUNS);
  const model = pick(r, MODELS);
  const code = `${LETTERS[Math.floor(r() * LETTERS.length)]}${LETTERS[Math.floor(r() * LETTERS.length)]}-${1000 + Math.floor(r() * 9000)}`;
  return { zh: `${SHOP_SERIES_ZH[s]}${model}${zh}`, en: `${SHOP_SERIES_EN[s]} ${model ? `${model} ` : ''}${en}`, code };
}

function mentionZh(r, p, q) {
  switch (Math.floor(r() * 4)) {
    case 0:
      return `${p.zh}（型号${p.code}）${q}`;
    case 1:
      return `关于${p.zh}${p.code}，${q}`;
    case 2:
      return `${p.code} ${q}`;
    default:
      return `${p.zh}${q}`;
  }
}

function mentionEn(r, p, q) {
  switch (Math.floor(r() * 3)) {
    case 0:
      return `${q.replace(/[?？]\s*$/, '')} (${p.en}, model ${p.code})?`;
    case 1:
      return `${p.en} ${p.code}: ${q}`;
    default:
      return `${p.code} — ${q}`;
  }
}

/**
 * `count` entries in the importFaq JSONL shape, three similar questions each, from `bases` (FAQ
 * objects with question, similar, answer, category, language?) tagged with `kind` ('shop' | 'bank').
 * Also returns `queries`: product-specific customer messages for load generation.
 */
export function generateFaqBase(bases, count, seed = 20261121) {
  const r = seededRandom(seed);
  const entries = [];
  const queries = [];
  // About four entries per product: a product's warranty, shipping, return … questions.
  const products = Array.from({ length: Math.ceil(count / 4) }, (_, i) => ({ shop: makeProduct(r, 'shop', i), bank: makeProduct(r, 'bank', i) }));
  for (let i = 0; i < count; i++) {
    const base = bases[Math.floor(r() * bases.length)];
    const product = products[Math.floor(r() * products.length)][base.kind];
    const en = isEnglish(base);
    const mention = en ? mentionEn : mentionZh;
    const variants = [base.question, ...(base.similar ?? [])];
    // A variant from another base of the same category mixes topic vocabulary between entries.
    const cousin = bases[Math.floor(r() * bases.length)];
    const cousinVariant = cousin.category === base.category && isEnglish(cousin) === en ? pick(r, [cousin.question, ...(cousin.similar ?? [])]) : null;
    const shuffled = variants.slice(1).sort(() => r() - 0.5);
    const similar = [
      mention(r, product, shuffled[0] ?? base.question),
      shuffled[1] ?? mention(r, product, base.question),
      mention(r, product, cousinVariant ?? shuffled[2] ?? base.question),
    ];
    const fact = pick(r, en ? FACTS_EN : FACTS_ZH)(product.code, r);
    entries.push({
      id: `gen-${String(i).padStart(5, '0')}`,
      question: mention(r, product, base.question),
      similar,
      answer: en ? `${product.en} (${product.code}): ${base.answer} ${fact}` : `${product.zh}（${product.code}）：${base.answer}${fact}`,
      category: base.category ?? null,
      language: en ? 'en' : 'zh-CN',
    });
    if (queries.length < 200 && r() < 0.05) {
      const q = pick(r, variants);
      queries.push(en ? `${product.code} ${q.toLowerCase()}` : `${product.code}${q.replace(/[？?。]$/, '')}怎么弄`);
    }
  }
  return { entries, queries };
}
