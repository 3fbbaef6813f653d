import type { Channel, ConversationStatus, UsagePurpose } from '@kefu/protocol';
import type { ChatwootIntegration } from '../domain/chatwoot-integration.js';
import type {
  ActionRecord,
  ApiKey,
  CannedReply,
  Contact,
  Conversation,
  ConversationEvent,
  ConversationRating,
  DictionaryWord,
  DocumentChunk,
  FaqEntry,
  FaqStats,
  FaqVersion,
  FlowRecord,
  FlowVersionRecord,
  ImportJob,
  Intent,
  IntentModelRun,
  KnowledgeDocument,
  Member,
  Mention,
  Message,
  MessageFeedback,
  Session,
  SynonymGroup,
  Team,
  Ticket,
  TicketComment,
  TicketStatus,
  Workspace,
} from '../domain/entities.js';
import type { SlaEventRecord } from '../domain/events.js';
import type { SlaClocks } from '../domain/sla.js';
import type { Webhook, WebhookDelivery } from '../domain/webhooks.js';
import type { AttachmentRepo } from './attachment-repo.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface WorkspaceRepo {
  create(w: Workspace): Promise<void>;
  findById(id: string): Promise<Workspace | null>;
  findBySlug(slug: string): Promise<Workspace | null>;
  findByWidgetKey(key: string): Promise<Workspace | null>;
  list(): Promise<Workspace[]>;
  updateSettings(id: string, settings: Workspace['settings']): Promise<void>;
  /** The sealed (encrypted) identity-verification secret, or null when none was made yet. */
  identitySecret(id: string): Promise<string | null>;
  /** Stores a sealed secret; with `onlyIfUnset`, only when none is stored (first use racing first use). */
  setIdentitySecret(id: string, sealed: string, onlyIfUnset?: boolean): Promise<void>;
}

export interface MemberRepo {
  create(m: Member): Promise<void>;
  findById(workspaceId: string, id: string): Promise<Member | null>;
  findByEmail(email: string): Promise<Member[]>;
  list(workspaceId: string): Promise<Member[]>;
  update(m: Member): Promise<void>;
  countActiveOwners(workspaceId: string): Promise<number>;
}

export interface SessionRepo {
  create(s: Session): Promise<void>;
  findByTokenHash(hash: string): Promise<Session | null>;
  delete(id: string): Promise<void>;
  deleteForMember(memberId: string): Promise<void>;
}

export interface ApiKeyRepo {
  create(k: ApiKey): Promise<void>;
  findByHash(hash: string): Promise<ApiKey | null>;
  findById(workspaceId: string, id: string): Promise<ApiKey | null>;
  list(workspaceId: string): Promise<ApiKey[]>;
  revoke(workspaceId: string, id: string, at: string): Promise<void>;
  touch(id: string, at: string): Promise<void>;
}

export interface ContactRepo {
  create(c: Contact): Promise<void>;
  findById(workspaceId: string, id: string): Promise<Contact | null>;
  findByExternalId(workspaceId: string, externalId: string): Promise<Contact | null>;
  list(workspaceId: string, q: { q?: string; cursor?: string; limit: number }): Promise<Page<Contact>>;
  update(c: Contact): Promise<void>;
}

export interface ConversationFilter {
  status?: ConversationStatus[];
  assigneeId?: string | null;
  /** Only conversations given to one of these teams. */
  teamIds?: string[];
  /** What an agent may see: conversations of no team, of their teams, or assigned to them. */
  visibleTo?: { memberId: string; teamIds: string[] };
  /** At `now`: still snoozed, awake (never snoozed or the time has come), or due to wake (snoozed until before now). */
  snoozed?: { now: string; state: 'snoozed' | 'awake' | 'due' };
  /** `breached`: an SLA clock past due and still open; `at_risk`: past its warning point (or breached). */
  sla?: 'breached' | 'at_risk';
  /** One customer's conversations (an external channel lists them per end user). */
  contactId?: string;
  channel?: Channel;
}

export type RoutingConversation = Pick<
  Conversation,
  'id' | 'status' | 'assigneeId' | 'teamId' | 'priority' | 'queuedAt' | 'updatedAt' | 'language' | 'snoozedUntil'
>;

export interface ConversationListQuery extends ConversationFilter {
  cursor?: string;
  /** Instead of `cursor`: the page after this conversation (protocols that page by the last id, such as Dify's `last_id`). */
  after?: Pick<Conversation, 'updatedAt' | 'id'>;
  limit: number;
}

export interface ConversationRepo {
  create(c: Conversation): Promise<void>;
  findById(workspaceId: string, id: string): Promise<Conversation | null>;
  list(workspaceId: string, q: ConversationListQuery): Promise<Page<Conversation>>;
  count(workspaceId: string, q: ConversationFilter): Promise<number>;
  /** Queued and assigned conversations with only what routing reads (no dialogue, no context), oldest first. */
  listOpenForRouting(workspaceId: string, limit: number): Promise<RoutingConversation[]>;
  update(c: Conversation): Promise<void>;
}

export interface MessageRepo {
  /** Inserts the message; returns false when (conversation, author type, clientMessageId) already exists. */
  insert(m: Message): Promise<boolean>;
  findById(workspaceId: string, id: string): Promise<Message | null>;
  findByClientId(conversationId: string, authorType: Message['authorType'], clientMessageId: string): Promise<Message | null>;
  findReplies(conversationId: string, replyToId: string): Promise<Message[]>;
  list(workspaceId: string, conversationId: string, q: { cursor?: string; limit: number; includeNotes: boolean }): Promise<Page<Message>>;
  /** The last `limit` messages of the conversation that the customer saw or wrote (no notes), newest first. */
  recent(workspaceId: string, conversationId: string, limit: number): Promise<Message[]>;
}

export interface FaqListQuery {
  status?: FaqEntry['status'][];
  category?: string;
  tag?: string;
  audience?: FaqEntry['audience'];
  /** Substring of question, similar questions, answer or external id. */
  text?: string;
  cursor?: string;
  limit: number;
}

export interface FaqRepo {
  insert(e: FaqEntry): Promise<void>;
  /**
   * Saves the entry as given if the stored one is still at `e.version - 1` (the caller bumps `version`
   * and records the version row); false when someone else saved in between.
   */
  update(e: FaqEntry): Promise<boolean>;
  findById(workspaceId: string, id: string): Promise<FaqEntry | null>;
  findByExternalId(workspaceId: string, externalId: string): Promise<FaqEntry | null>;
  list(workspaceId: string, q: FaqListQuery): Promise<Page<FaqEntry>>;
  listPublished(workspaceId: string): Promise<FaqEntry[]>;
  count(workspaceId: string): Promise<number>;
  addVersion(v: FaqVersion): Promise<void>;
  /** Newest first. */
  listVersions(workspaceId: string, entryId: string): Promise<FaqVersion[]>;
}

export interface QualityRepo {
  /** Adds to the counters of each entry (creating its row on first use). */
  addCounts(workspaceId: string, counts: ReadonlyMap<string, { hits: number; helpful: number; notHelpful: number; lastHitAt: string | null }>): Promise<void>;
  stats(workspaceId: string, entryIds: readonly string[]): Promise<Map<string, FaqStats>>;
  findFeedback(workspaceId: string, messageId: string): Promise<MessageFeedback | null>;
  saveFeedback(f: MessageFeedback): Promise<void>;
  /** Removes a reply's rating (the customer withdrew it); nothing when there is none. */
  deleteFeedback(workspaceId: string, messageId: string): Promise<void>;
  findRating(workspaceId: string, conversationId: string): Promise<ConversationRating | null>;
  saveRating(r: ConversationRating): Promise<void>;
  /** The ratings of these conversations (those that have one). */
  ratingsOf(workspaceId: string, conversationIds: readonly string[]): Promise<Map<string, ConversationRating>>;
}

export interface DocumentRepo {
  findBySource(workspaceId: string, source: string): Promise<KnowledgeDocument | null>;
  findById(workspaceId: string, id: string): Promise<KnowledgeDocument | null>;
  list(workspaceId: string): Promise<KnowledgeDocument[]>;
  save(d: KnowledgeDocument, isNew: boolean): Promise<void>;
  delete(workspaceId: string, id: string): Promise<void>;
  chunksOf(workspaceId: string, documentId: string): Promise<DocumentChunk[]>;
  /** Replaces a document's chunks: keeps `keepIds`, inserts `add`, deletes the rest. */
  replaceChunks(workspaceId: string, documentId: string, keepIds: readonly string[], add: readonly DocumentChunk[]): Promise<void>;
  /** Every chunk of the workspace's documents, for the index, with its document's title and audience. */
  allChunks(workspaceId: string): Promise<(DocumentChunk & { title: string; audience: KnowledgeDocument['audience'] })[]>;
  saveJob(j: ImportJob, isNew: boolean): Promise<void>;
  findJob(workspaceId: string, id: string): Promise<ImportJob | null>;
}

export interface KnowledgeTermsRepo {
  listSynonyms(workspaceId: string): Promise<SynonymGroup[]>;
  findSynonyms(workspaceId: string, id: string): Promise<SynonymGroup | null>;
  saveSynonyms(g: SynonymGroup): Promise<void>;
  deleteSynonyms(workspaceId: string, id: string): Promise<boolean>;
  listDictionary(workspaceId: string): Promise<DictionaryWord[]>;
  /** Adds the words not yet present; returns those added. */
  addWords(workspaceId: string, words: DictionaryWord[]): Promise<DictionaryWord[]>;
  deleteWord(workspaceId: string, word: string): Promise<boolean>;
}

/** Stored dense vectors, addressed by workspace, model and the hash of the embedded text. */
export interface EmbeddingRepo {
  /** The vectors stored for these hashes (missing hashes are simply absent from the map). */
  find(workspaceId: string, model: string, hashes: readonly string[]): Promise<Map<string, Float32Array>>;
  save(workspaceId: string, model: string, vectors: ReadonlyMap<string, Float32Array>, at: string): Promise<void>;
  /** Deletes the workspace's vectors whose hash is not in `keep` (texts that no longer exist); returns how many. */
  prune(workspaceId: string, model: string, keep: ReadonlySet<string>): Promise<number>;
}

export interface FlowRepo {
  list(workspaceId: string): Promise<FlowRecord[]>;
  find(workspaceId: string, id: string): Promise<FlowRecord | null>;
  findByKey(workspaceId: string, key: string): Promise<FlowRecord | null>;
  /** Saves the flow (insert or update by id) and, when its version is new, the version's source (two writes: use store.transaction). */
  save(flow: FlowRecord, authorId: string | null): Promise<void>;
  versions(workspaceId: string, flowId: string): Promise<FlowVersionRecord[]>;
  delete(workspaceId: string, id: string): Promise<boolean>;
}

export interface ActionRepo {
  list(workspaceId: string): Promise<ActionRecord[]>;
  findByKey(workspaceId: string, key: string): Promise<ActionRecord | null>;
  find(workspaceId: string, id: string): Promise<ActionRecord | null>;
  /** Inserts or updates by id. */
  save(action: ActionRecord): Promise<void>;
  delete(workspaceId: string, id: string): Promise<boolean>;
}

export interface IntentRepo {
  list(workspaceId: string): Promise<Intent[]>;
  find(workspaceId: string, id: string): Promise<Intent | null>;
  findByName(workspaceId: string, name: string): Promise<Intent | null>;
  /** Inserts or updates by id. */
  save(intent: Intent): Promise<void>;
  delete(workspaceId: string, id: string): Promise<boolean>;
  /** Training runs, newest first. */
  listRuns(workspaceId: string, limit: number): Promise<IntentModelRun[]>;
  findRun(workspaceId: string, id: string): Promise<IntentModelRun | null>;
  /** Saves a run; `model` (the serialised model) is written when given. */
  saveRun(run: IntentModelRun, model?: string): Promise<void>;
  /** The newest ready run with its serialised model. */
  latestReady(workspaceId: string): Promise<{ run: IntentModelRun; model: string } | null>;
}

/** Language-model use of a workspace on one day (UTC), one model and purpose. */
export interface UsageCount {
  workspaceId: string;
  day: string;
  model: string;
  purpose: UsagePurpose;
  calls: number;
  failures: number;
  inputTokens: number;
  outputTokens: number;
}

export interface UsageRepo {
  /** Adds the counts to what is stored (an upsert per row). */
  add(counts: readonly UsageCount[]): Promise<void>;
  /** Rows of the days from `from` to `to` (YYYY-MM-DD, both included). */
  list(workspaceId: string, from: string, to: string): Promise<UsageCount[]>;
}

export interface TicketListQuery {
  status?: TicketStatus[];
  /** null: nobody's. */
  assigneeId?: string | null;
  /** null: of no team. */
  teamId?: string | null;
  /** What an agent may see: tickets of no team, of their teams, or assigned to them. */
  visibleTo?: { memberId: string; teamIds: string[] };
  conversationId?: string;
  cursor?: string;
  limit: number;
}

export interface TicketRepo {
  /** Inserts with the next number of the workspace; retries when another insert took it. */
  create(t: Omit<Ticket, 'number'>): Promise<Ticket>;
  find(workspaceId: string, id: string): Promise<Ticket | null>;
  update(t: Ticket): Promise<void>;
  /** Most recently updated first. */
  list(workspaceId: string, q: TicketListQuery): Promise<Page<Ticket>>;
  addComment(c: TicketComment): Promise<void>;
  comments(ticketId: string): Promise<TicketComment[]>;
}

export interface TeamRepo {
  create(t: Team): Promise<void>;
  /** Saves name, description and the member list (replaced as a whole). */
  update(t: Team): Promise<void>;
  delete(workspaceId: string, id: string): Promise<void>;
  findById(workspaceId: string, id: string): Promise<Team | null>;
  findByName(workspaceId: string, name: string): Promise<Team | null>;
  /** By name. */
  list(workspaceId: string): Promise<Team[]>;
  teamIdsOf(workspaceId: string, memberId: string): Promise<string[]>;
}

export interface ConversationEventQuery {
  conversationId?: string;
  types?: string[];
  /** Events at or after this time. */
  since?: string;
  cursor?: string;
  limit: number;
}

export interface ConversationEventRepo {
  insert(e: ConversationEvent): Promise<void>;
  /** Oldest first (a timeline); the cursor continues after the last item. */
  list(workspaceId: string, q: ConversationEventQuery): Promise<Page<ConversationEvent>>;
}

export interface CannedReplyListQuery {
  /** The member whose personal replies are listed along with the shared ones; null: shared only. */
  memberId: string | null;
  scope?: 'shared' | 'personal';
  /** Substring of shortcut, title or body (case-insensitive). */
  text?: string;
  /** This language's replies and those for any language. */
  language?: CannedReply['language'];
  limit: number;
}

export interface CannedReplyRepo {
  find(workspaceId: string, id: string): Promise<CannedReply | null>;
  /** The reply with this shortcut in the scope (null owner: shared), if any. */
  findByShortcut(workspaceId: string, ownerId: string | null, shortcut: string): Promise<CannedReply | null>;
  /** Most used first, then by shortcut. */
  list(workspaceId: string, q: CannedReplyListQuery): Promise<CannedReply[]>;
  /** Inserts or updates by id; false when the shortcut is taken in the scope (unique index). */
  save(r: CannedReply, isNew: boolean): Promise<boolean>;
  delete(workspaceId: string, id: string): Promise<boolean>;
  incrementUse(workspaceId: string, id: string): Promise<void>;
}

export interface MentionRepo {
  insert(mentions: readonly Mention[]): Promise<void>;
  /** Newest first. */
  list(workspaceId: string, memberId: string, q: { unreadOnly: boolean; limit: number }): Promise<Mention[]>;
  countUnread(workspaceId: string, memberId: string): Promise<number>;
  /** Marks the member's unread mentions (these ids, or all in the conversation) read; returns how many. */
  markRead(workspaceId: string, memberId: string, which: { ids: readonly string[] } | { conversationId: string }, at: string): Promise<number>;
}

/** Something whose SLA clocks the sweep must look at now. */
export interface SlaDue {
  target: 'conversation' | 'ticket';
  workspaceId: string;
  id: string;
}

export interface SlaOpenCounts {
  running: number;
  atRisk: number;
  breached: number;
}

export interface SlaEventQuery {
  kind?: SlaEventRecord['kind'];
  metric?: SlaEventRecord['metric'];
  since?: string;
  cursor?: string;
  limit: number;
}

/** SLA clocks are written only here, compare-and-set, so a warning or breach is decided (and announced) once. */
export interface SlaRepo {
  /** Writes `next` when the stored clocks still equal `expected`; false when someone changed them first. */
  saveClocks(target: SlaDue['target'], workspaceId: string, id: string, expected: SlaClocks | null, next: SlaClocks | null): Promise<boolean>;
  /** Conversations and tickets whose next SLA check is at or before `now`, earliest first. */
  due(now: string, limit: number): Promise<SlaDue[]>;
  /** The earliest next check of any clock, across workspaces. */
  nextCheckAt(): Promise<string | null>;
  /** When an agent first replied to the customer (notes do not count) at or after `since`. */
  firstAgentReplyAt(workspaceId: string, conversationId: string, since: string): Promise<string | null>;
  /** When an agent first commented publicly on the ticket at or after `since`. */
  firstPublicCommentAt(ticketId: string, since: string): Promise<string | null>;
  addEvents(events: readonly SlaEventRecord[]): Promise<void>;
  /** Newest first. */
  listEvents(workspaceId: string, q: SlaEventQuery): Promise<Page<SlaEventRecord>>;
  openCounts(workspaceId: string): Promise<{ conversations: SlaOpenCounts; tickets: SlaOpenCounts }>;
  /** Events in [since, until) counted by metric and kind. */
  countEvents(workspaceId: string, since: string, until: string): Promise<{ metric: SlaEventRecord['metric']; kind: SlaEventRecord['kind']; n: number }[]>;
}

/** A conversation as another system names it (a Rasa sender, an OpenAI `user`, a Chatwoot conversation). */
export interface ChannelThreadRepo {
  find(workspaceId: string, channel: string, externalId: string): Promise<string | null>;
  /** Maps the key to the conversation (a later call for the same key moves it, e.g. after the old one closed). */
  save(workspaceId: string, channel: string, externalId: string, conversationId: string, at: string): Promise<void>;
}

/** A workspace's Chatwoot agent bot, and the Chatwoot messages it has taken on. */
export interface ChatwootIntegrationRepo {
  find(workspaceId: string): Promise<ChatwootIntegration | null>;
  findByTokenHash(hash: string): Promise<ChatwootIntegration | null>;
  save(i: ChatwootIntegration): Promise<void>;
  delete(workspaceId: string): Promise<void>;
  /** Records that the message is being answered: false when it already was (a redelivery). */
  claimMessage(workspaceId: string, messageId: string, at: string): Promise<boolean>;
}

/** Outbound webhooks and their deliveries; a delivery is sent only by whoever claims it (compare-and-set). */
export interface WebhookRepo {
  list(workspaceId: string): Promise<Webhook[]>;
  find(workspaceId: string, id: string): Promise<Webhook | null>;
  /** Inserts or updates by id. */
  save(w: Webhook): Promise<void>;
  /** Deletes the webhook and its deliveries. */
  delete(workspaceId: string, id: string): Promise<boolean>;
  insertDeliveries(ds: readonly WebhookDelivery[]): Promise<void>;
  findDelivery(workspaceId: string, id: string): Promise<WebhookDelivery | null>;
  /** Newest first. */
  listDeliveries(
    workspaceId: string,
    webhookId: string,
    q: { status?: WebhookDelivery['status'] | undefined; cursor?: string | undefined; limit: number },
  ): Promise<Page<WebhookDelivery>>;
  /** Pending deliveries whose next attempt is at or before `now`, earliest first, across workspaces. */
  dueDeliveries(now: string, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Takes a due delivery for one attempt by moving its next attempt to `leaseUntil` (a crashed sender's
   * claim expires then); false when another sender took it first or it is no longer due.
   */
  claimDelivery(id: string, now: string, leaseUntil: string): Promise<boolean>;
  /** Writes the outcome of an attempt (status, attempts, next attempt, last code and error, delivered at). */
  saveDelivery(d: WebhookDelivery): Promise<void>;
}

export interface Repos {
  workspaces: WorkspaceRepo;
  members: MemberRepo;
  sessions: SessionRepo;
  apiKeys: ApiKeyRepo;
  contacts: ContactRepo;
  conversations: ConversationRepo;
  messages: MessageRepo;
  faqs: FaqRepo;
  terms: KnowledgeTermsRepo;
  quality: QualityRepo;
  attachments: AttachmentRepo;
  documents: DocumentRepo;
  embeddings: EmbeddingRepo;
  intents: IntentRepo;
  flows: FlowRepo;
  actions: ActionRepo;
  usage: UsageRepo;
  tickets: TicketRepo;
  cannedReplies: CannedReplyRepo;
  mentions: MentionRepo;
  teams: TeamRepo;
  channelThreads: ChannelThreadRepo;
  chatwootIntegrations: ChatwootIntegrationRepo;
  conversationEvents: ConversationEventRepo;
  sla: SlaRepo;
  webhooks: WebhookRepo;
}

/** The system of record. `transaction` runs `fn` atomically: all of its writes land, or none. */
export interface Store extends Repos {
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  /**
   * The write of a turn, atomically: inserts `messages` and saves `conversation`. Writes nothing and
   * returns false when the first message's clientMessageId is already stored (a retried send).
   */
  appendToConversation(conversation: Conversation, messages: readonly Message[]): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
  readonly dialect: 'sqlite' | 'postgres';
}
