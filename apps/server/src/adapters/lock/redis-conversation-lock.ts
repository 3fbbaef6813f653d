import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DomainError } from '../../domain/errors.js';
import type { ConversationLock } from '../../ports/conversation-lock.js';
import { InMemoryConversationLock } from './in-memory-conversation-lock.js';

// Deletes the key only if this holder still owns it, so an expired lock taken over by another
// instance is never released by the late first holder.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface RedisLockOptions {
  /** A holder that dies keeps the lock at most this long. */
  ttlMs: number;
  /** Give up (and fail the operation) after waiting this long. */
  waitMs: number;
}

/**
 * Per-conversation mutual exclusion across instances (SET NX PX with a token). Within one instance a
 * promise chain orders work first, so only one local waiter at a time polls Redis.
 */
export class RedisConversationLock implements ConversationLock {
  private readonly local = new InMemoryConversationLock();

  constructor(
    private readonly redis: Redis,
    private readonly opts: RedisLockOptions = { ttlMs: 15_000, waitMs: 10_000 },
  ) {}

  run<T>(conversationId: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(conversationId, async () => {
      const key = `kefu:lock:conversation:${conversationId}`;
      const token = randomUUID();
      const deadline = Date.now() + this.opts.waitMs;
      let delay = 5;
      while ((await this.redis.set(key, token, 'PX', this.opts.ttlMs, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new DomainError('CONVERSATION_BUSY', 'the conversation is busy; retry in a moment', { id: conversationId });
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 100);
      }
      try {
        return await fn();
      } finally {
        await this.redis.eval(RELEASE, 1, key, token);
      }
    });
  }
}
