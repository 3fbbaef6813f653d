import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Conversation, Message } from '../../domain/entities.js';
import type { Repos, Store } from '../../ports/store.js';
import type { DatabaseHandle } from './create-database.js';
import { KyselyActionRepo } from './repos/kysely-action-repo.js';
import { KyselyApiKeyRepo } from './repos/kysely-api-key-repo.js';
import { KyselyAttachmentRepo } from './repos/kysely-attachment-repo.js';
import { KyselyCannedReplyRepo } from './repos/kysely-canned-reply-repo.js';
import { KyselyChannelThreadRepo } from './repos/kysely-channel-thread-repo.js';
import { KyselyChatwootIntegrationRepo } from './repos/kysely-chatwoot-integration-repo.js';
import { KyselyContactRepo } from './repos/kysely-contact-repo.js';
import { conversationRow, KyselyConversationRepo } from './repos/kysely-conversation-repo.js';
import { KyselyDocumentRepo } from './repos/kysely-document-repo.js';
import { KyselyEmbeddingRepo } from './repos/kysely-embedding-repo.js';
import { KyselyFaqRepo } from './repos/kysely-faq-repo.js';
import { KyselyFlowRepo } from './repos/kysely-flow-repo.js';
import { KyselyIntentRepo } from './repos/kysely-intent-repo.js';
import { KyselyKnowledgeTermsRepo } from './repos/kysely-knowledge-terms-repo.js';
import { KyselyMemberRepo } from './repos/kysely-member-repo.js';
import { KyselyMentionRepo } from './repos/kysely-mention-repo.js';
import { KyselyMessageRepo, messageRow } from './repos/kysely-message-repo.js';
import { KyselyQualityRepo } from './repos/kysely-quality-repo.js';
import { KyselySessionRepo } from './repos/kysely-session-repo.js';
import { KyselySlaRepo } from './repos/kysely-sla-repo.js';
import { KyselyConversationEventRepo, KyselyTeamRepo } from './repos/kysely-team-repo.js';
import { KyselyTicketRepo } from './repos/kysely-ticket-repo.js';
import { KyselyUsageRepo } from './repos/kysely-usage-repo.js';
import { KyselyWebhookRepo } from './repos/kysely-webhook-repo.js';
import { KyselyWorkspaceRepo } from './repos/kysely-workspace-repo.js';
import type { Database } from './schema.js';

function reposOver(db: Kysely<Database>): Repos {
  return {
    workspaces: new KyselyWorkspaceRepo(db),
    members: new KyselyMemberRepo(db),
    sessions: new KyselySessionRepo(db),
    apiKeys: new KyselyApiKeyRepo(db),
    contacts: new KyselyContactRepo(db),
    conversations: new KyselyConversationRepo(db),
    messages: new KyselyMessageRepo(db),
    faqs: new KyselyFaqRepo(db),
    terms: new KyselyKnowledgeTermsRepo(db),
    quality: new KyselyQualityRepo(db),
    documents: new KyselyDocumentRepo(db),
    embeddings: new KyselyEmbeddingRepo(db),
    intents: new KyselyIntentRepo(db),
    flows: new KyselyFlowRepo(db),
    actions: new KyselyActionRepo(db),
    usage: new KyselyUsageRepo(db),
    tickets: new KyselyTicketRepo(db),
    cannedReplies: new KyselyCannedReplyRepo(db),
    mentions: new KyselyMentionRepo(db),
    teams: new KyselyTeamRepo(db),
    channelThreads: new KyselyChannelThreadRepo(db),
    chatwootIntegrations: new KyselyChatwootIntegrationRepo(db),
    conversationEvents: new KyselyConversationEventRepo(db),
    sla: new KyselySlaRepo(db),
    webhooks: new KyselyWebhookRepo(db),
    attachments: new KyselyAttachmentRepo(db),
  };
}

class DuplicateFirstMessage extends Error {}

export function createKyselyStore(handle: DatabaseHandle): Store {
  const { db } = handle;
  const transaction: Store['transaction'] = (fn) => db.transaction().execute((trx) => fn(reposOver(trx)));
  return {
    ...reposOver(db),
    dialect: handle.dialect,
    transaction,
    appendToConversation: handle.sqlite
      ? sqliteAppend(db, handle.sqlite)
      : async (conversation, messages) => {
          try {
            await transaction(async (tx) => {
              const [first, ...rest] = messages;
              if (first && !(await tx.messages.insert(first))) throw new DuplicateFirstMessage();
              for (const m of rest) await tx.messages.insert(m);
              await tx.conversations.update(conversation);
            });
            return true;
          } catch (err) {
            if (err instanceof DuplicateFirstMessage) return false;
            throw err;
          }
        },
    ping: async () => {
      await db.selectFrom('workspaces').select('id').limit(1).execute();
    },
    close: () => handle.close(),
  };
}

/**
 * SQLite fast path for the write every customer message makes: prepared statements instead of built
 * queries, and group commit. Turns that finish in the same event-loop turn are written in one
 * transaction, each in its own savepoint (a retried client id or a failing row affects only its own
 * turn); each caller's promise settles only after the commit. On SQLite the commit is most of a turn's
 * write cost, so under concurrent load this trades one event-loop tick of latency for throughput. It
 * runs while holding Kysely's connection, so it never interleaves with a Kysely transaction.
 */
function sqliteAppend(db: Kysely<Database>, sqlite: SQLite.Database): Store['appendToConversation'] {
  // Column lists come from the same row mappers the Kysely repositories use, so they cannot drift.
  const messageCols = Object.keys(messageRow({} as never));
  const insert = sqlite.prepare(
    `INSERT INTO messages (${messageCols.join(', ')}) VALUES (${messageCols.map(() => '?').join(', ')}) ` +
      'ON CONFLICT (conversation_id, author_type, client_message_id) WHERE client_message_id IS NOT NULL DO NOTHING',
  );
  const updatable = Object.keys(conversationRow({} as never)).filter((k) => !['id', 'workspace_id', 'created_at', 'contact_id'].includes(k));
  const update = sqlite.prepare(`UPDATE conversations SET ${updatable.map((k) => `${k} = ?`).join(', ')} WHERE workspace_id = ? AND id = ?`);

  class Duplicate extends Error {}
  // Nested inside the batch's transaction, better-sqlite3 runs this as a savepoint.
  const appendOne = sqlite.transaction((conversation: Conversation, messages: readonly Message[]) => {
    for (const [i, msg] of messages.entries()) {
      const row = messageRow(msg) as Record<string, unknown>;
      const changes = insert.run(messageCols.map((k) => row[k])).changes;
      if (i === 0 && changes === 0) throw new Duplicate();
    }
    const row = conversationRow(conversation) as Record<string, unknown>;
    update.run([...updatable.map((k) => row[k]), conversation.workspaceId, conversation.id]);
  });

  interface Pending {
    conversation: Conversation;
    messages: readonly Message[];
    resolve: (stored: boolean) => void;
    reject: (err: unknown) => void;
  }
  const writeBatch = sqlite.transaction((batch: Pending[]) =>
    batch.map((p): { stored: boolean } | { error: unknown } => {
      try {
        appendOne(p.conversation, p.messages);
        return { stored: true };
      } catch (error) {
        return error instanceof Duplicate ? { stored: false } : { error };
      }
    }),
  );

  let queue: Pending[] = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    db.connection()
      .execute(async () => writeBatch(batch))
      .then(
        (results) => {
          for (const [i, r] of results.entries()) {
            if ('error' in r) batch[i]!.reject(r.error);
            else batch[i]!.resolve(r.stored);
          }
        },
        (err) => {
          for (const p of batch) p.reject(err);
        },
      );
  };
  return (conversation, messages) =>
    new Promise<boolean>((resolve, reject) => {
      if (queue.push({ conversation, messages, resolve, reject }) === 1) setImmediate(flush);
    });
}
