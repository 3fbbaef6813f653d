import type { DocumentChunk, ImportJob, KnowledgeDocument, Workspace } from '../domain/entities.js';
import { chunkDocument, hashSource, isParseFailure, type ParseLimits, parseDocument, parseFaqSheet } from '../ingest/index.js';
import type { UseCaseContext } from './context.js';
import { importFaq } from './import-faq.js';

export interface ImportFile {
  /** Stable identity across imports: a path relative to the imported folder, a file name or a URL. */
  source: string;
  name: string;
  bytes: Uint8Array;
  mimeType?: string;
}

export interface ImportOptions {
  /** Documents whose source starts with this prefix and that this import no longer holds are removed. */
  prunePrefix?: string;
  audience?: KnowledgeDocument['audience'];
  limits?: Partial<ParseLimits>;
  authorId?: string | null;
  onProgress?: (job: ImportJob) => void;
}

const FAQ_SHEET = /\.(csv|tsv|xlsx)$/i;

/** Creates the job row; `runImport` then fills it in as files are processed. */
export async function createImportJob(ctx: UseCaseContext, workspace: Workspace, total: number): Promise<ImportJob> {
  const now = ctx.clock.now().toISOString();
  const job: ImportJob = {
    id: ctx.ids.next(),
    workspaceId: workspace.id,
    status: 'running',
    total,
    processed: 0,
    summary: { created: 0, updated: 0, unchanged: 0, removed: 0, failed: 0, chunks: 0 },
    errors: [],
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
  await ctx.store.documents.saveJob(job, true);
  return job;
}

/**
 * Imports files into the knowledge base, one at a time, reporting progress after each. JSONL files and
 * CSV/XLSX sheets with question and answer columns become FAQ entries; everything else becomes a
 * document split into chunks. A file that cannot be read is reported with its code and the rest go
 * on. Re-importing is incremental: an unchanged file is skipped, a changed one keeps the chunks whose
 * content did not change, and chunks (and, with `prunePrefix`, documents) that disappeared are removed.
 */
export async function runImport(
  ctx: UseCaseContext,
  workspace: Workspace,
  job: ImportJob,
  files: readonly ImportFile[],
  opts: ImportOptions = {},
): Promise<ImportJob> {
  const seen = new Set<string>();
  const progress = async () => {
    job.updatedAt = ctx.clock.now().toISOString();
    await ctx.store.documents.saveJob(job, false);
    await ctx.bus.publish([{ type: 'import.progressed', workspaceId: workspace.id, job: { ...job } }]);
    opts.onProgress?.(job);
  };
  try {
    for (const file of files) {
      seen.add(file.source);
      try {
        await importOne(ctx, workspace, job, file, opts);
      } catch (err) {
        ctx.log.error({ err, source: file.source }, 'import of a file failed');
        job.summary.failed++;
        job.errors.push({ file: file.source, code: 'IMPORT_FAILED', message: 'the file could not be stored; see the server log' });
      }
      job.processed++;
      await progress();
      // Let requests in between files: a long import must not stall the bot.
      await new Promise((r) => setImmediate(r));
    }
    if (opts.prunePrefix) {
      for (const d of await ctx.store.documents.list(workspace.id)) {
        if (d.source.startsWith(opts.prunePrefix) && !seen.has(d.source)) {
          await ctx.store.documents.delete(workspace.id, d.id);
          job.summary.removed++;
        }
      }
    }
    // Rebuild before reporting `done`: a finished import is searchable.
    await ctx.bus.publish([{ type: 'knowledge.changed', workspaceId: workspace.id }]);
    job.status = 'done';
  } catch (err) {
    ctx.log.error({ err, jobId: job.id }, 'import job failed');
    job.status = 'failed';
    // What was stored before the failure is still made searchable.
    await ctx.bus.publish([{ type: 'knowledge.changed', workspaceId: workspace.id }]).catch(() => undefined);
  }
  job.finishedAt = ctx.clock.now().toISOString();
  await progress();
  return job;
}

async function importOne(ctx: UseCaseContext, workspace: Workspace, job: ImportJob, file: ImportFile, opts: ImportOptions) {
  const fail = (code: string, message: string) => {
    job.summary.failed++;
    job.errors.push({ file: file.source, code, message });
  };
  if (/\.(jsonl|ndjson)$/i.test(file.name)) {
    const r = await importFaq(ctx, workspace, new TextDecoder().decode(file.bytes), 'jsonl', { authorId: opts.authorId ?? null, notify: false });
    return countFaqImport(job, file, r);
  }
  if (FAQ_SHEET.test(file.name)) {
    const sheet = await parseFaqSheet(
      { name: file.name, bytes: file.bytes, ...(file.mimeType ? { mimeType: file.mimeType } : {}) },
      opts.limits ? { limits: opts.limits } : {},
    );
    if (!isParseFailure(sheet)) {
      const jsonl = sheet.rows
        .map((r) => JSON.stringify({ id: r.id, question: r.question, answer: r.answer, similar: r.similar, category: r.category }))
        .join('\n');
      const r = await importFaq(ctx, workspace, jsonl, 'jsonl', { authorId: opts.authorId ?? null, notify: false });
      for (const issue of sheet.issues) job.errors.push({ file: `${file.source}:${issue.line}`, code: issue.code, message: issue.message });
      return countFaqImport(job, file, r);
    }
    // Not an FAQ sheet (no question/answer columns): import it as a table document below.
    if (sheet.code !== 'SHEET_COLUMNS_MISSING') return fail(sheet.code, sheet.message);
  }

  const sourceHash = hashSource(file.bytes);
  const existing = await ctx.store.documents.findBySource(workspace.id, file.source);
  if (existing && existing.sourceHash === sourceHash) {
    job.summary.unchanged++;
    return;
  }
  const parsed = await parseDocument({ name: file.name, bytes: file.bytes, ...(file.mimeType ? { mimeType: file.mimeType } : {}) }, opts.limits);
  if (isParseFailure(parsed)) return fail(parsed.code, parsed.message);
  const chunks = chunkDocument(parsed);
  if (chunks.length === 0) return fail('NO_TEXT_FOUND', 'the file holds no text to index');

  const now = ctx.clock.now().toISOString();
  const doc: KnowledgeDocument = {
    id: existing?.id ?? ctx.ids.next(),
    workspaceId: workspace.id,
    source: file.source,
    title: parsed.title || file.name,
    format: parsed.format,
    sourceHash,
    chunkCount: chunks.length,
    audience: opts.audience ?? existing?.audience ?? 'public',
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  const old = existing ? await ctx.store.documents.chunksOf(workspace.id, doc.id) : [];
  const oldByHash = new Map(old.map((c) => [c.hash, c]));
  const keep: string[] = [];
  const add: DocumentChunk[] = [];
  for (const c of chunks) {
    const same = oldByHash.get(c.hash);
    if (same && same.index === c.index) {
      keep.push(same.id);
      oldByHash.delete(c.hash);
    } else {
      add.push({
        id: ctx.ids.next(),
        workspaceId: workspace.id,
        documentId: doc.id,
        index: c.index,
        text: c.text,
        headingPath: c.headingPath,
        hash: c.hash,
        createdAt: now,
      });
    }
  }
  await ctx.store.transaction(async (tx) => {
    await tx.documents.save(doc, !existing);
    await tx.documents.replaceChunks(workspace.id, doc.id, keep, add);
  });
  job.summary.chunks += add.length;
  if (existing) job.summary.updated++;
  else job.summary.created++;
}

function countFaqImport(job: ImportJob, file: ImportFile, r: Awaited<ReturnType<typeof importFaq>>) {
  job.summary.created += r.created;
  job.summary.updated += r.updated;
  job.summary.unchanged += r.unchanged;
  job.summary.failed += r.failed;
  for (const e of r.errors) job.errors.push({ file: `${file.source}:${e.line}`, code: 'FAQ_LINE_INVALID', message: e.message });
}
