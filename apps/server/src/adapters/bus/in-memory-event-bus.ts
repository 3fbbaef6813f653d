import type { Logger } from 'pino';
import type { DomainEvent } from '../../domain/events.js';
import type { EventBus, EventHandler } from '../../ports/event-bus.js';

/** Delivers events to handlers in this process. A failing handler is logged and never blocks others. */
export class InMemoryEventBus implements EventBus {
  private readonly handlers = new Set<EventHandler>();

  constructor(private readonly log?: Logger) {}

  async publish(events: readonly DomainEvent[]) {
    for (const event of events) {
      for (const h of this.handlers) {
        try {
          await h(event);
        } catch (err) {
          this.log?.error({ err, event: event.type }, 'event handler failed');
        }
      }
    }
  }

  subscribe(handler: EventHandler) {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** One process: every event is its own. */
  subscribeOwn(handler: EventHandler) {
    return this.subscribe(handler);
  }

  async close() {
    this.handlers.clear();
  }
}
