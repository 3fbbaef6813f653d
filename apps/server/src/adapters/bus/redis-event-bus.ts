import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DomainEvent } from '../../domain/events.js';
import type { EventBus, EventHandler } from '../../ports/event-bus.js';
import { InMemoryEventBus } from './in-memory-event-bus.js';

const CHANNEL = 'kefu:events';

/**
 * Scale-out bus: events reach this instance's handlers at once and every other instance through Redis
 * pub/sub, so an agent connected to instance B sees a message that arrived on instance A, and every
 * instance rebuilds its retrieval index when knowledge changes anywhere.
 */
export class RedisEventBus implements EventBus {
  private readonly local: InMemoryEventBus;
  /** Handlers of events published here only (not those relayed from other instances). */
  private readonly own: InMemoryEventBus;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly instanceId = randomUUID();

  private constructor(
    url: string,
    private readonly log?: Logger,
  ) {
    this.local = new InMemoryEventBus(log);
    this.own = new InMemoryEventBus(log);
    this.pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.sub = new Redis(url, { lazyConnect: true });
  }

  static async connect(url: string, log?: Logger): Promise<RedisEventBus> {
    const bus = new RedisEventBus(url, log);
    await Promise.all([bus.pub.connect(), bus.sub.connect()]);
    await bus.sub.subscribe(CHANNEL);
    bus.sub.on('message', (_channel, raw) => bus.onRemote(raw));
    return bus;
  }

  async publish(events: readonly DomainEvent[]) {
    await this.local.publish(events);
    await this.own.publish(events);
    if (events.length === 0) return;
    try {
      await this.pub.publish(CHANNEL, JSON.stringify({ from: this.instanceId, events }));
    } catch (err) {
      // The write already committed and local listeners ran; other instances miss this event.
      this.log?.error({ err }, 'redis publish failed');
    }
  }

  subscribe(handler: EventHandler) {
    return this.local.subscribe(handler);
  }

  subscribeOwn(handler: EventHandler) {
    return this.own.subscribe(handler);
  }

  async close() {
    await this.local.close();
    await this.own.close();
    this.sub.disconnect();
    await this.pub.quit().catch(() => this.pub.disconnect());
  }

  private onRemote(raw: string) {
    let parsed: { from?: string; events?: DomainEvent[] };
    try {
      parsed = JSON.parse(raw);
    } catch {
      this.log?.warn('ignoring malformed event from redis');
      return;
    }
    if (parsed.from === this.instanceId || !Array.isArray(parsed.events)) return;
    void this.local.publish(parsed.events);
  }
}
