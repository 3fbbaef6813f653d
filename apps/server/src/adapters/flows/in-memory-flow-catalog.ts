import type { FlowRecord } from '../../domain/entities.js';
import type { ParsedFlow } from '../../flows/parse-flow.js';
import type { FlowCatalog, LoadedFlow } from '../../ports/flow-catalog.js';
import { foldForAnalysis, normalizeText } from '../../text/normalize-text.js';
import { phraseMatcher } from '../../text/phrase-matcher.js';

interface WorkspaceFlows {
  byKey: Map<string, LoadedFlow>;
  byId: Map<string, LoadedFlow>;
  byIntent: Map<string, LoadedFlow>;
  /** Folded keywords, longest first, so the most specific phrase wins. */
  keywords: { keyword: string; matches: (folded: string) => boolean; flow: LoadedFlow }[];
}

export class InMemoryFlowCatalog implements FlowCatalog {
  private readonly workspaces = new Map<string, WorkspaceFlows>();

  get(workspaceId: string, key: string) {
    return this.workspaces.get(workspaceId)?.byKey.get(key) ?? null;
  }
  byId(workspaceId: string, id: string) {
    return this.workspaces.get(workspaceId)?.byId.get(id) ?? null;
  }
  list(workspaceId: string) {
    return [...(this.workspaces.get(workspaceId)?.byKey.values() ?? [])];
  }
  triggered(workspaceId: string, message: { intent: string | null; folded: string }) {
    const ws = this.workspaces.get(workspaceId);
    if (!ws) return null;
    if (message.intent) {
      const byIntent = ws.byIntent.get(message.intent);
      if (byIntent) return byIntent;
    }
    for (const k of ws.keywords) {
      if (k.matches(message.folded)) return k.flow;
    }
    return null;
  }
  set(workspaceId: string, flows: readonly { record: FlowRecord; parsed: ParsedFlow }[]) {
    const ws: WorkspaceFlows = { byKey: new Map(), byId: new Map(), byIntent: new Map(), keywords: [] };
    for (const { record, parsed } of flows) {
      if (!record.enabled) continue;
      const loaded: LoadedFlow = { id: record.id, key: record.key, version: record.version, parsed };
      ws.byKey.set(record.key, loaded);
      ws.byId.set(record.id, loaded);
      for (const intent of parsed.definition.triggers.intents) if (!ws.byIntent.has(intent)) ws.byIntent.set(intent, loaded);
      for (const k of parsed.definition.triggers.keywords) {
        const keyword = foldForAnalysis(normalizeText(k));
        if (keyword) ws.keywords.push({ keyword, matches: phraseMatcher(keyword), flow: loaded });
      }
    }
    ws.keywords.sort((a, b) => b.keyword.length - a.keyword.length);
    this.workspaces.set(workspaceId, ws);
  }
}
