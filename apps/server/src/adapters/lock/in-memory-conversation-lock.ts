import type { ConversationLock } from '../../ports/conversation-lock.js';

/** A promise chain per conversation: work on one conversation runs one at a time, in arrival order. */
export class InMemoryConversationLock implements ConversationLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(conversationId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(conversationId) ?? Promise.resolve();
    const current = previous.then(fn, fn);
    const tail = current.catch(() => undefined);
    this.tails.set(conversationId, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(conversationId) === tail) this.tails.delete(conversationId);
    }
  }
}
