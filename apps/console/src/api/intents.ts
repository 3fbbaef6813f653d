import type { Analysis, Intent, IntentAction, IntentBody, IntentModelRun } from '@kefu/protocol';
import type { ApiClient } from './client';

/** The understanding API (docs/api.md, "Understanding"), typed. Every call throws ApiError on non-2xx. */

export type IntentFileFormat = 'csv' | 'jsonl' | 'yaml';
export const INTENT_FILE_FORMATS: readonly IntentFileFormat[] = ['csv', 'jsonl', 'yaml'];

export type { Analysis, Intent, IntentAction, IntentBody, IntentModelRun };

const intentPath = (id: string) => `/v1/intents/${encodeURIComponent(id)}`;

export const intentsApi = {
  list: (api: ApiClient, signal?: AbortSignal) => api.get<{ items: Intent[] }>('/v1/intents', undefined, signal),
  get: (api: ApiClient, id: string, signal?: AbortSignal) => api.get<Intent>(intentPath(id), undefined, signal),
  create: (api: ApiClient, body: IntentBody) => api.post<Intent>('/v1/intents', body),
  update: (api: ApiClient, id: string, body: IntentBody) => api.put<Intent>(intentPath(id), body),
  remove: (api: ApiClient, id: string) => api.delete<void>(intentPath(id)),
  import: (api: ApiClient, body: { format: IntentFileFormat; content: string }) => api.post<{ created: number; updated: number }>('/v1/intents/import', body),
  export: (api: ApiClient, format: IntentFileFormat) => api.file('/v1/intents/export', { format }),
  train: (api: ApiClient) => api.post<IntentModelRun>('/v1/intents/train', {}),
  runs: (api: ApiClient, signal?: AbortSignal) => api.get<{ items: IntentModelRun[] }>('/v1/intents/models', undefined, signal),
  run: (api: ApiClient, id: string, signal?: AbortSignal) => api.get<IntentModelRun>(`/v1/intents/models/${encodeURIComponent(id)}`, undefined, signal),
  analyze: (api: ApiClient, text: string, signal?: AbortSignal) => api.post<Analysis>('/v1/nlu/analyze', { text }, signal),
};
