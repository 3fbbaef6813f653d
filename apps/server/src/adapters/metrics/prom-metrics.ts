import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { TurnResult } from '../../engine/run-turn.js';
import type { KnowledgeIndex } from '../../ports/knowledge-index.js';

/** Prometheus metrics, one registry per app instance so tests can build several apps. */
export class PromMetrics {
  private readonly registry = new Registry();
  private readonly turnSeconds: Histogram;
  private readonly decisions: Counter;

  constructor(knowledge: KnowledgeIndex, wsClients: () => number) {
    collectDefaultMetrics({ register: this.registry, prefix: 'kefu_' });
    this.turnSeconds = new Histogram({
      name: 'kefu_bot_turn_seconds',
      help: 'Time the engine spent on one bot turn',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: [this.registry],
    });
    this.decisions = new Counter({
      name: 'kefu_bot_decisions_total',
      help: 'Bot turns by decision',
      labelNames: ['kind', 'reason'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'kefu_knowledge_index_entries',
      help: 'FAQ entries in the in-memory retrieval index',
      registers: [this.registry],
      collect() {
        this.set(knowledge.stats().entries);
      },
    });
    new Gauge({
      name: 'kefu_knowledge_index_terms',
      help: 'Distinct terms in the in-memory retrieval index',
      registers: [this.registry],
      collect() {
        this.set(knowledge.stats().terms);
      },
    });
    new Gauge({
      name: 'kefu_knowledge_index_bytes',
      help: 'Approximate memory held by the in-memory retrieval index (postings, entries, vectors)',
      registers: [this.registry],
      collect() {
        this.set(knowledge.stats().bytes);
      },
    });
    new Gauge({
      name: 'kefu_knowledge_index_vectors',
      help: 'Embedded texts in the dense retrieval lane (0 without an embeddings endpoint)',
      registers: [this.registry],
      collect() {
        this.set(knowledge.stats().vectors);
      },
    });
    new Gauge({
      name: 'kefu_websocket_clients',
      help: 'Connected WebSocket clients',
      registers: [this.registry],
      collect() {
        this.set(wsClients());
      },
    });
  }

  get contentType() {
    return this.registry.contentType;
  }

  observeTurn(turn: TurnResult) {
    this.turnSeconds.observe(turn.trace.totalMs / 1000);
    this.decisions.inc({ kind: turn.decision.kind, reason: turn.decision.reason });
  }

  render() {
    return this.registry.metrics();
  }
}
