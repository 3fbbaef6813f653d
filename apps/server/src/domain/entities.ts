import type {
  AuthorType,
  Channel,
  ConversationStatus,
  HandoffContext,
  Language,
  MessagePart,
  WorkspaceSettings as ProtocolWorkspaceSettings,
  Role,
  TurnTrace,
} from '@kefu/protocol';

import type { SlaClocks } from './sla.js';

/** A workspace's bot settings (packages/protocol/src/settings.ts); a missing field takes its default. */
export type WorkspaceSettings = ProtocolWorkspaceSettings;

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  widgetKey: string;
  settings: WorkspaceSettings;
  createdAt: string;
}

export interface Member {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  /** Routing: whether they take conversations now (default offline), how many at once (5), what they are good at. */
  presence?: 'online' | 'away' | 'offline';
  capacity?: number;
  skills?: string[];
  lastAssignedAt?: string | null;
  createdAt: string;
}

/** A group of agents with its own queue (pre-sales, after-sales, VIP desk…). */
export interface Team {
  id: string;
  workspaceId: string;
  name: string;
  description: string;
  memberIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** One entry of a conversation's ownership history: hand-offs, assignments, transfers, snoozes, SLA breaches. */
export interface ConversationEvent {
  id: string;
  workspaceId: string;
  conversationId: string;
  type: string;
  actor: { type: 'member' | 'api_key' | 'bot' | 'system'; id: string | null };
  data: Record<string, unknown>;
  at: string;
}

export interface Session {
  id: string;
  workspaceId: string;
  memberId: string;
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
}

export interface ApiKey {
  id: string;
  workspaceId: string;
  name: string;
  role: 'admin' | 'agent' | 'viewer';
  prefix: string;
  keyHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Contact {
  id: string;
  workspaceId: string;
  externalId: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  attributes: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface Conversation {
  id: string;
  workspaceId: string;
  contactId: string;
  channel: Channel;
  status: ConversationStatus;
  assigneeId: string | null;
  language: Language | null;
  handoffReason: string | null;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  /** Labels set by agents and flows (add_tag). */
  tags: string[];
  priority: ConversationPriority;
  /** What the bot remembers between turns; null until the bot took a turn. */
  dialogue: DialogueState | null;
  /** The context captured at the last hand-off to people. */
  handoff?: HandoffContext | null;
  /** When it joined the queue; null unless queued or assigned. */
  queuedAt?: string | null;
  /** The team whose queue it is in: only that team's members (and admins) see and take it. */
  teamId?: string | null;
  /** Out of the agent's inbox until then; the customer writing wakes it early. */
  snoozedUntil?: string | null;
  /** SLA clocks of its current or last stay with people (written only by the SLA clocks, see domain/sla.ts). */
  sla?: SlaClocks | null;
  createdAt: string;
  updatedAt: string;
}

export type ConversationPriority = 'low' | 'normal' | 'high' | 'urgent';

/** Where a conversation is in a flow. */
export interface FlowState {
  key: string;
  version: number;
  /** The step waiting for the customer's answer. */
  stepId: string;
  slots: Record<string, unknown>;
  /** Answers that did not fit the current question. */
  attempts: number;
  startedAt: string;
}

/** The bot's memory of a conversation, kept with it and saved with each turn's messages. */
export interface DialogueState {
  version: 1;
  flow: FlowState | null;
  /** The last thing answered: follow-ups that only make sense in context ("那资费呢？") are read against it. */
  topic: { entryId: string; question: string; query: string; at: string } | null;
  /** The last few turns, short (for query rewriting, summaries and the hand-off context). */
  turns: { role: 'customer' | 'bot'; text: string; at: string }[];
  /** A rolling summary, when a language model wrote one. */
  summary: string | null;
  /** Customer messages the bot took a turn on, and how many of them the summary covers. */
  customerTurns?: number;
  summaryAt?: number;
}

export interface MessageMetadata {
  trace?: TurnTrace;
  language?: Language;
  kind?: string;
  [key: string]: unknown;
}

export interface Message {
  id: string;
  workspaceId: string;
  conversationId: string;
  authorType: AuthorType;
  authorId: string | null;
  text: string;
  parts: MessagePart[];
  metadata: MessageMetadata;
  clientMessageId: string | null;
  replyToId: string | null;
  createdAt: string;
}

/** An answer for one language and/or channel; the main answer serves everything else. */
export interface AnswerVariant {
  language?: 'zh-CN' | 'zh-TW' | 'en';
  channel?: string;
  answer: string;
}

export interface FaqEntry {
  id: string;
  workspaceId: string;
  externalId: string | null;
  question: string;
  similar: string[];
  answer: string;
  category: string | null;
  language: string | null;
  status: 'published' | 'draft' | 'archived';
  tags: string[];
  variants: AnswerVariant[];
  validFrom: string | null;
  validUntil: string | null;
  /** `internal` entries help agents and are never shown to customers. */
  audience: 'public' | 'internal';
  version: number;
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface FaqVersion {
  id: string;
  workspaceId: string;
  entryId: string;
  version: number;
  change: 'created' | 'updated' | 'imported' | 'restored' | 'archived';
  snapshot: FaqSnapshot;
  authorId: string | null;
  createdAt: string;
}

/** The editable content of an entry, as kept in its version history. */
export type FaqSnapshot = Pick<
  FaqEntry,
  'question' | 'similar' | 'answer' | 'category' | 'language' | 'status' | 'tags' | 'variants' | 'validFrom' | 'validUntil' | 'audience' | 'externalId'
>;

export interface SynonymGroup {
  id: string;
  workspaceId: string;
  terms: string[];
  createdAt: string;
  updatedAt: string;
}

export interface DictionaryWord {
  id: string;
  workspaceId: string;
  word: string;
  createdAt: string;
}

export interface FaqStats {
  entryId: string;
  hits: number;
  helpful: number;
  notHelpful: number;
  lastHitAt: string | null;
}

export interface MessageFeedback {
  messageId: string;
  workspaceId: string;
  conversationId: string;
  /** The FAQ entry the rated answer came from, when it came from one. */
  entryId: string | null;
  helpful: boolean;
  comment: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The customer's satisfaction rating of a conversation (CSAT, 1–5); rating again replaces it. */
export interface ConversationRating {
  conversationId: string;
  workspaceId: string;
  score: number;
  comment: string | null;
  /** Who had the conversation when it was rated (for reports by agent and team). */
  assigneeId: string | null;
  teamId: string | null;
  channel: string;
  createdAt: string;
  updatedAt: string;
}

export interface KnowledgeDocument {
  id: string;
  workspaceId: string;
  /** Where it came from: a path relative to the imported folder, a file name, or a URL. */
  source: string;
  title: string;
  format: string;
  sourceHash: string;
  chunkCount: number;
  audience: 'public' | 'internal';
  createdAt: string;
  updatedAt: string;
}

export interface DocumentChunk {
  id: string;
  workspaceId: string;
  documentId: string;
  index: number;
  text: string;
  headingPath: string[];
  hash: string;
  createdAt: string;
}

export interface ImportFileError {
  file: string;
  code: string;
  message: string;
}

export interface ImportJob {
  id: string;
  workspaceId: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  summary: { created: number; updated: number; unchanged: number; removed: number; failed: number; chunks: number };
  errors: ImportFileError[];
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** What recognising an intent leads to. */
export type IntentAction = { kind: 'faq'; faqId: string } | { kind: 'flow'; flowId: string } | { kind: 'handoff' } | { kind: 'tag'; tag: string };

export interface Intent {
  id: string;
  workspaceId: string;
  /** Unique in the workspace: `order_status`, `refund`. `oos` marks out-of-scope examples. */
  name: string;
  description: string;
  examples: string[];
  action: IntentAction | null;
  createdAt: string;
  updatedAt: string;
}

/** One training run of a workspace's intent model; the newest `ready` one serves. */
export interface IntentModelRun {
  id: string;
  workspaceId: string;
  version: number;
  status: 'training' | 'ready' | 'failed';
  /** 0..1 */
  progress: number;
  /** Intents and examples trained on, warnings (too few examples), held-out evaluation. */
  report: Record<string, unknown>;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** A flow as stored: its YAML at the current version (history in flow versions). */
export interface FlowRecord {
  id: string;
  workspaceId: string;
  key: string;
  enabled: boolean;
  version: number;
  source: string;
  createdAt: string;
  updatedAt: string;
}

export interface FlowVersionRecord {
  flowId: string;
  version: number;
  source: string;
  authorId: string | null;
  createdAt: string;
}

/** A workspace action: an HTTP connector into the business's systems. */
export interface ActionRecord {
  id: string;
  workspaceId: string;
  key: string;
  description: string;
  kind: 'http';
  /** The connector's settings (method, URL and body templates, response mapping, time-out, retries). */
  config: Record<string, unknown>;
  /** Secret values by name, encrypted; templates refer to them as {{secrets.NAME}}. */
  secrets: Record<string, string>;
  /** The language model may run it as a tool. */
  llmTool: boolean;
  createdAt: string;
  updatedAt: string;
}

export type TicketStatus = 'new' | 'open' | 'pending' | 'solved' | 'closed';

/** Work that outlives a chat; numbered per workspace. */
export interface Ticket {
  id: string;
  workspaceId: string;
  number: number;
  subject: string;
  description: string;
  status: TicketStatus;
  priority: ConversationPriority;
  assigneeId: string | null;
  /** The team whose work it is; agents outside it see the ticket only when it is assigned to them. */
  teamId: string | null;
  contactId: string | null;
  conversationId: string | null;
  source: 'agent' | 'bot' | 'api';
  dueAt: string | null;
  solvedAt: string | null;
  /** SLA clocks (written only by the SLA clocks, see domain/sla.ts). */
  sla?: SlaClocks | null;
  createdAt: string;
  updatedAt: string;
}

export interface TicketComment {
  id: string;
  ticketId: string;
  authorType: 'agent' | 'contact' | 'system';
  authorId: string | null;
  body: string;
  public: boolean;
  createdAt: string;
}

/** A saved reply agents insert with `/shortcut`; `ownerId` null means shared with the workspace. */
export interface CannedReply {
  id: string;
  workspaceId: string;
  ownerId: string | null;
  shortcut: string;
  title: string;
  body: string;
  language: 'zh-CN' | 'zh-TW' | 'en' | null;
  useCount: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A member @mentioned in an internal note; unread until `readAt`. */
export interface Mention {
  id: string;
  workspaceId: string;
  memberId: string;
  conversationId: string;
  messageId: string;
  byId: string | null;
  createdAt: string;
  readAt: string | null;
}
