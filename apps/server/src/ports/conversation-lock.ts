/** Serialises work on one conversation: a customer message and an agent action never interleave. */
export interface ConversationLock {
  run<T>(conversationId: string, fn: () => Promise<T>): Promise<T>;
}
