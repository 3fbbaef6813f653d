import { intentFeatures } from './intent-features.js';

/**
 * kefu's offline intent model: TF-IDF features (intent-features.ts) and a linear SVM per intent
 * (one-vs-rest, L2-regularised squared hinge loss, trained by dual coordinate descent as in LIBLINEAR),
 * whose scores become probabilities through a softmax with a temperature fitted on held-out folds
 * (so that "0.8" is right about 80 % of the time). Deterministic for a given training set and seed.
 * bench/intent.mjs compares it with nlp.js and natural on CLINC150, BANKING77 and two Chinese sets.
 */

export interface IntentExample {
  text: string;
  intent: string;
}

/** The label that means "none of the intents": examples with it teach the model what is out of scope. */
export const OUT_OF_SCOPE = 'oos';

export interface TrainOptions {
  /** SVM regularisation: larger fits the training data more closely. */
  c?: number;
  /** Passes over the data per intent (coordinate descent usually stops earlier). */
  maxEpochs?: number;
  /** Held-out folds for calibration and the evaluation report (default 5, 3 above 5,000 examples). */
  folds?: number;
  /** Features seen in fewer examples than this are dropped. */
  minCount?: number;
  seed?: number;
  /** Called between steps with what is done; may be async (training yields to the event loop there). */
  onProgress?: (p: TrainProgress) => void | Promise<void>;
}

export interface TrainProgress {
  phase: 'features' | 'folds' | 'final';
  /** Steps done and the total, across all phases. */
  done: number;
  total: number;
}

/** How the model did on examples it did not see while training (cross-validation). */
export interface HeldOutReport {
  examples: number;
  accuracy: number;
  /** Expected calibration error over 10 equal-width bins of top-1 confidence. */
  ece: number;
  /** Per intent: how many, how many right, and what they were mistaken for. */
  perIntent: { intent: string; examples: number; correct: number; confusedWith: { intent: string; count: number }[] }[];
}

export interface IntentModel {
  version: 1;
  labels: string[];
  /** Feature names, in weight order. */
  features: string[];
  idf: Float32Array;
  /** Feature-major: weights[f * labels.length + l]; the last row (f = features.length) is the bias. */
  weights: Float32Array;
  temperature: number;
  /** The SVM regularisation the model was trained with (chosen by held-out accuracy on small sets). */
  c: number;
  heldOut: HeldOutReport | null;
}

export interface IntentPrediction {
  intent: string;
  probability: number;
}

const DEFAULTS = { c: 1, maxEpochs: 40, minCount: 1, seed: 1 };
const C_CANDIDATES = [0.5, 1, 2, 4];
const C_SEARCH_MAX_EXAMPLES = 3000;

const argmax = (s: Float32Array) => {
  let best = 0;
  for (let i = 1; i < s.length; i++) if (s[i]! > s[best]!) best = i;
  return best;
};
const BIAS = 1;

/** Trains a model. Throws `IntentTrainingError` when the examples cannot make one. */
export async function trainIntentModel(examples: readonly IntentExample[], opts: TrainOptions = {}): Promise<IntentModel> {
  const o = { ...DEFAULTS, folds: examples.length > 5000 ? 3 : 5, ...opts };
  const labels = [...new Set(examples.map((e) => e.intent))].sort();
  if (labels.length < 2) throw new IntentTrainingError('at least two intents are needed to train');
  // Intents with fewer examples than folds simply miss from some folds, as they would in real traffic.
  const folds = Math.min(o.folds, Math.floor(examples.length / 2));
  // Small training sets (a workspace's intents) also choose C by held-out accuracy: cheap there, and
  // the right amount of regularisation depends on how many examples each intent has.
  const candidates = opts.c !== undefined || examples.length > C_SEARCH_MAX_EXAMPLES || folds < 2 ? [o.c] : C_CANDIDATES;
  const total = 1 + folds * candidates.length + 1;
  let done = 0;
  const progress = async (phase: TrainProgress['phase']) => {
    done++;
    await o.onProgress?.({ phase, done, total });
  };

  const featureCounts = examples.map((e) => intentFeatures(e.text));
  await progress('features');

  let heldOut: HeldOutReport | null = null;
  let temperature = 1;
  let c = o.c;
  if (folds >= 2) {
    // Stratified folds: every intent's examples are spread over all folds.
    const fold = stratifiedFolds(examples, folds, o.seed);
    const truth = examples.map((e) => labels.indexOf(e.intent));
    let best: { c: number; accuracy: number; scores: Float32Array[] } | null = null;
    for (const candidate of candidates) {
      const scores: Float32Array[] = new Array(examples.length);
      for (let k = 0; k < folds; k++) {
        const trainIdx = examples.map((_, i) => i).filter((i) => fold[i] !== k);
        const testIdx = examples.map((_, i) => i).filter((i) => fold[i] === k);
        const m = fit(
          trainIdx.map((i) => featureCounts[i]!),
          trainIdx.map((i) => examples[i]!.intent),
          labels,
          { ...o, c: candidate },
        );
        for (const i of testIdx) scores[i] = rawScores(m, featureCounts[i]!);
        await progress('folds');
      }
      const accuracy = scores.filter((s, i) => argmax(s) === truth[i]).length / scores.length;
      if (!best || accuracy > best.accuracy + 1e-9) best = { c: candidate, accuracy, scores };
    }
    c = best!.c;
    temperature = fitTemperature(best!.scores, truth);
    heldOut = report(best!.scores, truth, labels, temperature);
  }

  const model = fit(
    featureCounts,
    examples.map((e) => e.intent),
    labels,
    { ...o, c },
  );
  model.temperature = temperature;
  model.c = c;
  model.heldOut = heldOut;
  await progress('final');
  return model;
}

/** The intents ranked by calibrated probability (all of them; take the first k). */
export function classifyIntent(model: IntentModel, text: string): IntentPrediction[] {
  const s = rawScores(model, intentFeatures(text));
  const p = softmax(s, model.temperature);
  return model.labels.map((intent, l) => ({ intent, probability: p[l]! })).sort((a, b) => b.probability - a.probability);
}

export class IntentTrainingError extends Error {
  override name = 'IntentTrainingError';
}

// --- training ---------------------------------------------------------------------------------

interface SparseRow {
  idx: Int32Array;
  val: Float32Array;
}

function fit(
  counts: readonly Map<string, number>[],
  intents: readonly string[],
  labels: readonly string[],
  o: typeof DEFAULTS & { folds: number },
): IntentModel {
  // Vocabulary and IDF from these examples only (a fold never sees its held-out part).
  const df = new Map<string, number>();
  for (const c of counts) for (const f of c.keys()) df.set(f, (df.get(f) ?? 0) + 1);
  const features = [...df].filter(([, n]) => n >= o.minCount).map(([f]) => f);
  const index = new Map(features.map((f, i) => [f, i]));
  const n = counts.length;
  const idf = Float32Array.from(features, (f) => Math.log((1 + n) / (1 + df.get(f)!)) + 1);
  const model: IntentModel = {
    version: 1,
    labels: [...labels],
    features,
    idf,
    weights: new Float32Array((features.length + 1) * labels.length),
    temperature: 1,
    c: o.c,
    heldOut: null,
  };
  const rows = counts.map((c) => vectorize(model, c, index));
  const y = intents.map((i) => labels.indexOf(i));
  const dims = features.length + 1;
  const w = new Float64Array(dims);
  const alpha = new Float64Array(n);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rand = mulberry32(o.seed);
  // Squared norms (rows are unit length, plus the bias feature) and the dual diagonal 1 / (2C).
  const diag = 0.5 / o.c;
  const qii = rows.map((r) => r.val.reduce((s, v) => s + v * v, 0) + BIAS * BIAS + diag);
  for (let l = 0; l < labels.length; l++) {
    w.fill(0);
    alpha.fill(0);
    for (let epoch = 0; epoch < o.maxEpochs; epoch++) {
      shuffle(order, rand);
      let maxPg = Number.NEGATIVE_INFINITY;
      let minPg = Number.POSITIVE_INFINITY;
      for (let t = 0; t < n; t++) {
        const i = order[t]!;
        const yi = y[i] === l ? 1 : -1;
        const { idx, val } = rows[i]!;
        let dot = w[dims - 1]! * BIAS;
        for (let j = 0; j < idx.length; j++) dot += w[idx[j]!]! * val[j]!;
        const g = yi * dot - 1 + diag * alpha[i]!;
        const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
        if (pg > maxPg) maxPg = pg;
        if (pg < minPg) minPg = pg;
        if (Math.abs(pg) > 1e-12) {
          const old = alpha[i]!;
          const a = Math.max(old - g / qii[i]!, 0);
          alpha[i] = a;
          const d = (a - old) * yi;
          for (let j = 0; j < idx.length; j++) w[idx[j]!]! += d * val[j]!;
          w[dims - 1]! += d * BIAS;
        }
      }
      if (maxPg - minPg < 0.1) break;
    }
    for (let f = 0; f < dims; f++) model.weights[f * labels.length + l] = w[f]!;
  }
  return model;
}

/**
 * TF-IDF with sublinear term frequency. Each feature family (Han characters, words, word pairs, Latin
 * character n-grams) is L2-normalised on its own before the whole is, so a long Latin product name
 * with dozens of n-grams cannot drown the few Chinese words that carry the intent. Unknown features
 * are ignored.
 */
function vectorize(model: IntentModel, counts: Map<string, number>, index?: Map<string, number>): SparseRow {
  const idx: number[] = [];
  const val: number[] = [];
  const fam: number[] = [];
  const lookup = index ?? featureIndex(model);
  for (const [f, c] of counts) {
    const i = lookup.get(f);
    if (i === undefined) continue;
    idx.push(i);
    val.push((1 + Math.log(c)) * model.idf[i]!);
    fam.push(familyOf(f));
  }
  const famNorm = new Float64Array(FAMILIES);
  for (let j = 0; j < val.length; j++) famNorm[fam[j]!]! += val[j]! * val[j]!;
  let present = 0;
  for (let k = 0; k < FAMILIES; k++) if (famNorm[k]! > 0) present++;
  // Every family present gets an equal share of the unit norm.
  const scale = Array.from(famNorm, (n) => (n > 0 ? 1 / Math.sqrt(n * present) : 0));
  return { idx: Int32Array.from(idx), val: Float32Array.from(val, (v, j) => v * scale[fam[j]!]!) };
}

const FAMILIES = 4;
function familyOf(feature: string): number {
  switch (feature.charCodeAt(0)) {
    case 99: // c: c2: c3: Han characters
      return 0;
    case 103: // g: Latin character n-grams
      return 2;
    case 98: // b: word pairs
      return 3;
    default: // w: s: n: o: words, stems, number shapes
      return 1;
  }
}

const indexCache = new WeakMap<IntentModel, Map<string, number>>();
function featureIndex(model: IntentModel): Map<string, number> {
  let m = indexCache.get(model);
  if (!m) {
    m = new Map(model.features.map((f, i) => [f, i]));
    indexCache.set(model, m);
  }
  return m;
}

function rawScores(model: IntentModel, counts: Map<string, number>): Float32Array {
  const L = model.labels.length;
  const { idx, val } = vectorize(model, counts);
  const s = new Float32Array(L);
  const biasRow = model.features.length * L;
  for (let l = 0; l < L; l++) s[l] = model.weights[biasRow + l]! * BIAS;
  for (let j = 0; j < idx.length; j++) {
    const row = idx[j]! * L;
    const v = val[j]!;
    for (let l = 0; l < L; l++) s[l]! += model.weights[row + l]! * v;
  }
  return s;
}

// --- calibration --------------------------------------------------------------------------------

function softmax(s: Float32Array, temperature: number): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const x of s) if (x > max) max = x;
  const p = new Float64Array(s.length);
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    p[i] = Math.exp((s[i]! - max) / temperature);
    sum += p[i]!;
  }
  for (let i = 0; i < p.length; i++) p[i]! /= sum;
  return p;
}

/** The temperature minimising the held-out negative log-likelihood (golden-section search on log T). */
function fitTemperature(scores: readonly Float32Array[], truth: readonly number[]): number {
  const nll = (logT: number) => {
    const t = Math.exp(logT);
    let sum = 0;
    for (let i = 0; i < scores.length; i++) sum -= Math.log(Math.max(softmax(scores[i]!, t)[truth[i]!]!, 1e-12));
    return sum;
  };
  let lo = Math.log(0.005);
  let hi = Math.log(5);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nll(a);
  let fb = nll(b);
  for (let it = 0; it < 40; it++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = nll(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = nll(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}

function report(scores: readonly Float32Array[], truth: readonly number[], labels: readonly string[], temperature: number): HeldOutReport {
  const confusion = labels.map(() => new Map<number, number>());
  const counts = labels.map(() => 0);
  const conf: number[] = [];
  const right: boolean[] = [];
  let correct = 0;
  for (let i = 0; i < scores.length; i++) {
    const p = softmax(scores[i]!, temperature);
    let best = 0;
    for (let l = 1; l < p.length; l++) if (p[l]! > p[best]!) best = l;
    const t = truth[i]!;
    counts[t]!++;
    conf.push(p[best]!);
    right.push(best === t);
    if (best === t) correct++;
    else confusion[t]!.set(best, (confusion[t]!.get(best) ?? 0) + 1);
  }
  return {
    examples: scores.length,
    accuracy: correct / Math.max(1, scores.length),
    ece: expectedCalibrationError(conf, right),
    perIntent: labels.map((intent, l) => {
      const wrong = [...confusion[l]!.values()].reduce((a, b) => a + b, 0);
      return {
        intent,
        examples: counts[l]!,
        correct: counts[l]! - wrong,
        confusedWith: [...confusion[l]!]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([o, count]) => ({ intent: labels[o]!, count })),
      };
    }),
  };
}

/** ECE over `bins` equal-width confidence bins: the average gap between confidence and accuracy. */
export function expectedCalibrationError(confidence: readonly number[], correct: readonly boolean[], bins = 10): number {
  const sumConf = new Float64Array(bins);
  const sumRight = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < confidence.length; i++) {
    const b = Math.min(bins - 1, Math.floor(confidence[i]! * bins));
    sumConf[b]! += confidence[i]!;
    sumRight[b]! += correct[i] ? 1 : 0;
    count[b]!++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) ece += (count[b]! / confidence.length) * Math.abs(sumConf[b]! / count[b]! - sumRight[b]! / count[b]!);
  return ece;
}

// --- helpers ------------------------------------------------------------------------------------

function stratifiedFolds(examples: readonly IntentExample[], k: number, seed: number): Int32Array {
  const rand = mulberry32(seed + 7);
  const byLabel = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const list = byLabel.get(e.intent) ?? [];
    list.push(i);
    byLabel.set(e.intent, list);
  });
  const fold = new Int32Array(examples.length);
  let offset = 0;
  for (const list of byLabel.values()) {
    const order = Int32Array.from(list);
    shuffle(order, rand);
    order.forEach((i, j) => {
      fold[i] = (j + offset) % k;
    });
    offset += order.length;
  }
  return fold;
}

function shuffle(a: Int32Array, rand: () => number) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

function mulberry32(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- persistence --------------------------------------------------------------------------------

const toBase64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const fromBase64 = (s: string) => {
  const b = Buffer.from(s, 'base64');
  // Copy into an aligned buffer: a Buffer's byteOffset may not be a multiple of 4.
  const out = new Float32Array(b.length / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
};

/** JSON with the weights base64-encoded (float32, platform byte order: little-endian everywhere Node runs). */
export function serializeIntentModel(m: IntentModel): string {
  return JSON.stringify({ ...m, idf: toBase64(m.idf), weights: toBase64(m.weights) });
}

export function deserializeIntentModel(json: string): IntentModel {
  const raw = JSON.parse(json) as Omit<IntentModel, 'idf' | 'weights'> & { idf: string; weights: string };
  if (raw.version !== 1) throw new IntentTrainingError(`unknown model version ${String(raw.version)}`);
  const m: IntentModel = { ...raw, idf: fromBase64(raw.idf), weights: fromBase64(raw.weights) };
  if (m.idf.length !== m.features.length || m.weights.length !== (m.features.length + 1) * m.labels.length) {
    throw new IntentTrainingError('the stored model is damaged');
  }
  return m;
}
