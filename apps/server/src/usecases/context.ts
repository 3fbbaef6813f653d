import type { Role } from '@kefu/protocol';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { ApiKey, Member } from '../domain/entities.js';
import type { Actor } from '../domain/events.js';
import type { RetrievalPorts } from '../engine/retrieve-knowledge.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { ConversationLock } from '../ports/conversation-lock.js';
import type { EventBus } from '../ports/event-bus.js';
import type { FlowCatalog } from '../ports/flow-catalog.js';
import type { IntentModels } from '../ports/intent-models.js';
import type { KnowledgeIndex } from '../ports/knowledge-index.js';
import type { LanguageModel } from '../ports/language-model.js';
import type { Store } from '../ports/store.js';
import type { UsageMeter } from './usage-meter.js';

/** What every use case may use. Built once in deps.ts. */
export interface UseCaseContext {
  store: Store;
  knowledge: KnowledgeIndex;
  /** The knowledge index with the optional embedder and reranker: what a search or a turn retrieves with. */
  retrieval: RetrievalPorts;
  bus: EventBus;
  /** The intent model each workspace serves. */
  intentModels: IntentModels;
  /** The enabled flows of each workspace, parsed. */
  flows: FlowCatalog;
  /** The language model (LLM_*), with the time a turn waits for it; null when none is configured. */
  llm: TurnLlm | null;
  /** Counts language-model calls and tokens per workspace. */
  usage: UsageMeter;
  lock: ConversationLock;
  ids: IdGenerator;
  clock: Clock;
  log: Logger;
  config: Pick<Config, 'appSecret' | 'MESSAGE_MAX_CHARS' | 'SESSION_TTL_HOURS' | 'LLM_PRICE_INPUT' | 'LLM_PRICE_OUTPUT' | 'LLM_PRICE_CURRENCY'>;
}

/** The language model as turns use it. */
export interface TurnLlm {
  /** Resilient (time budgets, retries, circuit breaker). */
  model: LanguageModel;
  /** How long a turn waits for a classification or the first token of an answer. */
  timeoutMs: number;
  /** The circuit breaker's state, for the settings page and traces. */
  circuit(): 'closed' | 'open' | 'half_open';
}

/** Who is calling an authenticated route. */
export type Principal =
  | { kind: 'member'; workspaceId: string; role: Role; member: Member; sessionId: string }
  | { kind: 'api_key'; workspaceId: string; role: Role; apiKey: ApiKey };

export const actorOf = (p: Principal): Actor => (p.kind === 'member' ? { type: 'member', id: p.member.id } : { type: 'api_key', id: p.apiKey.id });

export const principalMemberId = (p: Principal) => (p.kind === 'member' ? p.member.id : null);
