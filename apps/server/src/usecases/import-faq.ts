import { createHash } from 'node:crypto';
import Papa from 'papaparse';
import { z } from 'zod';
import { contentHash } from '../adapters/db/repos/kysely-faq-repo.js';
import type { FaqEntry, Workspace } from '../domain/entities.js';
import { DomainError } from '../domain/errors.js';
import type { UseCaseContext } from './context.js';
import { languageOfQuestion, writeFaqVersion } from './manage-faq.js';

export type FaqFormat = 'csv' | 'jsonl';

export interface ImportLineError {
  line: number;
  message: string;
}

export interface ImportFaqResult {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: ImportLineError[];
}

const Text = (max: number) =>
  z
    .string()
    .refine((s) => s.isWellFormed(), 'contains invalid Unicode')
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));

const FaqRow = z.object({
  id: z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().max(200)).optional(),
  question: Text(1000),
  answer: Text(20_000),
  similar: z.array(Text(1000)).max(200, 'at most 200 similar questions').default([]),
  category: z.string().trim().max(100).optional().nullable(),
  language: z.enum(['zh-CN', 'zh-TW', 'en']).optional().nullable(),
  status: z.enum(['published', 'draft', 'archived']).default('published'),
  tags: z.array(Text(50)).max(30, 'at most 30 tags').default([]),
  audience: z.enum(['public', 'internal']).default('public'),
});

export const formatOf = (path: string): FaqFormat | null => (/\.csv$/i.test(path) ? 'csv' : /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : null);

/** CSV cells hold similar questions as a JSON array or separated by `|`. */
function similarFromCell(cell: unknown): unknown {
  if (typeof cell !== 'string') return cell;
  const s = cell.trim();
  if (!s) return [];
  if (s.startsWith('[')) {
    try {
      return JSON.parse(s);
    } catch {
      return s.split('|');
    }
  }
  return s
    .split('|')
    .map((x) => x.trim())
    .filter(Boolean);
}

function parseRows(content: string, format: FaqFormat): { line: number; value: unknown; error?: string }[] {
  if (format === 'jsonl') {
    return content.split(/\r?\n/).flatMap((raw, i) => {
      if (!raw.trim()) return [];
      try {
        return [{ line: i + 1, value: JSON.parse(raw) }];
      } catch (err) {
        return [{ line: i + 1, value: null, error: `not valid JSON: ${(err as Error).message}` }];
      }
    });
  }
  const parsed = Papa.parse<Record<string, string>>(content.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' });
  const headers = (parsed.meta.fields ?? []).map((h) => h.trim());
  for (const required of ['question', 'answer']) {
    if (!headers.includes(required)) {
      throw new DomainError('IMPORT_COLUMN_MISSING', `the CSV has no "${required}" column`, { column: required, headers });
    }
  }
  return parsed.data.map((row, i) => {
    const value: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) value[k.trim()] = k.trim() === 'similar' || k.trim() === 'tags' ? similarFromCell(v) : v === '' ? undefined : v;
    // Line numbers count the header as line 1; a quoted cell spanning lines shifts later rows.
    return { line: i + 2, value };
  });
}

/**
 * Imports FAQ entries from CSV or JSONL, idempotently by external id: a bad line is reported with its
 * number and the rest still import; re-importing an unchanged file changes nothing.
 */
export async function importFaq(
  ctx: UseCaseContext,
  workspace: Workspace,
  content: string,
  format: FaqFormat,
  opts: { authorId?: string | null; notify?: boolean } = {},
): Promise<ImportFaqResult> {
  const result: ImportFaqResult = { created: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
  const seen = new Map<string, number>();
  const entries: FaqEntry[] = [];
  const now = ctx.clock.now().toISOString();
  for (const row of parseRows(content, format)) {
    const fail = (message: string) => {
      result.failed++;
      result.errors.push({ line: row.line, message });
    };
    if (row.error) {
      fail(row.error);
      continue;
    }
    const parsed = FaqRow.safeParse(row.value);
    if (!parsed.success) {
      fail(parsed.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; '));
      continue;
    }
    const r = parsed.data;
    const externalId = r.id || `q-${createHash('sha256').update(r.question).digest('hex').slice(0, 16)}`;
    const first = seen.get(externalId);
    if (first !== undefined) {
      fail(`duplicate id "${externalId}" (first on line ${first})`);
      continue;
    }
    seen.set(externalId, row.line);
    entries.push({
      id: ctx.ids.next(),
      workspaceId: workspace.id,
      externalId,
      question: r.question,
      similar: r.similar,
      answer: r.answer,
      category: r.category ?? null,
      language: r.language ?? languageOfQuestion(r.question),
      status: r.status,
      tags: r.tags,
      variants: [],
      validFrom: null,
      validUntil: null,
      audience: r.audience,
      version: 1,
      updatedBy: opts.authorId ?? null,
      createdAt: now,
      updatedAt: now,
    });
  }
  await ctx.store.transaction(async (tx) => {
    for (const e of entries) {
      const existing = await tx.faqs.findByExternalId(workspace.id, e.externalId!);
      if (!existing) {
        await writeFaqVersion(tx, ctx, e, 'imported', true);
        result.created++;
      } else if (contentHash(existing) === contentHash({ ...existing, ...snapshotOfImport(e) })) {
        result.unchanged++;
      } else {
        // An import replaces what the sheet holds and keeps what it cannot express (variants, validity).
        await writeFaqVersion(
          tx,
          ctx,
          { ...existing, ...snapshotOfImport(e), version: existing.version + 1, updatedAt: now, updatedBy: e.updatedBy },
          'imported',
          false,
        );
        result.updated++;
      }
    }
  });
  // An import job rebuilds the index once at its end instead (notify: false).
  if (opts.notify !== false && result.created + result.updated > 0) await ctx.bus.publish([{ type: 'knowledge.changed', workspaceId: workspace.id }]);
  return result;
}

/** The fields an FAQ sheet carries. */
function snapshotOfImport(e: FaqEntry) {
  const { question, similar, answer, category, language, status, tags, audience } = e;
  return { question, similar, answer, category, language, status, tags, audience };
}
