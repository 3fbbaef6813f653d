import type { Language } from '@kefu/protocol';
import type { Conversation, ImportJob, IntentModelRun, Message } from './entities.js';

/**
 * Domain events, named `noun.past_tense`. Use cases collect them during a transaction and the bus
 * publishes them only after the commit, so no listener ever sees a change that was rolled back.
 */
export type DomainEvent =
  | { type: 'conversation.created'; workspaceId: string; conversation: Conversation }
  | { type: 'conversation.updated'; workspaceId: string; conversation: Conversation; from: Conversation['status'] | null }
  | { type: 'message.created'; workspaceId: string; message: Message }
  | { type: 'handoff.requested'; workspaceId: string; conversationId: string; reason: string }
  | { type: 'knowledge.changed'; workspaceId: string }
  | { type: 'import.progressed'; workspaceId: string; job: ImportJob }
  /** Intents or their examples changed, or a new model is ready: every instance reloads what it serves. */
  | { type: 'intents.changed'; workspaceId: string }
  | { type: 'flows.changed'; workspaceId: string }
  /** An agent's presence, capacity or skills changed: the queue is routed again. */
  | { type: 'member.routing_changed'; workspaceId: string; memberId: string }
  /** The workspace's settings changed: caches of it are dropped everywhere. */
  | { type: 'workspace.changed'; workspaceId: string }
  | { type: 'intent_model.progressed'; workspaceId: string; run: IntentModelRun }
  /** A generated answer as it streams (nothing stored): `start`, each `delta` in order (`seq`), `end`. */
  | {
      type: 'answer.streamed';
      workspaceId: string;
      conversationId: string;
      answerId: string;
      phase: 'start' | 'delta' | 'end';
      seq: number;
      text: string;
      language?: Language;
      status?: 'done' | 'replaced';
    };

export type DomainEventType = DomainEvent['type'];
