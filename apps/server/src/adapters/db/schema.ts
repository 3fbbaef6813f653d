import type { ColumnType, Generated } from 'kysely';

/** Row types as stored. Timestamps are ISO-8601 UTC text and JSON is text on both dialects. */
export interface WorkspacesTable {
  id: string;
  slug: string;
  name: string;
  widget_key: string;
  settings: string;
  created_at: string;
  /** The identity-verification secret, encrypted with APP_SECRET (encryptSecret); null until first used. */
  identity_secret: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface MembersTable {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  disabled: number;
  presence: Generated<string>;
  capacity: Generated<number>;
  skills: Generated<string>;
  last_assigned_at: string | null;
  created_at: string;
}
export interface SessionsTable {
  id: string;
  workspace_id: string;
  member_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
}
export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  name: string;
  role: string;
  prefix: string;
  key_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
export interface ContactsTable {
  id: string;
  workspace_id: string;
  external_id: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  attributes: string;
  created_at: string;
  updated_at: string;
}
export interface ConversationsTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  channel: string;
  status: string;
  assignee_id: string | null;
  language: string | null;
  handoff_reason: string | null;
  last_message_at: string | null;
  last_message_preview: string | null;
  tags: string;
  priority: string;
  dialogue: string | null;
  handoff: string | null;
  queued_at: string | null;
  team_id: string | null;
  snoozed_until: string | null;
  /** SLA clocks (JSON), the next moment the sweep must look at them, and the worst open clock (0014). */
  sla: Generated<string | null>;
  sla_next_at: Generated<string | null>;
  sla_flag: Generated<string | null>;
  created_at: string;
  updated_at: string;
}
export interface MessagesTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  author_type: string;
  author_id: string | null;
  text: string;
  parts: string;
  metadata: string;
  client_message_id: string | null;
  reply_to_id: string | null;
  created_at: string;
}
export interface FaqEntriesTable {
  id: string;
  workspace_id: string;
  external_id: string | null;
  question: string;
  similar: string;
  answer: string;
  category: string | null;
  language: string | null;
  status: string;
  content_hash: string;
  tags: string;
  variants: string;
  valid_from: string | null;
  valid_until: string | null;
  audience: string;
  version: number;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}
export interface FaqVersionsTable {
  id: string;
  workspace_id: string;
  entry_id: string;
  version: number;
  change: string;
  snapshot: string;
  author_id: string | null;
  created_at: string;
}
export interface KnowledgeSynonymsTable {
  id: string;
  workspace_id: string;
  terms: string;
  created_at: string;
  updated_at: string;
}
export interface KnowledgeDictionaryTable {
  id: string;
  workspace_id: string;
  word: string;
  created_at: string;
}

export interface FaqStatsTable {
  entry_id: string;
  workspace_id: string;
  hits: number;
  helpful: number;
  not_helpful: number;
  last_hit_at: string | null;
}
export interface MessageFeedbackTable {
  message_id: string;
  workspace_id: string;
  conversation_id: string;
  entry_id: string | null;
  helpful: number;
  comment: string | null;
  created_at: string;
  updated_at: string;
}

/** A customer's satisfaction rating of a conversation (CSAT), with who handled it when it was rated. */
export interface ConversationRatingsTable {
  conversation_id: string;
  workspace_id: string;
  score: number;
  comment: string | null;
  assignee_id: string | null;
  team_id: string | null;
  channel: string;
  created_at: string;
  updated_at: string;
}

export interface DocumentsTable {
  id: string;
  workspace_id: string;
  source: string;
  title: string;
  format: string;
  source_hash: string;
  chunk_count: number;
  audience: string;
  created_at: string;
  updated_at: string;
}
export interface DocumentChunksTable {
  id: string;
  workspace_id: string;
  document_id: string;
  idx: number;
  text: string;
  heading_path: string;
  hash: string;
  created_at: string;
}
export interface ImportJobsTable {
  id: string;
  workspace_id: string;
  status: string;
  total: number;
  processed: number;
  summary: string;
  errors: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface EmbeddingsTable {
  workspace_id: string;
  model: string;
  text_hash: string;
  dims: number;
  vector: string;
  created_at: string;
}

export interface FlowsTable {
  id: string;
  workspace_id: string;
  key: string;
  enabled: number;
  version: number;
  source: string;
  created_at: string;
  updated_at: string;
}
export interface FlowVersionsTable {
  flow_id: string;
  version: number;
  source: string;
  author_id: string | null;
  created_at: string;
}
export interface ActionsTable {
  id: string;
  workspace_id: string;
  key: string;
  description: string;
  kind: string;
  config: string;
  secrets: string;
  llm_tool: Generated<number>;
  created_at: string;
  updated_at: string;
}
export interface LlmUsageTable {
  workspace_id: string;
  day: string;
  model: string;
  purpose: string;
  calls: number;
  failures: number;
  input_tokens: number | string | bigint;
  output_tokens: number | string | bigint;
}
export interface ChatwootIntegrationsTable {
  workspace_id: string;
  base_url: string;
  account_id: number;
  inbox_id: number;
  api_access_token: string;
  webhook_secret: string | null;
  webhook_token: string;
  webhook_token_hash: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}
export interface ChatwootProcessedMessagesTable {
  workspace_id: string;
  message_id: string;
  created_at: string;
}
export interface ChannelThreadsTable {
  workspace_id: string;
  channel: string;
  external_id: string;
  conversation_id: string;
  created_at: string;
  updated_at: string;
}
export interface TeamsTable {
  id: string;
  workspace_id: string;
  name: string;
  description: Generated<string>;
  created_at: string;
  updated_at: string;
}
export interface TeamMembersTable {
  team_id: string;
  member_id: string;
  workspace_id: string;
}
export interface ConversationEventsTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  type: string;
  actor_type: string;
  actor_id: string | null;
  data: string;
  at: string;
}
export interface TicketsTable {
  id: string;
  workspace_id: string;
  number: number;
  subject: string;
  description: string;
  status: string;
  priority: string;
  assignee_id: string | null;
  contact_id: string | null;
  conversation_id: string | null;
  source: string;
  due_at: string | null;
  solved_at: string | null;
  team_id: string | null;
  sla: Generated<string | null>;
  sla_next_at: Generated<string | null>;
  sla_flag: Generated<string | null>;
  created_at: string;
  updated_at: string;
}
export interface TicketCommentsTable {
  id: string;
  ticket_id: string;
  author_type: string;
  author_id: string | null;
  body: string;
  public: number;
  created_at: string;
}
export interface CannedRepliesTable {
  id: string;
  workspace_id: string;
  /** null: shared with the workspace. */
  owner_id: string | null;
  shortcut: string;
  title: string;
  body: string;
  language: string | null;
  use_count: Generated<number>;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}
export interface MentionsTable {
  id: string;
  workspace_id: string;
  member_id: string;
  conversation_id: string;
  message_id: string;
  by_id: string | null;
  created_at: string;
  read_at: string | null;
}
export interface IntentsTable {
  id: string;
  workspace_id: string;
  name: string;
  description: string;
  examples: string;
  action: string | null;
  created_at: string;
  updated_at: string;
}

export interface IntentModelsTable {
  id: string;
  workspace_id: string;
  version: number;
  status: string;
  progress: number;
  report: string;
  model: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface SlaEventsTable {
  id: string;
  workspace_id: string;
  conversation_id: string | null;
  ticket_id: string | null;
  metric: string;
  kind: string;
  due_at: string;
  at: string;
  assignee_id: string | null;
  priority: string;
}
export interface WebhooksTable {
  id: string;
  workspace_id: string;
  url: string;
  secret: string;
  events: string;
  enabled: number;
  description: string;
  created_at: string;
  updated_at: string;
}
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  workspace_id: string;
  event_type: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}
/** Files sent in conversations; `bytes` is BLOB on SQLite and BYTEA on PostgreSQL (a Buffer either way). */
export interface AttachmentsTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  name: string;
  mime_type: string;
  size: number;
  sha256: string;
  /** SHA-256 of the capability key in the file's URL; the key itself is never stored. */
  key_hash: string;
  width: number | null;
  height: number | null;
  bytes: Buffer;
  uploader_type: string;
  uploader_id: string | null;
  created_at: string;
}
export interface Database {
  workspaces: WorkspacesTable;
  members: MembersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  contacts: ContactsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  faq_entries: FaqEntriesTable;
  faq_versions: FaqVersionsTable;
  knowledge_synonyms: KnowledgeSynonymsTable;
  knowledge_dictionary: KnowledgeDictionaryTable;
  faq_stats: FaqStatsTable;
  message_feedback: MessageFeedbackTable;
  conversation_ratings: ConversationRatingsTable;
  documents: DocumentsTable;
  document_chunks: DocumentChunksTable;
  import_jobs: ImportJobsTable;
  embeddings: EmbeddingsTable;
  intents: IntentsTable;
  flows: FlowsTable;
  flow_versions: FlowVersionsTable;
  actions: ActionsTable;
  intent_models: IntentModelsTable;
  llm_usage: LlmUsageTable;
  tickets: TicketsTable;
  sla_events: SlaEventsTable;
  ticket_comments: TicketCommentsTable;
  canned_replies: CannedRepliesTable;
  mentions: MentionsTable;
  teams: TeamsTable;
  channel_threads: ChannelThreadsTable;
  chatwoot_integrations: ChatwootIntegrationsTable;
  chatwoot_processed_messages: ChatwootProcessedMessagesTable;
  team_members: TeamMembersTable;
  conversation_events: ConversationEventsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  attachments: AttachmentsTable;
}
