import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../domain/entities.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { createWorkspace } from './create-workspace.js';
import { importFaq } from './import-faq.js';

let s: TestServer;
let ws: Workspace;
beforeAll(async () => {
  s = await startTestServer({ demo: false });
  ws = (await createWorkspace(s.deps.ctx, { slug: 'imp', name: 'Import' })).workspace;
});
afterAll(async () => {
  await s.close();
});

describe('importFaq', () => {
  it('imports CSV with | or JSON-array similar questions and answers from it at once', async () => {
    const csv = [
      'id,question,answer,similar,category',
      'f1,运费怎么算？,满99元包邮。,邮费多少|包邮吗,shipping',
      'f2,"How do I get a refund?","Open the order, then tap Refund.","[""refund please"",""money back""]",returns',
    ].join('\n');
    const r = await importFaq(s.deps.ctx, ws, csv, 'csv');
    expect(r).toMatchObject({ created: 2, failed: 0 });
    expect(s.deps.ctx.knowledge.search(ws.id, '邮费多少钱', 3).hits[0]?.entry.externalId).toBe('f1');
    const entries = await s.deps.ctx.store.faqs.listPublished(ws.id);
    expect(entries.find((e) => e.externalId === 'f2')).toMatchObject({ similar: ['refund please', 'money back'], language: 'en' });
  });

  it('is idempotent by id: a second import changes nothing, an edit updates', async () => {
    const line = (answer: string) => `${JSON.stringify({ id: 'j1', question: '怎么开发票', answer, similar: ['开票'] })}\n`;
    expect(await importFaq(s.deps.ctx, ws, line('订单详情里申请'), 'jsonl')).toMatchObject({ created: 1 });
    expect(await importFaq(s.deps.ctx, ws, line('订单详情里申请'), 'jsonl')).toMatchObject({ created: 0, unchanged: 1 });
    expect(await importFaq(s.deps.ctx, ws, line('在「我的 > 发票」申请'), 'jsonl')).toMatchObject({ updated: 1 });
    expect(s.deps.ctx.knowledge.search(ws.id, '怎么开发票', 1).hits[0]?.entry.answer).toContain('我的 > 发票');
  });

  it('reports bad lines by number and imports the rest', async () => {
    const jsonl = [
      JSON.stringify({ id: 'b1', question: '会员积分怎么用', answer: '100积分抵1元' }),
      '{not json',
      JSON.stringify({ id: 'b2', question: '', answer: 'x' }),
      JSON.stringify({ id: 'b3', question: '问题', answer: 'bad \ud800' }),
      JSON.stringify({ id: 'b1', question: '重复', answer: '重复' }),
      '',
      JSON.stringify({ id: 'b4', question: '优惠券怎么领', answer: '领券中心', similar: 'not-an-array' }),
      JSON.stringify({ id: 'b5', question: '发货时间', answer: '48小时内' }),
    ].join('\n');
    const r = await importFaq(s.deps.ctx, ws, jsonl, 'jsonl');
    expect(r.created).toBe(2);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 7]);
    expect(r.errors[0]?.message).toMatch(/JSON/);
    expect(r.errors[1]?.message).toMatch(/question/);
    expect(r.errors[3]?.message).toMatch(/duplicate id "b1" \(first on line 1\)/);
  });

  it('reports CSV rows without question or answer, and refuses a CSV without those columns', async () => {
    const r = await importFaq(s.deps.ctx, ws, 'id,question,answer\nc1,有问题,\nc2,退货地址在哪,请在订单详情查看退货地址\n', 'csv');
    expect(r).toMatchObject({ created: 1, failed: 1, errors: [{ line: 2 }] });
    await expect(importFaq(s.deps.ctx, ws, 'title,body\nx,y\n', 'csv')).rejects.toMatchObject({ code: 'IMPORT_COLUMN_MISSING' });
  });

  it('reads a CSV saved in GBK, with Chinese headers, as kefu import does', async () => {
    const csv = '编号,问题,答案,相似问\ng1,发票抬头怎么改,在订单详情修改发票抬头,改抬头|抬头写错了\n';
    const r = await importFaq(s.deps.ctx, ws, iconv.encode(csv, 'gbk'), 'csv');
    expect(r).toMatchObject({ created: 1, failed: 0 });
    const entry = await s.deps.ctx.store.faqs.findByExternalId(ws.id, 'g1');
    expect(entry).toMatchObject({ question: '发票抬头怎么改', similar: ['改抬头', '抬头写错了'] });
  });
});
