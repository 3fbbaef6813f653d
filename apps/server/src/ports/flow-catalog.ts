import type { FlowRecord } from '../domain/entities.js';
import type { ParsedFlow } from '../flows/parse-flow.js';

/** A flow ready to run: its stored record (without the source) and the checked definition. */
export interface LoadedFlow {
  id: string;
  key: string;
  version: number;
  parsed: ParsedFlow;
}

/** The enabled flows of each workspace, parsed once, kept in memory and reloaded on `flows.changed`. */
export interface FlowCatalog {
  get(workspaceId: string, key: string): LoadedFlow | null;
  byId(workspaceId: string, id: string): LoadedFlow | null;
  list(workspaceId: string): readonly LoadedFlow[];
  /** The flow a message starts: one triggered by the recognised intent, else one whose keyword the (folded) message contains. */
  triggered(workspaceId: string, message: { intent: string | null; folded: string }): LoadedFlow | null;
  set(workspaceId: string, flows: readonly { record: FlowRecord; parsed: ParsedFlow }[]): void;
}
