#!/usr/bin/env node
// FAQ retrieval quality and speed: kefu's Bm25KnowledgeIndex (the built server) against MiniSearch and
// FlexSearch with jieba tokens and Orama with character bigrams, side by side on the same data in the
// same process. Data sets are read from ../shared/data (never copied into the repository) and from
// examples/demo-shop. Usage: node bench/retrieval.mjs [--only faq_bank_zh,demo] [--no-peers] [--no-scale] [--split]
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureServerBuilt, ROOT } from './lib/ensure-server-built.mjs';
import { readJsonl } from './lib/read-jsonl.mjs';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    'no-peers': { type: 'boolean', default: false },
    'no-scale': { type: 'boolean', default: false },
    split: { type: 'boolean', default: false },
    chunks: { type: 'string' },
  },
});
const DATA = join(ROOT, '..', 'shared', 'data');

ensureServerBuilt();
const { Bm25KnowledgeIndex } = await import(pathToFileURL(join(ROOT, 'apps/server/dist/adapters/search/bm25-knowledge-index.js')).href);
const { DEFAULT_ANSWER_THRESHOLD } = await import(pathToFileURL(join(ROOT, 'apps/server/dist/engine/run-turn.js')).href);
const THRESHOLDS = [...new Set([0.2, 0.3, DEFAULT_ANSWER_THRESHOLD, 0.4, 0.5])].sort((a, b) => a - b);
const { Jieba } = await import('@node-rs/jieba');
const { dict } = await import('@node-rs/jieba/dict.js');

let peerLibs = null;
if (!args['no-peers']) {
  try {
    const [{ default: MiniSearch }, { default: FlexSearch }, orama] = await Promise.all([import('minisearch'), import('flexsearch'), import('@orama/orama')]);
    peerLibs = { MiniSearch, FlexSearch, orama };
  } catch {
    console.error('Peers missing. From the repository root: npm install -D minisearch flexsearch @orama/orama --no-audit --no-fund');
    process.exit(1);
  }
}

/** Out-of-domain messages for a shop or a bank: weather, chit-chat, trivia, other businesses. */
const OUT_OF_DOMAIN = [
  '今天北京天气怎么样',
  '明天上海会下雨吗',
  '给我讲个笑话吧',
  '推荐一部好看的科幻电影',
  '附近有什么好吃的火锅店',
  '帮我订一张明天去杭州的高铁票',
  '红烧肉怎么做才好吃',
  '上一届世界杯冠军是谁',
  '帮我写一首关于秋天的诗',
  '猫为什么喜欢晒太阳',
  '家里的绿萝叶子发黄怎么办',
  '感冒了吃什么药好得快',
  '星巴克几点开门',
  '周杰伦最新的歌叫什么',
  '宇宙到底有多大',
  '怎么考驾照，科目二难不难',
  "What's the weather like in London tomorrow?",
  'Tell me a joke',
  'Who won the Super Bowl last year?',
  'How do I bake sourdough bread at home?',
  'Can you recommend a good sci-fi movie?',
  'What is the capital of Australia?',
  'Book me a table at an Italian restaurant tonight',
  'How tall is Mount Everest?',
  'Help me with my algebra homework',
  'How do I fix a flat bicycle tire?',
  'Translate good morning into French',
  'What time does the Apple store close on Sunday?',
  'How do I cancel my Netflix subscription?',
  'Is it going to snow this weekend?',
];

// ── data sets ────────────────────────────────────────────────────────────────────────────────────
function loadSets() {
  const sets = [];
  const shared = (name, note) => {
    const dir = join(DATA, name);
    if (!existsSync(join(dir, 'faqs.jsonl'))) {
      console.error(`skipping ${name}: ${dir} not found`);
      return;
    }
    sets.push({ name, note, faqs: readJsonl(join(dir, 'faqs.jsonl')), queries: readJsonl(join(dir, 'queries.jsonl')) });
  };
  shared('faq_bank_zh', 'zh (+en) bank FAQs with similar questions; tagged queries');
  sets.push({
    name: 'demo',
    note: 'examples/demo-shop faqs.jsonl + eval.jsonl (zh-CN, zh-TW, en)',
    faqs: readJsonl(join(ROOT, 'examples/demo-shop/faqs.jsonl')),
    queries: readJsonl(join(ROOT, 'examples/demo-shop/eval.jsonl')).map((q) => ({ ...q, tags: [q.language] })),
  });
  shared('stackfaq_en', 'en web-app FAQs (title + first answer), crowd rephrasings');
  shared('xquad_zh', 'zh passage retrieval: question → Wikipedia paragraph (question field empty)');
  shared('xquad_en', 'en passage retrieval: the parallel English set');
  const only = args.only?.split(',');
  return only ? sets.filter((s) => only.includes(s.name)) : sets;
}

// ── tokenisers for the peers ─────────────────────────────────────────────────────────────────────
const jieba = Jieba.withDict(dict);
const WORDISH = /[\p{L}\p{N}]/u;
/** NFKC, lower case, jieba cutForSearch (HMM on); punctuation and spaces dropped. No stemming, no script folding. */
const jiebaTokens = (text) => jieba.cutForSearch(text.normalize('NFKC').toLowerCase(), true).filter((t) => WORDISH.test(t));
/** Han runs as overlapping character bigrams (a lone character as itself), other letters/digits as words. */
function bigramTokens(text) {
  const out = new Set();
  for (const m of text
    .normalize('NFKC')
    .toLowerCase()
    .matchAll(/(\p{Script=Han}+)|([\p{L}\p{N}]+)/gu)) {
    if (m[1]) {
      const cs = [...m[1]];
      if (cs.length === 1) out.add(cs[0]);
      for (let i = 0; i + 1 < cs.length; i++) out.add(cs[i] + cs[i + 1]);
    } else out.add(m[2]);
  }
  return [...out];
}

const docText = (f) => ({ question: f.question ?? '', similar: (f.similar ?? []).join('\n'), answer: f.answer ?? '' });
const HAN = /\p{Script=Han}/u;

// ── systems: build(faqs) → search(query, k) → [{ id, confidence? }] ─────────────────────────────
const SYSTEMS = {
  kefu: {
    label: 'kefu Bm25KnowledgeIndex',
    build(faqs) {
      const index = new Bm25KnowledgeIndex();
      const now = new Date().toISOString();
      index.load(
        'ws',
        faqs.map((f, i) => ({
          id: `e${i}`,
          workspaceId: 'ws',
          externalId: f.id,
          question: f.question ?? '',
          similar: f.similar ?? [],
          answer: f.answer ?? '',
          category: f.category ?? null,
          language: f.language ?? (HAN.test(f.question || f.answer) ? 'zh-CN' : 'en'),
          status: 'published',
          createdAt: now,
          updatedAt: now,
        })),
      );
      return (query, k) => {
        const r = index.search('ws', query, k);
        return { ids: r.hits.map((h) => h.entry.externalId), confidence: r.confidence };
      };
    },
  },
  minisearch: {
    label: 'MiniSearch + jieba',
    peer: true,
    build(faqs) {
      const ms = new peerLibs.MiniSearch({ fields: ['question', 'similar', 'answer'], tokenize: jiebaTokens, processTerm: (t) => t });
      ms.addAll(faqs.map((f, i) => ({ id: i, ...docText(f) })));
      return (query, k) => ({
        ids: ms
          .search(query)
          .slice(0, k)
          .map((r) => faqs[r.id].id),
      });
    },
  },
  flexsearch: {
    label: 'FlexSearch + jieba',
    peer: true,
    build(faqs) {
      // One Index over question, similar questions and answer concatenated in that order: FlexSearch
      // ranks by term position, so question words count most. On faq_bank_zh this beat a Document
      // index with `merge: true` (38% top-1) and rank fusion of its per-field lists (49%). `suggest`
      // keeps partial matches; without it every query term must match.
      const index = new peerLibs.FlexSearch.Index({ encode: jiebaTokens, tokenize: 'strict' });
      for (const [i, f] of faqs.entries()) index.add(i, [f.question ?? '', ...(f.similar ?? []), f.answer ?? ''].join('\n'));
      return (query, k) => ({ ids: index.search(query, { limit: k, suggest: true }).map((i) => faqs[i].id) });
    },
  },
  orama: {
    label: 'Orama + bigrams',
    peer: true,
    build(faqs) {
      const { create, insertMultiple, search } = peerLibs.orama;
      const db = create({
        schema: { fid: 'string', question: 'string', similar: 'string', answer: 'string' },
        components: { tokenizer: { language: 'english', normalizationCache: new Map(), tokenize: (raw) => bigramTokens(raw) } },
      });
      insertMultiple(
        db,
        faqs.map((f) => ({ fid: f.id, ...docText(f) })),
      );
      return (query, k) => {
        const r = search(db, { term: query, limit: k, properties: ['question', 'similar', 'answer'] });
        if (typeof r?.then === 'function') throw new Error('Orama search returned a promise; this harness expects the synchronous build');
        return { ids: r.hits.map((h) => h.document.fid) };
      };
    },
  },
};

// ── evaluation ───────────────────────────────────────────────────────────────────────────────────
function evaluate(system, set) {
  let t0 = performance.now();
  const search = system.build(set.faqs);
  const buildMs = performance.now() - t0;
  // Warm-up passes (at least 500 searches): JIT, jieba and converter caches. Then a collection, so no
  // system pays for the garbage of the one measured before it.
  for (let done = 0; done < Math.max(500, set.queries.length); done += set.queries.length) for (const q of set.queries) search(q.query, 10);
  globalThis.gc?.();
  const rows = [];
  const times = [];
  for (const q of set.queries) {
    t0 = performance.now();
    const r = search(q.query, 10);
    times.push(performance.now() - t0);
    const rank = r.ids.indexOf(q.faq_id) + 1; // 0 = not in the top 10
    rows.push({ q, rank, confidence: r.confidence });
  }
  const n = rows.length;
  times.sort((a, b) => a - b);
  const quantile = (p) => times[Math.min(n - 1, Math.floor(p * n))];
  return {
    buildMs,
    meanMs: times.reduce((s, t) => s + t, 0) / n,
    p50Ms: quantile(0.5),
    p99Ms: quantile(0.99),
    rows,
    top1: rows.filter((r) => r.rank === 1).length / n,
    r5: rows.filter((r) => r.rank >= 1 && r.rank <= 5).length / n,
    mrr: rows.reduce((s, r) => s + (r.rank ? 1 / r.rank : 0), 0) / n,
    search,
  };
}

/**
 * Which half of a set a query falls in (FNV-1a of its text, even → A, odd → B): ranking parameters are
 * chosen on half A and reported on half B (`--split`), so a change can be judged on queries it was not
 * tuned on.
 */
function half(query) {
  let h = 2166136261;
  for (let i = 0; i < query.length; i++) {
    h ^= query.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % 2 === 0 ? 'A' : 'B';
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;
const pad = (v, n, right = false) => (right ? String(v).padEnd(n) : String(v).padStart(n));
const out = [];
out.push(
  `kefu bench/retrieval — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), 1-min load average ${loadavg()[0].toFixed(2)} at start`,
);
out.push('peers index question + similar + answer (similar joined); kefu indexes each question and similar question as its own unit plus the answer');
out.push('metrics: top-1 accuracy, recall@5, MRR@10 (rank of the single correct entry in the top 10), latency per query (mean, p50, p99) after a warm-up pass');

const systems = Object.entries(SYSTEMS).filter(([, s]) => !s.peer || peerLibs);
// Load dictionaries and converters (jieba ~200 ms, OpenCC) before anything is timed.
for (const [, system] of systems) system.build([{ id: 'warm', question: '预热一下 warm up', similar: ['預熱'], answer: '预热 warm' }])('预热 warm', 1);
const answerability = [];
for (const set of loadSets()) {
  process.stderr.write(`${set.name}: ${set.faqs.length} entries, ${set.queries.length} queries …\n`);
  const results = {};
  for (const [key, system] of systems) results[key] = evaluate(system, set);
  out.push('');
  out.push(`## ${set.name} — ${set.faqs.length} entries, ${set.queries.length} queries (${set.note})`);
  out.push(
    `${pad('system', 26, true)} ${pad('top-1', 7)} ${pad('R@5', 7)} ${pad('MRR@10', 7)} ${pad('mean ms', 8)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} ${pad('build ms', 9)}`,
  );
  for (const [key, system] of systems) {
    const r = results[key];
    out.push(
      `${pad(system.label, 26, true)} ${pad(pct(r.top1), 7)} ${pad(pct(r.r5), 7)} ${pad(r.mrr.toFixed(3), 7)} ${pad(r.meanMs.toFixed(3), 8)} ${pad(r.p50Ms.toFixed(3), 7)} ${pad(r.p99Ms.toFixed(3), 7)} ${pad(r.buildMs.toFixed(0), 9)}`,
    );
  }

  if (args.split) {
    const halves = ['A', 'B'].map((h) => set.queries.filter((q) => half(q.query) === h).length);
    out.push('');
    out.push(`top-1 by half (A: ${halves[0]} queries, where parameters are chosen; B: ${halves[1]}, held out)`);
    for (const [key, system] of systems) {
      const cell = (h) => {
        const rs = results[key].rows.filter((r) => half(r.q.query) === h);
        return pct(rs.filter((r) => r.rank === 1).length / rs.length);
      };
      out.push(`${pad(system.label, 26, true)} ${pad(cell('A'), 7)} ${pad(cell('B'), 7)}`);
    }
  }

  const tagged = set.queries.some((q) => q.tags?.length);
  if (tagged && systems.length > 1) {
    const [bestKey] = systems.filter(([, s]) => s.peer).sort(([a], [b]) => results[b].top1 - results[a].top1)[0];
    const tags = [...new Set(set.queries.flatMap((q) => q.tags ?? []))].sort();
    out.push('');
    out.push(`per tag, kefu vs the best peer on this set (${SYSTEMS[bestKey].label}): top-1 / R@5`);
    out.push(`${pad('tag', 12, true)} ${pad('n', 4)} ${pad('kefu', 15)} ${pad(bestKey, 15)}`);
    for (const tag of tags) {
      const cell = (key) => {
        const rs = results[key].rows.filter((r) => r.q.tags?.includes(tag));
        return `${pct(rs.filter((r) => r.rank === 1).length / rs.length)} / ${pct(rs.filter((r) => r.rank >= 1 && r.rank <= 5).length / rs.length)}`;
      };
      out.push(`${pad(tag, 12, true)} ${pad(set.queries.filter((q) => q.tags?.includes(tag)).length, 4)} ${pad(cell('kefu'), 15)} ${pad(cell(bestKey), 15)}`);
    }
  }

  if (set.name === 'faq_bank_zh' || set.name === 'demo') {
    const ood = OUT_OF_DOMAIN.map((q) => results.kefu.search(q, 5).confidence);
    answerability.push({ set: set.name, rows: results.kefu.rows, ood });
  }
}

if (answerability.length) {
  out.push('');
  out.push(`## kefu answerability — the bot answers when confidence ≥ threshold (default ${DEFAULT_ANSWER_THRESHOLD}), else falls back`);
  out.push(`answered = share of in-domain queries at or above the threshold; precision = share of those whose top hit is correct;`);
  out.push(`OOD ≥ t = share of ${OUT_OF_DOMAIN.length} out-of-domain messages (weather, jokes, trivia, other businesses; zh + en) the bot would answer`);
  out.push(`${pad('set', 12, true)} ${pad('threshold', 9)} ${pad('answered', 9)} ${pad('precision', 9)} ${pad('OOD ≥ t', 8)}`);
  for (const a of answerability) {
    for (const t of THRESHOLDS) {
      const answered = a.rows.filter((r) => r.confidence >= t);
      const precision = answered.length ? answered.filter((r) => r.rank === 1).length / answered.length : Number.NaN;
      out.push(
        `${pad(a.set, 12, true)} ${pad(String(t), 9)} ${pad(pct(answered.length / a.rows.length), 9)} ${pad(pct(precision), 9)} ${pad(pct(a.ood.filter((c) => c >= t).length / a.ood.length), 8)}`,
      );
    }
    const sorted = [...a.ood].sort((x, y) => y - x);
    out.push(`${pad('', 12, true)} OOD confidence against ${a.set}: max ${sorted[0].toFixed(2)}, median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)}`);
  }
  const worst = answerability
    .flatMap((a) => OUT_OF_DOMAIN.map((q, i) => ({ set: a.set, q, c: a.ood[i] })))
    .filter((x) => x.c >= DEFAULT_ANSWER_THRESHOLD)
    .sort((x, y) => y.c - x.c);
  if (worst.length) {
    out.push(`out-of-domain messages at or above the default threshold ${DEFAULT_ANSWER_THRESHOLD}:`);
    for (const w of worst) out.push(`  ${w.c.toFixed(2)}  ${w.set}: ${w.q}`);
  }
}
console.log(out.join('\n'));

// ── scale: 100,000 document chunks ───────────────────────────────────────────────────────────────
// Chunks are passages of the XQuAD and demo sets recombined (sentences shuffled across passages), so
// the vocabulary and postings lengths are those of real Chinese and English text at 100k size.
if (!args['no-scale'] && !args.only) {
  const CHUNKS = Number(args.chunks ?? 100_000);
  const passages = ['xquad_zh', 'xquad_en']
    .flatMap((name) => readJsonl(join(DATA, name, 'faqs.jsonl'), { optional: true }))
    .map((p) => p.answer)
    .concat(readJsonl(join(ROOT, 'examples/demo-shop/faqs.jsonl')).map((f) => f.answer));
  const sentences = passages.flatMap((p) => p.split(/(?<=[。！？.!?])\s*/u)).filter((x) => x.length > 8);
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const chunks = Array.from({ length: CHUNKS }, (_, i) => {
    const n = 3 + Math.floor(rnd() * 4);
    const text = Array.from({ length: n }, () => sentences[Math.floor(rnd() * sentences.length)]).join(' ');
    return {
      id: `c${i}`,
      documentId: `d${Math.floor(i / 20)}`,
      title: `文档 Document ${Math.floor(i / 20)}`,
      headingPath: [`第${i % 20}节 Section ${i % 20}`],
      text,
      audience: 'public',
    };
  });
  const queries = readJsonl(join(DATA, 'xquad_zh', 'queries.jsonl'), { optional: true })
    .slice(0, 300)
    .map((q) => q.query)
    .concat(
      readJsonl(join(DATA, 'xquad_en', 'queries.jsonl'), { optional: true })
        .slice(0, 300)
        .map((q) => q.query),
    );
  globalThis.gc?.();
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const heapBefore = used();
  const index = new Bm25KnowledgeIndex();
  const t0 = performance.now();
  index.load('scale', [], { dictionary: [], synonyms: [] }, chunks);
  const buildMs = performance.now() - t0;
  globalThis.gc?.();
  const heapAfter = used();
  for (const q of queries.slice(0, 50)) index.search('scale', q, 10);
  const times = queries.map((q) => {
    const s = performance.now();
    index.search('scale', q, 10);
    return performance.now() - s;
  });
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
  const stats = index.stats();
  console.log(
    [
      '',
      `## kefu at ${CHUNKS.toLocaleString('en')} chunks (${queries.length} XQuAD questions, zh + en)`,
      `build ${(buildMs / 1000).toFixed(1)} s (target ≤ 60 s); search p50 ${q(0.5)} ms, p99 ${q(0.99)} ms (target ≤ 10 ms)`,
      `index ${(stats.bytes / 2 ** 20).toFixed(0)} MB by its own count, heap + array buffers +${((heapAfter - heapBefore) / 2 ** 20).toFixed(0)} MB${globalThis.gc ? '' : ' (run with --expose-gc for a tighter heap figure)'}; ${stats.terms.toLocaleString('en')} terms`,
    ].join('\n'),
  );
}
