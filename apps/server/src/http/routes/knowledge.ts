import {
  CreateFaqBody,
  CreateImportBody,
  DictionaryBody,
  DictionaryWord,
  FaqEntry,
  FaqPage,
  FaqReview,
  FaqSaveResponse,
  FaqVersion,
  IdParams,
  ImportJob,
  KnowledgeDocument,
  KnowledgeSearchBody,
  KnowledgeSearchResponse,
  ListFaqQuery,
  RestoreFaqBody,
  SynonymBody,
  SynonymGroup,
  UpdateFaqBody,
} from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import type { FaqEntry as FaqEntity, SynonymGroup as SynonymEntity } from '../../domain/entities.js';
import { notFound } from '../../domain/errors.js';
import type { FaqQuality as FaqQualityValue } from '../../domain/faq-quality.js';
import { retrieveKnowledge } from '../../engine/retrieve-knowledge.js';
import { DEFAULT_ANSWER_THRESHOLD } from '../../engine/run-turn.js';
import { createImportJob, runImport } from '../../usecases/import-documents.js';
import { archiveFaq, createFaq, getFaq, listFaqs, listFaqVersions, qualityOf, restoreFaqVersion, reviewFaqs, updateFaq } from '../../usecases/manage-faq.js';
import { addDictionaryWords, deleteDictionaryWord, deleteSynonyms, listDictionary, listSynonyms, saveSynonyms } from '../../usecases/manage-vocabulary.js';
import { requireRole } from '../plugins/auth.js';

const security = [{ bearer: [] }];
const tags = ['knowledge'];

const faqDto = (e: FaqEntity, quality?: FaqQualityValue): FaqEntry => {
  const { workspaceId: _w, ...rest } = e;
  return quality ? { ...rest, quality } : rest;
};
const synonymDto = (g: SynonymEntity) => ({ id: g.id, terms: g.terms, createdAt: g.createdAt, updatedAt: g.updatedAt });

/** Knowledge management: FAQ entries with versions, search, synonyms and the user dictionary. */
export const knowledgeRoutes =
  ({ ctx, trackInFlight, config }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/knowledge/faqs',
      { schema: { tags, security, querystring: ListFaqQuery, response: { 200: FaqPage } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => {
        const page = await listFaqs(ctx, req.principal!, req.query);
        const quality = await qualityOf(ctx, req.principal!.workspaceId, page.items);
        return { items: page.items.map((e) => faqDto(e, quality.get(e.id))), nextCursor: page.nextCursor };
      },
    );
    app.post(
      '/v1/knowledge/faqs',
      { schema: { tags, security, body: CreateFaqBody, response: { 201: FaqSaveResponse } }, onRequest: requireRole(ctx, 'admin') },
      async (req, reply) => {
        const r = await createFaq(ctx, req.principal!, req.body);
        return reply.status(201).send({ entry: faqDto(r.entry), warnings: r.warnings });
      },
    );
    app.get(
      '/v1/knowledge/faqs/:id',
      { schema: { tags, security, params: IdParams, response: { 200: FaqEntry } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => {
        const entry = await getFaq(ctx, req.principal!.workspaceId, req.params.id);
        return faqDto(entry, (await qualityOf(ctx, entry.workspaceId, [entry])).get(entry.id));
      },
    );
    app.get(
      '/v1/knowledge/review',
      {
        schema: { tags, summary: 'Entries flagged for review: unhelpful, unused or expired', security, response: { 200: FaqReview } },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => ({ items: (await reviewFaqs(ctx, req.principal!.workspaceId)).map(({ entry, quality }) => faqDto(entry, quality)) }),
    );
    app.patch(
      '/v1/knowledge/faqs/:id',
      {
        schema: {
          tags,
          summary: 'Edit an entry; send the version you started from',
          security,
          params: IdParams,
          body: UpdateFaqBody,
          response: { 200: FaqSaveResponse },
        },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req) => {
        const r = await updateFaq(ctx, req.principal!, req.params.id, req.body);
        return { entry: faqDto(r.entry), warnings: r.warnings };
      },
    );
    app.delete(
      '/v1/knowledge/faqs/:id',
      {
        schema: { tags, summary: 'Archive an entry (history is kept)', security, params: IdParams, response: { 200: FaqEntry } },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req) => faqDto(await archiveFaq(ctx, req.principal!, req.params.id)),
    );
    app.get(
      '/v1/knowledge/faqs/:id/versions',
      { schema: { tags, security, params: IdParams, response: { 200: z.object({ items: z.array(FaqVersion) }) } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => ({
        items: (await listFaqVersions(ctx, req.principal!.workspaceId, req.params.id)).map((v) => ({
          version: v.version,
          change: v.change,
          authorId: v.authorId,
          createdAt: v.createdAt,
          snapshot: v.snapshot,
          diff: v.diff,
        })),
      }),
    );
    app.post(
      '/v1/knowledge/faqs/:id/restore',
      {
        schema: {
          tags,
          summary: 'Restore an earlier version (as a new version)',
          security,
          params: IdParams,
          body: RestoreFaqBody,
          response: { 200: FaqEntry },
        },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req) => faqDto(await restoreFaqVersion(ctx, req.principal!, req.params.id, req.body.version)),
    );

    app.post(
      '/v1/knowledge/search',
      {
        schema: {
          tags,
          summary: 'Search the published knowledge, with scores and why each hit matched',
          security,
          body: KnowledgeSearchBody,
          response: { 200: KnowledgeSearchResponse },
        },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => {
        const ws = await ctx.store.workspaces.findById(req.principal!.workspaceId);
        const threshold = ws?.settings.answerThreshold ?? DEFAULT_ANSWER_THRESHOLD;
        const t0 = performance.now();
        const r = await retrieveKnowledge(ctx.retrieval, req.principal!.workspaceId, req.body.query, req.body.k, {
          audience: req.body.audience,
          now: ctx.clock.now(),
        });
        const tookMs = Math.round((performance.now() - t0) * 1000) / 1000;
        return {
          hits: r.hits.map((h) => ({
            entry: {
              id: h.entry.id,
              externalId: h.entry.externalId,
              question: h.entry.question,
              answer: h.entry.answer,
              category: h.entry.category,
              audience: h.entry.audience,
              kind: h.entry.kind,
              ...(h.entry.source ? { source: h.entry.source } : {}),
            },
            score: h.score,
            confidence: h.confidence,
            ...(h.similarity === undefined ? {} : { similarity: h.similarity }),
            ...(h.rerankScore === undefined ? {} : { rerankScore: h.rerankScore }),
            ...(h.ranks ? { ranks: h.ranks } : {}),
            coverage: h.coverage,
            questionCoverage: h.questionCoverage,
            matched: h.matched,
          })),
          confidence: r.confidence,
          answerable: r.hits.length > 0 && r.confidence >= threshold,
          threshold,
          queryTerms: r.queryTerms,
          expandedTerms: r.expandedTerms ?? [],
          dense: r.dense,
          rerank: r.rerank,
          tookMs,
        };
      },
    );

    app.get(
      '/v1/knowledge/synonyms',
      { schema: { tags, security, response: { 200: z.object({ items: z.array(SynonymGroup) }) } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => ({ items: (await listSynonyms(ctx, req.principal!)).map(synonymDto) }),
    );
    app.post(
      '/v1/knowledge/synonyms',
      {
        schema: { tags, summary: 'Add a synonym group (退货 = 退换货)', security, body: SynonymBody, response: { 201: SynonymGroup } },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req, reply) => reply.status(201).send(synonymDto(await saveSynonyms(ctx, req.principal!, req.body.terms))),
    );
    app.put(
      '/v1/knowledge/synonyms/:id',
      { schema: { tags, security, params: IdParams, body: SynonymBody, response: { 200: SynonymGroup } }, onRequest: requireRole(ctx, 'admin') },
      async (req) => synonymDto(await saveSynonyms(ctx, req.principal!, req.body.terms, req.params.id)),
    );
    app.delete(
      '/v1/knowledge/synonyms/:id',
      { schema: { tags, security, params: IdParams, response: { 204: z.null() } }, onRequest: requireRole(ctx, 'admin') },
      async (req, reply) => {
        await deleteSynonyms(ctx, req.principal!, req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/knowledge/dictionary',
      { schema: { tags, security, response: { 200: z.object({ items: z.array(DictionaryWord) }) } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => ({ items: (await listDictionary(ctx, req.principal!)).map((w) => ({ word: w.word, createdAt: w.createdAt })) }),
    );
    app.post(
      '/v1/knowledge/dictionary',
      {
        schema: {
          tags,
          summary: 'Add words the text analyser must keep whole (product names, SKUs)',
          security,
          body: DictionaryBody,
          response: { 200: z.object({ added: z.array(z.string()) }) },
        },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req) => ({ added: (await addDictionaryWords(ctx, req.principal!, req.body.words)).map((w) => w.word) }),
    );
    app.delete(
      '/v1/knowledge/dictionary/:word',
      { schema: { tags, security, params: z.object({ word: z.string().min(1).max(50) }), response: { 204: z.null() } }, onRequest: requireRole(ctx, 'admin') },
      async (req, reply) => {
        await deleteDictionaryWord(ctx, req.principal!, req.params.word);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/knowledge/imports',
      {
        schema: {
          tags,
          summary: 'Import files (Markdown, HTML, PDF, DOCX, TXT, CSV/XLSX FAQ sheets, JSONL); answers at once with a job to poll',
          security,
          body: CreateImportBody,
          response: { 202: ImportJob },
        },
        // Base64 adds a third; room for several files at the per-file limit.
        bodyLimit: Math.max(50, config.IMPORT_MAX_FILE_MB * 14) * 1024 * 1024,
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req, reply) => {
        const p = req.principal!;
        const workspace = (await ctx.store.workspaces.findById(p.workspaceId))!;
        const files = req.body.files.map((f) => ({
          source: f.name,
          name: f.name,
          bytes: Buffer.from(f.contentBase64, 'base64'),
          ...(f.mimeType ? { mimeType: f.mimeType } : {}),
        }));
        const job = await createImportJob(ctx, workspace, files.length);
        // The import goes on after the response; shutdown waits for it like for a bot turn.
        void trackInFlight(() =>
          runImport(ctx, workspace, job, files, {
            audience: req.body.audience,
            authorId: p.kind === 'member' ? p.member.id : null,
            limits: { maxBytes: config.IMPORT_MAX_FILE_MB * 1024 * 1024 },
          }),
        );
        const { workspaceId: _w, ...dto } = job;
        return reply.status(202).send(dto);
      },
    );
    app.get(
      '/v1/knowledge/imports/:id',
      {
        schema: { tags, summary: 'Progress and per-file errors of an import', security, params: IdParams, response: { 200: ImportJob } },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => {
        const job = await ctx.store.documents.findJob(req.principal!.workspaceId, req.params.id);
        if (!job) throw notFound('import', req.params.id);
        const { workspaceId: _w, ...dto } = job;
        return dto;
      },
    );
    app.get(
      '/v1/knowledge/documents',
      {
        schema: {
          tags,
          summary: 'Imported documents, and the per-file import limit so clients can check files before uploading',
          security,
          response: { 200: z.object({ items: z.array(KnowledgeDocument), limits: z.object({ maxFileMb: z.number().int() }) }) },
        },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => ({
        items: (await ctx.store.documents.list(req.principal!.workspaceId)).map(({ workspaceId: _w, sourceHash: _h, ...d }) => d),
        limits: { maxFileMb: config.IMPORT_MAX_FILE_MB },
      }),
    );
    app.delete(
      '/v1/knowledge/documents/:id',
      { schema: { tags, security, params: IdParams, response: { 204: z.null() } }, onRequest: requireRole(ctx, 'admin') },
      async (req, reply) => {
        const ws = req.principal!.workspaceId;
        if (!(await ctx.store.documents.findById(ws, req.params.id))) throw notFound('document', req.params.id);
        await ctx.store.documents.delete(ws, req.params.id);
        await ctx.bus.publish([{ type: 'knowledge.changed', workspaceId: ws }]);
        return reply.status(204).send(null);
      },
    );
  };
