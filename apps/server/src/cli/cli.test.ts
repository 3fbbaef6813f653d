import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../../..');
const KEFU = join(ROOT, 'apps/server/bin/kefu.js');
let dir: string;
let env: NodeJS.ProcessEnv;

const kefu = (args: string[], input?: string) => spawnSync(process.execPath, [KEFU, ...args], { env, input, encoding: 'utf8', timeout: 60_000 });

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts/ensure-built.mjs'), '@kefu/protocol', '@kefu/server'], { stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'kefu-cli-'));
  env = { PATH: process.env.PATH, DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, DEMO: 'false' };
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kefu CLI', () => {
  it('migrates, creates a workspace, imports FAQs, and chats as JSON lines', () => {
    expect(kefu(['migrate']).stdout).toMatch(/applied: 0001-foundation/);
    expect(kefu(['migrate']).stdout).toMatch(/up to date/);

    const created = kefu(['workspace', 'create', 'shop', '--name', '小店']);
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/widget key: kfw_/);

    const csv = join(dir, 'faq.csv');
    writeFileSync(
      csv,
      [
        'id,question,answer,similar,category',
        'f1,运费怎么算？,满99元包邮，不满收8元。,邮费多少|包邮吗,shipping',
        'f2,How do I get a refund?,Open the order and tap Refund.,"[""money back"",""refund please""]",returns',
        'f3,,missing question,,x',
        'f4,发票怎么开？,确认收货后在订单详情申请电子发票。,开票|要发票,invoices',
      ].join('\n'),
    );
    const imported = kefu(['import-faq', '--workspace', 'shop', csv]);
    expect(imported.stdout).toContain('created 3, updated 0, unchanged 0, failed 1');
    expect(imported.stderr).toMatch(/faq\.csv:4: question/);
    expect(imported.status).toBe(1);
    expect(kefu(['import-faq', '--workspace', 'shop', csv]).stdout).toContain('created 0, updated 0, unchanged 3, failed 1');

    const chat = kefu(['chat', '--workspace', 'shop', '--json'], '运费怎么算\nhow can I get my money back\n\n转人工\n发票怎么开\n');
    expect(chat.status).toBe(0);
    const lines = chat.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.kind)).toEqual(['answer', 'answer', 'handoff', 'silent']);
    expect(lines[0]).toMatchObject({ sources: [{ id: 'f1', title: '运费怎么算？' }], language: 'zh-Hans', intent: 'faq' });
    expect(lines[0].confidence).toBeGreaterThan(0.35);
    expect(lines[1]).toMatchObject({ sources: [{ id: 'f2' }], language: 'en' });
    expect(lines[0].conversationId).toBe(lines[1].conversationId);
    expect(lines[2].conversationId).not.toBe(lines[1].conversationId);
    expect(lines[2]).toMatchObject({ kind: 'handoff', intent: 'handoff.request' });
    expect(lines[3].conversationId).toBe(lines[2].conversationId);
  });

  it('fails clearly on an unknown workspace, file or format, and on bad configuration', () => {
    const unknown = kefu(['chat', '--workspace', 'nope', '--json'], 'hi\n');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no workspace "nope"');
    expect(kefu(['import-faq', '--workspace', 'shop', join(dir, 'missing.csv')]).stderr).toContain('cannot read');
    expect(kefu(['import-faq', '--workspace', 'shop', join(dir, 'faq.txt')]).stderr).toContain('--format');
    const badEnv = spawnSync(process.execPath, [KEFU, 'migrate'], { env: { ...env, PORT: 'eighty' }, encoding: 'utf8' });
    expect(badEnv.status).toBe(2);
    expect(badEnv.stderr).toContain('PORT');
  });

  it('keeps a second copy on its own database', () => {
    const other = { ...env, DATABASE_URL: `sqlite:${join(dir, 'second.db')}` };
    const r = spawnSync(process.execPath, [KEFU, 'chat', '--workspace', 'shop', '--json'], { env: other, input: 'hi\n', encoding: 'utf8' });
    expect(r.stderr).toContain('no workspace "shop"');
  });

  it('imports a folder with progress, skips what is unchanged, prunes what was removed, and answers from it', () => {
    const folder = join(dir, 'manuals');
    mkdirSync(join(folder, 'x9'), { recursive: true });
    writeFileSync(join(folder, 'x9', 'filter.md'), '# X9 滤网\n\n滤网不能水洗，建议每三个月更换一次。\n');
    writeFileSync(join(folder, 'warranty.html'), '<main><h1>保修</h1><p>整机保修两年。</p></main>');
    writeFileSync(join(folder, 'broken.pdf'), '%PDF-1.4 garbage');
    writeFileSync(join(folder, '.hidden.md'), '# secret');
    const first = kefu(['import', folder, '--workspace', 'shop']);
    expect(first.stdout).toContain('created 2, updated 0, unchanged 0, removed 0, failed 1');
    expect(first.stderr).toMatch(/\[3\/3\]/);
    expect(first.stderr).toMatch(/manuals\/broken\.pdf: PDF_CORRUPT/);
    expect(first.status).toBe(1);

    rmSync(join(folder, 'broken.pdf'));
    expect(kefu(['import', folder, '--workspace', 'shop']).stdout).toContain('created 0, updated 0, unchanged 2, removed 0, failed 0');
    rmSync(join(folder, 'warranty.html'));
    const pruned = kefu(['import', folder, '--workspace', 'shop', '--prune']);
    expect(pruned.stdout).toContain('unchanged 1, removed 1, failed 0');
    expect(pruned.status).toBe(0);

    const chat = kefu(['chat', '--workspace', 'shop', '--json'], '滤网可以水洗吗\n');
    const line = JSON.parse(chat.stdout.trim());
    expect(line).toMatchObject({ kind: 'answer' });
    expect(line.text).toContain('不能水洗');
    expect(kefu(['import', join(dir, 'nope'), '--workspace', 'shop']).stderr).toContain('cannot read');
  });
});
