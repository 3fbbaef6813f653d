import type { CreateFaqBody, ListFaqQuery, UpdateFaqBody } from '@kefu/protocol';
import { snapshotOf } from '../adapters/db/repos/kysely-faq-repo.js';
import type { FaqEntry, FaqSnapshot, FaqVersion } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import { type FaqQuality, faqQuality } from '../domain/faq-quality.js';
import type { Repos } from '../ports/store.js';
import { detectLanguage } from '../text/detect-language.js';
import { foldForAnalysis, normalizeText } from '../text/normalize-text.js';
import type { Principal, UseCaseContext } from './context.js';
import { principalMemberId } from './context.js';

// FAQ entries: create, edit, archive, list, history and restore. Every change writes the entry and a
// version snapshot in one transaction and rebuilds the workspace's index after commit.

export interface FaqWarning {
  code: string;
  message: string;
  entryId?: string;
}

/** Writes the entry and its version row; the caller runs it inside a transaction. */
export async function writeFaqVersion(tx: Repos, ctx: UseCaseContext, entry: FaqEntry, change: FaqVersion['change'], isNew: boolean): Promise<void> {
  if (isNew) await tx.faqs.insert(entry);
  else if (!(await tx.faqs.update(entry))) {
    throw new DomainError('FAQ_VERSION_CONFLICT', `the entry changed while saving (it is no longer at version ${entry.version - 1}); reload and edit again`, {
      field: 'body.version',
    });
  }
  await tx.faqs.addVersion({
    id: ctx.ids.next(),
    workspaceId: entry.workspaceId,
    entryId: entry.id,
    version: entry.version,
    change,
    snapshot: snapshotOf(entry),
    authorId: entry.updatedBy,
    createdAt: entry.updatedAt,
  });
}

export const languageOfQuestion = (question: string): FaqEntry['language'] => {
  const l = detectLanguage(question).language;
  return l === 'zh-Hant' ? 'zh-TW' : l === 'en' ? 'en' : 'zh-CN';
};

const knowledgeChanged = (ctx: UseCaseContext, workspaceId: string) => ctx.bus.publish([{ type: 'knowledge.changed', workspaceId }]);

export async function createFaq(ctx: UseCaseContext, p: Principal, body: CreateFaqBody): Promise<{ entry: FaqEntry; warnings: FaqWarning[] }> {
  if (body.externalId && (await ctx.store.faqs.findByExternalId(p.workspaceId, body.externalId))) {
    throw new DomainError('FAQ_EXTERNAL_ID_TAKEN', 'another entry has this externalId', { field: 'body.externalId' });
  }
  const now = ctx.clock.now().toISOString();
  const entry: FaqEntry = {
    id: ctx.ids.next(),
    workspaceId: p.workspaceId,
    externalId: body.externalId ?? null,
    question: body.question,
    similar: body.similar,
    answer: body.answer,
    category: body.category ?? null,
    language: body.language ?? languageOfQuestion(body.question),
    status: body.status,
    tags: body.tags,
    variants: body.variants,
    validFrom: body.validFrom ?? null,
    validUntil: body.validUntil ?? null,
    audience: body.audience,
    version: 1,
    updatedBy: principalMemberId(p),
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.transaction((tx) => writeFaqVersion(tx, ctx, entry, 'created', true));
  await knowledgeChanged(ctx, p.workspaceId);
  return { entry, warnings: duplicateWarnings(ctx, entry) };
}

export async function updateFaq(ctx: UseCaseContext, p: Principal, id: string, body: UpdateFaqBody): Promise<{ entry: FaqEntry; warnings: FaqWarning[] }> {
  const current = await getFaq(ctx, p.workspaceId, id);
  if (body.version !== current.version) {
    throw new DomainError('FAQ_VERSION_CONFLICT', `the entry changed since version ${body.version} (now ${current.version}); reload and edit again`, {
      field: 'body.version',
    });
  }
  if (body.externalId && body.externalId !== current.externalId && (await ctx.store.faqs.findByExternalId(p.workspaceId, body.externalId))) {
    throw new DomainError('FAQ_EXTERNAL_ID_TAKEN', 'another entry has this externalId', { field: 'body.externalId' });
  }
  const { version: _v, ...changes } = body;
  const next = applyChanges(current, changes, ctx.clock.now().toISOString(), principalMemberId(p));
  if (next.validFrom && next.validUntil && next.validFrom >= next.validUntil) {
    throw new DomainError('VALIDATION_FAILED', 'validUntil must be after validFrom', { field: 'body.validUntil' });
  }
  await ctx.store.transaction((tx) =>
    writeFaqVersion(tx, ctx, next, next.status === 'archived' && current.status !== 'archived' ? 'archived' : 'updated', false),
  );
  await knowledgeChanged(ctx, p.workspaceId);
  return { entry: next, warnings: duplicateWarnings(ctx, next) };
}

/** Archiving keeps the entry and its history; the bot stops using it. */
export async function archiveFaq(ctx: UseCaseContext, p: Principal, id: string): Promise<FaqEntry> {
  const current = await getFaq(ctx, p.workspaceId, id);
  if (current.status === 'archived') return current;
  const next = applyChanges(current, { status: 'archived' }, ctx.clock.now().toISOString(), principalMemberId(p));
  await ctx.store.transaction((tx) => writeFaqVersion(tx, ctx, next, 'archived', false));
  await knowledgeChanged(ctx, p.workspaceId);
  return next;
}

/** Restoring writes a new version with the old content: history only ever grows. */
export async function restoreFaqVersion(ctx: UseCaseContext, p: Principal, id: string, version: number): Promise<FaqEntry> {
  const current = await getFaq(ctx, p.workspaceId, id);
  const target = (await ctx.store.faqs.listVersions(p.workspaceId, id)).find((v) => v.version === version);
  if (!target) throw new DomainError('FAQ_VERSION_NOT_FOUND', `entry has no version ${version}`, { field: 'body.version' });
  if (target.snapshot.externalId && target.snapshot.externalId !== current.externalId) {
    const other = await ctx.store.faqs.findByExternalId(p.workspaceId, target.snapshot.externalId);
    if (other && other.id !== id) throw new DomainError('FAQ_EXTERNAL_ID_TAKEN', 'another entry now has that version’s externalId');
  }
  const next = applyChanges(current, target.snapshot, ctx.clock.now().toISOString(), principalMemberId(p));
  await ctx.store.transaction((tx) => writeFaqVersion(tx, ctx, next, 'restored', false));
  await knowledgeChanged(ctx, p.workspaceId);
  return next;
}

export async function getFaq(ctx: UseCaseContext, workspaceId: string, id: string): Promise<FaqEntry> {
  const e = await ctx.store.faqs.findById(workspaceId, id);
  if (!e) throw notFound('faq', id);
  return e;
}

export function listFaqs(ctx: UseCaseContext, p: Principal, q: ListFaqQuery) {
  return ctx.store.faqs.list(p.workspaceId, {
    limit: q.limit,
    ...(q.status ? { status: q.status } : {}),
    ...(q.category ? { category: q.category } : {}),
    ...(q.tag ? { tag: q.tag } : {}),
    ...(q.audience ? { audience: q.audience } : {}),
    ...(q.q ? { text: q.q } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
  });
}

/** Versions newest first, each with the fields that changed against the one before it. */
export async function listFaqVersions(ctx: UseCaseContext, workspaceId: string, id: string) {
  await getFaq(ctx, workspaceId, id);
  const versions = await ctx.store.faqs.listVersions(workspaceId, id);
  return versions.map((v, i) => ({ ...v, diff: diffSnapshots(versions[i + 1]?.snapshot ?? null, v.snapshot) }));
}

export function diffSnapshots(before: FaqSnapshot | null, after: FaqSnapshot): { field: string; before: unknown; after: unknown }[] {
  const fields = Object.keys(after) as (keyof FaqSnapshot)[];
  return fields
    .filter((f) => JSON.stringify(before?.[f] ?? null) !== JSON.stringify(after[f] ?? null))
    .map((f) => ({ field: f, before: before?.[f] ?? null, after: after[f] ?? null }));
}

function applyChanges(current: FaqEntry, changes: Partial<FaqSnapshot>, now: string, authorId: string | null): FaqEntry {
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<FaqSnapshot>;
  return { ...current, ...defined, version: current.version + 1, updatedAt: now, updatedBy: authorId };
}

/**
 * The same question (after normalisation and Traditional/Simplified folding) in another published
 * entry is flagged, not refused: an editor may mean to split an answer by channel later.
 */
function duplicateWarnings(ctx: UseCaseContext, entry: FaqEntry): FaqWarning[] {
  const fold = (q: string) => foldForAnalysis(normalizeText(q)).replace(/[\s\p{P}]/gu, '');
  const mine = new Set([entry.question, ...entry.similar].map(fold));
  const hits = ctx.knowledge.search(entry.workspaceId, entry.question, 5, { audience: 'all' }).hits;
  return hits
    .filter((h) => h.entry.id !== entry.id && mine.has(fold(h.entry.question)))
    .map((h) => ({ code: 'FAQ_DUPLICATE_QUESTION', message: `the same question is in another entry: ${h.entry.question}`, entryId: h.entry.id }));
}

/** Answer counts, ratings and review flags of the given entries. */
export async function qualityOf(ctx: UseCaseContext, workspaceId: string, entries: readonly FaqEntry[]): Promise<Map<string, FaqQuality>> {
  const stats = await ctx.store.quality.stats(
    workspaceId,
    entries.map((e) => e.id),
  );
  const now = ctx.clock.now();
  return new Map(entries.map((e) => [e.id, faqQuality(e, stats.get(e.id), now)]));
}

const FLAG_ORDER = { unhelpful: 0, expired: 1, unused: 2 } as const;

/** Every non-archived entry with a review flag, the most urgent first. */
export async function reviewFaqs(ctx: UseCaseContext, workspaceId: string): Promise<{ entry: FaqEntry; quality: FaqQuality }[]> {
  const out: { entry: FaqEntry; quality: FaqQuality }[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.store.faqs.list(workspaceId, { status: ['published', 'draft'], limit: 200, ...(cursor ? { cursor } : {}) });
    const quality = await qualityOf(ctx, workspaceId, page.items);
    for (const entry of page.items) {
      const q = quality.get(entry.id)!;
      if (q.flags.length) out.push({ entry, quality: q });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out.sort((a, b) => FLAG_ORDER[a.quality.flags[0]!] - FLAG_ORDER[b.quality.flags[0]!]);
}
