import { createInterface } from 'node:readline';
import type { AppDeps } from '../deps.js';
import type { Workspace } from '../domain/entities.js';
import { postInboundMessage } from '../usecases/post-inbound-message.js';
import { startConversation } from '../usecases/start-conversation.js';
import { findWorkspace, openDeps } from './open-deps.js';

const INTENT_OF_DECISION: Record<string, string | null> = { handoff: 'handoff.request', answer: 'faq', fallback: null };

/**
 * Terminal chat. Each stdin line is a customer message in one conversation; an empty line starts a new
 * one. `--json` prints one JSON object per bot reply, for scripts and evaluation.
 */
export async function runChat(opts: { workspace: string; json?: boolean }) {
  const deps = await openDeps();
  const json = Boolean(opts.json);
  const interactive = !json && process.stdin.isTTY;
  try {
    const ws = await findWorkspace(deps, opts.workspace);
    let conversationId: string | null = null;
    // In a terminal readline echoes what the customer types; piped input is read silently.
    const rl = createInterface({ input: process.stdin, ...(interactive ? { output: process.stdout } : {}), terminal: interactive });
    if (interactive) {
      process.stdout.write(`kefu chat — ${ws.name}. Type a message; an empty line starts a new conversation; Ctrl+D quits.\n> `);
    }
    for await (const raw of rl) {
      const line = raw.trim();
      if (!line) {
        conversationId = null;
        if (interactive) process.stdout.write('— new conversation —\n> ');
        continue;
      }
      conversationId ??= await newConversation(deps, ws);
      try {
        const r = await postInboundMessage(deps.ctx, { workspace: ws, conversationId, text: line });
        printReplies(r, conversationId, json, interactive);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (json) process.stdout.write(`${JSON.stringify({ conversationId, error: message })}\n`);
        else process.stderr.write(`error: ${message}\n`);
      }
      if (interactive) process.stdout.write('> ');
    }
  } finally {
    await deps.close();
  }
}

async function newConversation(deps: AppDeps, ws: Workspace) {
  const { conversation } = await startConversation(deps.ctx, { workspace: ws, channel: 'cli' });
  return conversation.id;
}

function printReplies(r: Awaited<ReturnType<typeof postInboundMessage>>, conversationId: string, json: boolean, interactive: boolean) {
  if (!r.turn) {
    // A person owns the conversation: the bot stays silent.
    if (json)
      process.stdout.write(
        `${JSON.stringify({ conversationId, kind: 'silent', text: '', sources: [], confidence: null, language: null, intent: null, status: r.conversation.status })}\n`,
      );
    else process.stdout.write(`(${r.conversation.status}: waiting for an agent)\n`);
    return;
  }
  const { decision, language } = r.turn;
  for (const reply of r.replies) {
    const sources = reply.parts.flatMap((p) => (p.type === 'sources' ? p.sources.map((s) => ({ id: s.externalId ?? s.id, title: s.title })) : []));
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ conversationId, kind: decision.kind, text: reply.text, sources, confidence: decision.confidence, language, intent: INTENT_OF_DECISION[decision.kind] ?? null })}\n`,
      );
    } else {
      const meta = `[${decision.kind}${decision.confidence !== null ? ` ${decision.confidence.toFixed(2)}` : ''}${sources[0] ? ` · ${sources[0].id}` : ''}]`;
      process.stdout.write(`${interactive ? '\x1b[36m' : ''}bot${interactive ? '\x1b[0m' : ''} ${reply.text}\n    ${meta}\n`);
    }
  }
}
