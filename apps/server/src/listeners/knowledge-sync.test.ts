import { describe, expect, it } from 'vitest';
import { InMemoryEventBus } from '../adapters/bus/in-memory-event-bus.js';
import type { UseCaseContext } from '../usecases/context.js';
import { subscribeKnowledgeSync } from './knowledge-sync.js';

/** A context whose store records each rebuild's reads and can be held open. */
function harness() {
  const bus = new InMemoryEventBus();
  let version = 0;
  const installed: number[] = [];
  let gate: (() => void) | null = null;
  const ctx = {
    bus,
    retrieval: {},
    log: { info() {}, error() {} },
    store: {
      faqs: {
        listPublished: async () => {
          const seen = ++version;
          await new Promise<void>((r) => {
            gate = r;
          });
          return [{ seen }];
        },
      },
      terms: { listDictionary: async () => [], listSynonyms: async () => [] },
      documents: { allChunks: async () => [] },
    },
    knowledge: {
      rebuild: async (_ws: string, entries: { seen: number }[]) => {
        installed.push(entries[0]!.seen);
      },
    },
  } as unknown as UseCaseContext;
  subscribeKnowledgeSync(ctx);
  const release = async () => {
    while (!gate) await new Promise((r) => setImmediate(r));
    const g = gate;
    gate = null;
    g();
  };
  return { bus, installed, release };
}

describe('knowledge sync', () => {
  it('coalesces a burst of changes into one follow-up rebuild and never installs an older result last', async () => {
    const { bus, installed, release } = harness();
    const changed = () => bus.publish([{ type: 'knowledge.changed', workspaceId: 'w' }]);
    const first = changed();
    const burst = [changed(), changed(), changed()];
    await release();
    await first;
    expect(installed).toEqual([1]);
    await release();
    await Promise.all(burst);
    expect(installed).toEqual([1, 2]);
    // Quiet again: the next change starts a fresh rebuild.
    const later = changed();
    await release();
    await later;
    expect(installed).toEqual([1, 2, 3]);
  });
});
