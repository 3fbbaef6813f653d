import type { Kysely } from 'kysely';
import type { Repos, Store } from '../../ports/store.js';
import type { DatabaseHandle } from './create-database.js';
import { KyselyApiKeyRepo } from './repos/kysely-api-key-repo.js';
import { KyselyContactRepo } from './repos/kysely-contact-repo.js';
import { KyselyConversationRepo } from './repos/kysely-conversation-repo.js';
import { KyselyFaqRepo } from './repos/kysely-faq-repo.js';
import { KyselyMemberRepo } from './repos/kysely-member-repo.js';
import { KyselyMessageRepo } from './repos/kysely-message-repo.js';
import { KyselySessionRepo } from './repos/kysely-session-repo.js';
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
  };
}

export function createKyselyStore(handle: DatabaseHandle): Store {
  const { db } = handle;
  return {
    ...reposOver(db),
    dialect: handle.dialect,
    transaction: (fn) => db.transaction().execute((trx) => fn(reposOver(trx))),
    ping: async () => {
      await db.selectFrom('workspaces').select('id').limit(1).execute();
    },
    close: () => handle.close(),
  };
}
