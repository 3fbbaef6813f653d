import Papa from 'papaparse';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { Intent, IntentAction } from '../domain/entities.js';

/** An intent as files carry it. */
export interface IntentRecord {
  name: string;
  description?: string;
  examples: string[];
  action?: IntentAction | null;
}

export class IntentFileError extends Error {
  override name = 'IntentFileError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/**
 * Reads intents from CSV (`intent,example` rows; a header row is recognised), JSONL (one
 * `{ "intent", "text" }` example or one `{ "name", "examples" }` intent per line), or YAML: kefu's own
 * (`intents: [{ name, description, examples, action }]`) or Rasa NLU's (`nlu: [{ intent, examples: "- …" }]`).
 * Examples of the same intent are merged.
 */
export function parseIntentFile(format: 'csv' | 'jsonl' | 'yaml', content: string): IntentRecord[] {
  const byName = new Map<string, IntentRecord>();
  const add = (name: unknown, examples: unknown[], extra: Partial<IntentRecord> = {}, line?: number) => {
    if (typeof name !== 'string' || !name.trim()) throw new IntentFileError('an intent name is missing', line);
    const n = name.trim();
    const r = byName.get(n) ?? { name: n, examples: [] };
    for (const e of examples) if (typeof e === 'string' && e.trim()) r.examples.push(e.trim());
    if (extra.description) r.description = extra.description;
    if (extra.action !== undefined) r.action = extra.action;
    byName.set(n, r);
  };
  if (format === 'csv') {
    const rows = Papa.parse<string[]>(content.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    rows.forEach((row, i) => {
      const [a, b] = row.map((c) => c.trim());
      if (i === 0 && /^(intent|name|意图|意圖)$/i.test(a ?? '') && /^(example|text|examples|例句|示例|範例)$/i.test(b ?? '')) return;
      if (!a || !b) throw new IntentFileError('each row needs an intent and an example', i + 1);
      add(a, [b], {}, i + 1);
    });
  } else if (format === 'jsonl') {
    content.split(/\r?\n/).forEach((raw, i) => {
      if (!raw.trim()) return;
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(raw);
      } catch {
        throw new IntentFileError('not valid JSON', i + 1);
      }
      if (typeof o.text === 'string') add(o.intent ?? o.name, [o.text], {}, i + 1);
      else if (Array.isArray(o.examples))
        add(
          o.name ?? o.intent,
          o.examples,
          { ...(typeof o.description === 'string' ? { description: o.description } : {}), ...(o.action ? { action: o.action as IntentAction } : {}) },
          i + 1,
        );
      else throw new IntentFileError('each line needs "intent" and "text", or "name" and "examples"', i + 1);
    });
  } else {
    let doc: unknown;
    try {
      doc = parseYaml(content);
    } catch (err) {
      throw new IntentFileError(`not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    const d = (doc ?? {}) as { nlu?: unknown; intents?: unknown };
    if (Array.isArray(d.nlu)) {
      for (const item of d.nlu as Record<string, unknown>[]) {
        if (!item || typeof item.intent !== 'string') continue; // synonyms, regexes, lookups: not intents
        const examples =
          typeof item.examples === 'string' ? item.examples.split('\n').map((l) => stripRasa(l)) : Array.isArray(item.examples) ? item.examples : [];
        add(item.intent, examples);
      }
    } else if (Array.isArray(d.intents)) {
      for (const item of d.intents as Record<string, unknown>[]) {
        add(item?.name, Array.isArray(item?.examples) ? item.examples : [], {
          ...(typeof item?.description === 'string' ? { description: item.description } : {}),
          ...(item?.action ? { action: item.action as IntentAction } : {}),
        });
      }
    } else throw new IntentFileError('expected an `intents:` list or a Rasa `nlu:` list');
  }
  return [...byName.values()];
}

/** Rasa example lines: "- text", with [entity](type) annotations reduced to their text. */
function stripRasa(line: string): string {
  return line
    .replace(/^\s*-\s*/, '')
    .replace(/\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})/g, '$1')
    .trim();
}

export function formatIntentFile(format: 'csv' | 'jsonl' | 'yaml', intents: readonly Intent[]): string {
  if (format === 'csv') return Papa.unparse([['intent', 'example'], ...intents.flatMap((i) => i.examples.map((e) => [i.name, e]))], { newline: '\n' });
  if (format === 'jsonl')
    return `${intents.map((i) => JSON.stringify({ name: i.name, description: i.description, examples: i.examples, action: i.action })).join('\n')}\n`;
  return stringifyYaml({ intents: intents.map((i) => ({ name: i.name, description: i.description, examples: i.examples, action: i.action })) });
}
