import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-knowledge.js';
import * as m0003 from './0003-quality.js';
import * as m0004 from './0004-documents.js';
import * as m0005 from './0005-embeddings.js';
import * as m0006 from './0006-intents.js';
import * as m0007 from './0007-dialogue.js';
import * as m0008 from './0008-assistant.js';
import * as m0009 from './0009-handoff.js';
import * as m0010 from './0010-tickets.js';
import * as m0011 from './0011-presence.js';
import * as m0012 from './0012-teams.js';
import * as m0013 from './0013-canned-replies.js';
import * as m0014 from './0014-sla.js';
import * as m0015 from './0015-channel-threads.js';
import * as m0016 from './0016-identity-secret.js';
import * as m0017 from './0017-webhooks.js';
import * as m0018 from './0018-chatwoot.js';
import * as m0019 from './0019-attachments.js';
import * as m0020 from './0020-csat.js';

/** Migrations are compiled into the build (no directory scanning), in order. */
export const migrationProvider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      '0001-foundation': m0001,
      '0002-knowledge': m0002,
      '0003-quality': m0003,
      '0004-documents': m0004,
      '0005-embeddings': m0005,
      '0006-intents': m0006,
      '0007-dialogue': m0007,
      '0008-assistant': m0008,
      '0009-handoff': m0009,
      '0010-tickets': m0010,
      '0011-presence': m0011,
      '0012-teams': m0012,
      '0013-canned-replies': m0013,
      '0014-sla': m0014,
      '0015-channel-threads': m0015,
      '0016-identity-secret': m0016,
      '0017-webhooks': m0017,
      '0018-chatwoot': m0018,
      '0019-attachments': m0019,
      '0020-csat': m0020,
    };
  },
};
