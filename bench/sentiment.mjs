#!/usr/bin/env node
// Sentiment and emotion on kefu's labelled customer-service set (apps/server/src/nlu/fixtures/
// sentiment-eval.jsonl: 330 messages in Simplified and Traditional Chinese, English and mixed), for
// kefu's analyser (the built server) and, on the English messages, the `sentiment` package (AFINN-165)
// and nlp.js's SentimentAnalyzer; neither has Chinese, so the Chinese rows compare with the majority
// class. Messages s001–s165 were used for error analysis while writing the lexicon ("dev"); s166–s330
// were not looked at ("held-out"). Usage: node bench/sentiment.mjs
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureServerBuilt, ROOT } from './lib/ensure-server-built.mjs';
import { readJsonl } from './lib/read-jsonl.mjs';

ensureServerBuilt();
const { analyzeSentiment, NEUTRAL_BAND } = await import(pathToFileURL(join(ROOT, 'apps/server/dist/nlu/analyze-sentiment.js')).href);
const rows = readJsonl(join(ROOT, 'apps/server/src/nlu/fixtures/sentiment-eval.jsonl'));
const { default: Sentiment } = await import('sentiment');
const { default: nlp } = await import('node-nlp');
const afinn = new Sentiment();
const nlpEn = new nlp.SentimentAnalyzer({ language: 'en' });

const POLARITIES = ['negative', 'neutral', 'positive'];
const EMOTIONS = ['anger', 'anxiety', 'dissatisfaction', 'satisfaction', 'confusion', 'none'];
const label = (x) => (x <= -NEUTRAL_BAND ? 'negative' : x >= NEUTRAL_BAND ? 'positive' : 'neutral');

/** Accuracy and macro-F1 over `classes`. */
function score(pairs, classes) {
  const right = pairs.filter(([t, p]) => t === p).length;
  const f1s = classes.map((c) => {
    const tp = pairs.filter(([t, p]) => t === c && p === c).length;
    const fp = pairs.filter(([t, p]) => t !== c && p === c).length;
    const fn = pairs.filter(([t, p]) => t === c && p !== c).length;
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  return { n: pairs.length, accuracy: right / pairs.length, macroF1: f1s.reduce((a, b) => a + b, 0) / classes.length };
}

const subsets = [
  ['all', () => true],
  ['dev (s001–s165)', (r) => Number(r.id.slice(1)) <= 165],
  ['held-out (s166–s330)', (r) => Number(r.id.slice(1)) > 165],
  ['zh-Hans', (r) => r.lang === 'zh-Hans'],
  ['zh-Hant', (r) => r.lang === 'zh-Hant'],
  ['en', (r) => r.lang === 'en'],
  ['mixed', (r) => r.lang === 'mixed'],
];

const kefu = new Map();
const ms = [];
// Warm-up: the first calls load the Traditional→Simplified converter and compile the patterns.
for (const r of rows.slice(0, 30)) analyzeSentiment(r.text);
for (const r of rows) {
  const t0 = performance.now();
  kefu.set(r.id, analyzeSentiment(r.text));
  ms.push(performance.now() - t0);
}
const majority = 'negative';
const pct = (x) => `${(x * 100).toFixed(1)}%`;

console.log(`\nSentiment — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores, ${rows.length} messages\n`);
console.log('| subset | n | library | polarity accuracy | polarity macro-F1 | emotion accuracy | emotion macro-F1 |');
console.log('|---|---|---|---|---|---|---|');
for (const [name, keep] of subsets) {
  const sub = rows.filter(keep);
  const pol = score(
    sub.map((r) => [r.polarity, kefu.get(r.id).label]),
    POLARITIES,
  );
  const emo = score(
    sub.map((r) => [r.emotion, kefu.get(r.id).primary]),
    EMOTIONS,
  );
  console.log(`| ${name} | ${sub.length} | kefu | ${pct(pol.accuracy)} | ${pct(pol.macroF1)} | ${pct(emo.accuracy)} | ${pct(emo.macroF1)} |`);
  if (name === 'en') {
    const a = score(
      sub.map((r) => [r.polarity, label(Math.tanh(afinn.analyze(r.text).comparative))]),
      POLARITIES,
    );
    console.log(`| ${name} | ${sub.length} | sentiment (AFINN) | ${pct(a.accuracy)} | ${pct(a.macroF1)} | — | — |`);
    const nl = [];
    for (const r of sub) nl.push([r.polarity, (await nlpEn.getSentiment(r.text)).vote]);
    const n = score(nl, POLARITIES);
    console.log(`| ${name} | ${sub.length} | nlp.js | ${pct(n.accuracy)} | ${pct(n.macroF1)} | — | — |`);
  }
  const base = score(
    sub.map((r) => [r.polarity, majority]),
    POLARITIES,
  );
  console.log(`| ${name} | ${sub.length} | majority class | ${pct(base.accuracy)} | ${pct(base.macroF1)} | — | — |`);
}
const reg = rows.map((r) => [r.regulator, kefu.get(r.id).regulatorThreat]);
const tp = reg.filter(([t, p]) => t && p).length;
const fp = reg.filter(([t, p]) => !t && p).length;
const fn = reg.filter(([t, p]) => t && !p).length;
console.log(`\nRegulator threats: precision ${pct(tp / (tp + fp || 1))}, recall ${pct(tp / (tp + fn || 1))} (${tp + fn} threats)`);
const sorted = [...ms].sort((a, b) => a - b);
console.log(`Latency: p50 ${sorted[Math.floor(sorted.length / 2)].toFixed(3)} ms, p99 ${sorted[Math.floor(sorted.length * 0.99)].toFixed(3)} ms`);
