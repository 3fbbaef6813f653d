import { createHash } from 'node:crypto';
import { z } from 'zod';
import { contentHash } from '../adapters/db/repos/kysely-faq-repo.js';
import type { FaqEntry, Workspace } from '../domain/entities.js';
import { DomainError } from '../domain/errors.js';
import { isParseFailure, parseFaqSheet } from '../ingest/index.js';
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

type RowResult = { line: number; value: unknown; error?: string };

function parseJsonl(content: string): RowResult[] {
  return content.split(/\r?\n/).flatMap((raw, i) => {
    if (!raw.trim()) return [];
    try {
      return [{ line: i + 1, value: JSON.parse(raw) }];
    } catch (err) {
      return [{ line: i + 1, value: null, error: `not valid JSON: ${(err as Error).message}` }];
    }
  });
}

const SHEET_ISSUE_MESSAGES: Record<string, string> = {
  FAQ_QUESTION_MISSING: 'question: must not be empty',
  FAQ_ANSWER_MISSING: 'answer: must not be empty',
};

/**
 * CSV goes through the same sheet reader as `kefu import` (encoding detection, zh/en headers, similar
 * questions as a JSON array or separated by `|`), so both commands read a sheet the same way.
 */
async function parseCsv(bytes: Uint8Array): Promise<RowResult[]> {
  const sheet = await parseFaqSheet({ name: 'faq.csv', bytes });
  if (isParseFailure(sheet)) {
    if (sheet.code === 'SHEET_COLUMNS_MISSING')
      throw new DomainError('IMPORT_COLUMN_MISSING', 'the CSV has no question or no answer column', { details: sheet.details });
    throw new DomainError('IMPORT_FILE_UNREADABLE', sheet.message, { reason: sheet.code });
  }
  const rows: RowResult[] = sheet.rows.map((r) => {
    const extra = (name: string) => (r.values[name]?.trim() ? r.values[name]!.trim() : undefined);
    const tags = extra('tags');
    return {
      line: r.line,
      value: {
        id: r.id || undefined,
        question: r.question,
        answer: r.answer,
        similar: r.similar,
        category: r.category || undefined,
        language: extra('language'),
        status: extra('status'),
        audience: extra('audience'),
        tags: tags
          ? tags
              .split(/[|｜,，]/)
              .map((t) => t.trim())
              .filter(Boolean)
          : undefined,
      },
    };
  });
  for (const issue of sheet.issues) {
    const message = SHEET_ISSUE_MESSAGES[issue.code];
    if (message) rows.push({ line: issue.line, value: null, error: message });
  }
  return rows.sort((x, y) => x.line - y.line);
}

/**
 * Imports FAQ entries from CSV or JSONL, idempotently by external id: a bad line is reported with its
 * number and the rest still import; re-importing an unchanged file changes nothing.
 */
export async function importFaq(
  ctx: UseCaseContext,
  workspace: Workspace,
  content: string | Uint8Array,
  format: FaqFormat,
  opts: { authorId?: string | null; notify?: boolean } = {},
): Promise<ImportFaqResult> {
  const result: ImportFaqResult = { created: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
  const seen = new Map<string, number>();
  const entries: FaqEntry[] = [];
  const now = ctx.clock.now().toISOString();
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const rows = format === 'jsonl' ? parseJsonl(typeof content === 'string' ? content : new TextDecoder().decode(content)) : await parseCsv(bytes);
  for (const row of rows) {
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
