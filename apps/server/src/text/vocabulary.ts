import { analyzeText, type Term } from './analyze-text.js';
import { foldForAnalysis, normalizeText } from './normalize-text.js';

/** A workspace's own words: its user dictionary and its synonym groups, both editable in the console. */
export interface VocabularyInput {
  dictionary: readonly string[];
  synonyms: readonly (readonly string[])[];
}

const fold = (s: string) => foldForAnalysis(normalizeText(s));
const isAscii = (s: string) => /^[\x20-\x7e]+$/.test(s);

/**
 * Matches dictionary words in folded text and expands a query with synonyms. Dictionary words become
 * whole-word terms on both sides (product names, 上海交通大学, SKUs that jieba would cut), so they
 * match as a unit; synonyms expand only the query, so an edit applies without re-indexing.
 */
export class Vocabulary {
  private readonly words: { folded: string; re: RegExp | null }[];
  private readonly groups: { folded: string[]; keys: string[][] }[];

  constructor(input: VocabularyInput) {
    this.words = [...new Set(input.dictionary.map(fold).filter((w) => w.length > 1))].map((folded) => ({
      folded,
      // ASCII words match at word boundaries only ("pro" must not match inside "product").
      re: isAscii(folded) ? new RegExp(`(?:^|[^a-z0-9])${escapeRe(folded)}(?:$|[^a-z0-9])`) : null,
    }));
    this.groups = input.synonyms
      .map((g) => g.map(fold).filter(Boolean))
      .filter((g) => g.length > 1)
      .map((folded) => ({
        folded,
        keys: folded.map((t) =>
          analyzeText(t)
            .filter((x) => x.lane !== 'bigram')
            .map((x) => x.key),
        ),
      }));
  }

  get size() {
    return { words: this.words.length, groups: this.groups.length };
  }

  /** Whole-word terms for the dictionary words found in folded text. */
  dictionaryTerms(folded: string): Term[] {
    const out: Term[] = [];
    for (const w of this.words) {
      if (w.re ? w.re.test(folded) : folded.includes(w.folded)) out.push({ key: `w:${w.folded}`, lane: 'word', text: w.folded });
    }
    return out;
  }

  /** Term keys of the synonyms of what the folded query mentions, minus keys it already has. */
  expansions(folded: string, present: ReadonlySet<string>): string[] {
    const out = new Set<string>();
    for (const g of this.groups) {
      const hit = g.folded.findIndex((t) => (isAscii(t) ? new RegExp(`(?:^|[^a-z0-9])${escapeRe(t)}(?:$|[^a-z0-9])`).test(folded) : folded.includes(t)));
      if (hit < 0) continue;
      g.keys.forEach((keys, i) => {
        if (i !== hit) for (const k of keys) if (!present.has(k)) out.add(k);
      });
    }
    return [...out];
  }
}

export const EMPTY_VOCABULARY = new Vocabulary({ dictionary: [], synonyms: [] });

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
