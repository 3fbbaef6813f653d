import type { DomainEvent } from '../domain/events.js';

export type EventHandler = (event: DomainEvent) => void | Promise<void>;

/** Delivers domain events after commit to listeners in this process (and, with Redis, in others). */
export interface EventBus {
  publish(events: readonly DomainEvent[]): Promise<void>;
  subscribe(handler: EventHandler): () => void;
  /**
   * Only events published by this process: for listeners that write a record of each event (history,
   * webhooks), which would otherwise write it once per instance.
   */
  subscribeOwn(handler: EventHandler): () => void;
  close(): Promise<void>;
}
