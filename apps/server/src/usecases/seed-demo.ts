import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Workspace, WorkspaceSettings } from '../domain/entities.js';
import type { UseCaseContext } from './context.js';
import { createWorkspace } from './create-workspace.js';
import { importFaq } from './import-faq.js';
import { saveAction } from './manage-actions.js';
import { checkVariables } from './manage-canned-replies.js';
import { saveFlow } from './manage-flows.js';
import { type IntentInput, importIntents } from './manage-intents.js';
import { startIntentTraining } from './train-intents.js';

export const DEMO_DIR = fileURLToPath(new URL('../../../../examples/demo-shop/', import.meta.url));
export const DEMO_ADMIN_EMAIL = 'admin@demo.kefu.local';

export interface DemoSeed {
  workspace: Workspace;
  adminEmail: string;
  /** Known only when this start created the admin, or from `<DATA_DIR>/demo-admin.txt` later. */
  adminPassword: string | null;
  created: boolean;
}

/**
 * Creates the bilingual demo shop on first start: workspace, FAQ knowledge and an owner whose password
 * is generated and kept in `<DATA_DIR>/demo-admin.txt` (mode 0600) so later starts can show it again.
 */
export async function seedDemo(ctx: UseCaseContext, dataDir: string, opts: { trainIntents?: boolean; shopApiUrl?: string } = {}): Promise<DemoSeed> {
  const credentialsFile = join(dataDir, 'demo-admin.txt');
  const existing = await ctx.store.workspaces.findBySlug('demo');
  if (existing) {
    if (opts.shopApiUrl) await seedDemoDialogue(ctx, existing.id, opts.shopApiUrl);
    const saved = existsSync(credentialsFile) ? readFileSync(credentialsFile, 'utf8').trim() : null;
    return { workspace: existing, adminEmail: DEMO_ADMIN_EMAIL, adminPassword: saved, created: false };
  }
  const meta = JSON.parse(readFileSync(join(DEMO_DIR, 'workspace.json'), 'utf8')) as { name: string } & WorkspaceSettings;
  const password = randomBytes(9).toString('base64url');
  const { workspace } = await createWorkspace(ctx, {
    slug: 'demo',
    name: meta.name,
    settings: {
      ...(meta.greeting ? { greeting: meta.greeting } : {}),
      ...(meta.suggestions ? { suggestions: meta.suggestions } : {}),
      ...(meta.entities ? { entities: meta.entities } : {}),
    },
    owner: { email: DEMO_ADMIN_EMAIL, name: 'Demo Admin 演示管理员', password },
  });
  const result = await importFaq(ctx, workspace, readFileSync(join(DEMO_DIR, 'faqs.jsonl'), 'utf8'), 'jsonl');
  ctx.log.info({ created: result.created, failed: result.failed }, 'demo knowledge imported');
  if (opts.shopApiUrl) await seedDemoDialogue(ctx, workspace.id, opts.shopApiUrl);
  await seedDemoIntents(ctx, workspace.id, opts.trainIntents ?? false);
  await seedDemoCannedReplies(ctx, workspace.id);
  writeFileSync(credentialsFile, `${password}\n`, { mode: 0o600 });
  return { workspace, adminEmail: DEMO_ADMIN_EMAIL, adminPassword: password, created: true };
}

/**
 * The demo's actions (pointed at the order API started with this process, on every start) and its
 * flows (created when missing; flows an admin edited are left alone).
 */
async function seedDemoDialogue(ctx: UseCaseContext, workspaceId: string, shopApiUrl: string) {
  const doc = parseYaml(readFileSync(join(DEMO_DIR, 'actions.yaml'), 'utf8')) as {
    actions: ({ key: string; description?: string; path: string; llmTool?: boolean } & Record<string, unknown>)[];
  };
  for (const { key, description, path, llmTool, ...config } of doc.actions) {
    await saveAction(
      ctx,
      { workspaceId },
      { key, kind: 'http', ...(description ? { description } : {}), llmTool: llmTool === true, config: { ...config, url: `${shopApiUrl}${path}` } },
    );
  }
  const dir = join(DEMO_DIR, 'flows');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const source = readFileSync(join(dir, file), 'utf8');
    const key = (parseYaml(source) as { key: string }).key;
    if (!(await ctx.store.flows.findByKey(workspaceId, key))) await saveFlow(ctx, { workspaceId }, { source });
  }
}

/** The demo's intents (examples/demo-shop/intents.yaml), FAQ links resolved; trained in the background when asked. */
async function seedDemoIntents(ctx: UseCaseContext, workspaceId: string, train: boolean) {
  const doc = parseYaml(readFileSync(join(DEMO_DIR, 'intents.yaml'), 'utf8')) as {
    intents: { name: string; description?: string; examples: string[]; flow?: string; faq?: string; action?: 'handoff' }[];
  };
  const items: IntentInput[] = [];
  for (const i of doc.intents) {
    // A flow when the demo's flows are there (they need the order API), else the FAQ entry.
    const flow = i.flow ? await ctx.store.flows.findByKey(workspaceId, i.flow) : null;
    const faq = i.faq ? await ctx.store.faqs.findByExternalId(workspaceId, i.faq) : null;
    items.push({
      name: i.name,
      examples: i.examples,
      ...(i.description ? { description: i.description } : {}),
      action: flow ? { kind: 'flow', flowId: flow.id } : faq ? { kind: 'faq', faqId: faq.id } : i.action === 'handoff' ? { kind: 'handoff' } : null,
    });
  }
  await importIntents(ctx, workspaceId, items);
  if (train) {
    const { done } = await startIntentTraining(ctx, workspaceId);
    void done;
  }
}

/** The demo's shared canned replies (examples/demo-shop/canned-replies.yaml), in zh-CN, zh-TW and en. */
async function seedDemoCannedReplies(ctx: UseCaseContext, workspaceId: string) {
  const doc = parseYaml(readFileSync(join(DEMO_DIR, 'canned-replies.yaml'), 'utf8')) as {
    cannedReplies: { shortcut: string; title: string; body: string; language?: 'zh-CN' | 'zh-TW' | 'en' }[];
  };
  const now = ctx.clock.now().toISOString();
  for (const r of doc.cannedReplies) {
    checkVariables(r.body);
    await ctx.store.cannedReplies.save(
      {
        id: ctx.ids.next(),
        workspaceId,
        ownerId: null,
        shortcut: r.shortcut,
        title: r.title,
        body: r.body,
        language: r.language ?? null,
        useCount: 0,
        createdBy: null,
        createdAt: now,
        updatedAt: now,
      },
      true,
    );
  }
}
