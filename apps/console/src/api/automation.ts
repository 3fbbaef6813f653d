import type {
  Action,
  ActionBody as ActionBodySchema,
  ActionTestResult as ActionTestResultSchema,
  Flow,
  FlowDefinition,
  FlowProblem,
  FlowStep,
  FlowVersion as FlowVersionSchema,
  LocalizedText,
} from '@kefu/protocol';
import type { ApiClient } from './client';

/** The flows and actions API (docs/flows.md, "API"), typed. Every call throws ApiError on non-2xx. */

export type { Action, Flow, FlowDefinition, FlowProblem, FlowStep, LocalizedText };
// The protocol exports these as schemas only; their parsed shapes are what the API sends and takes.
export type FlowVersion = (typeof FlowVersionSchema)['_output'];
export type ActionBody = (typeof ActionBodySchema)['_input'];
export type ActionTestResult = (typeof ActionTestResultSchema)['_output'];

const flowPath = (id: string) => `/v1/flows/${encodeURIComponent(id)}`;
const actionPath = (id: string) => `/v1/actions/${encodeURIComponent(id)}`;

export const flowsApi = {
  list: (api: ApiClient, signal?: AbortSignal) => api.get<{ items: Flow[] }>('/v1/flows', undefined, signal),
  get: (api: ApiClient, id: string, signal?: AbortSignal) => api.get<Flow>(flowPath(id), undefined, signal),
  create: (api: ApiClient, body: { source: string; enabled?: boolean }) => api.post<Flow>('/v1/flows', body),
  update: (api: ApiClient, id: string, body: { source: string; enabled?: boolean }) => api.put<Flow>(flowPath(id), body),
  remove: (api: ApiClient, id: string) => api.delete<void>(flowPath(id)),
  /** Answers the key in the YAML, or throws FLOW_INVALID with line-numbered `problems`. */
  check: (api: ApiClient, source: string, signal?: AbortSignal) => api.post<{ ok: true; key: string }>('/v1/flows/check', { source }, signal),
  export: (api: ApiClient, id: string) => api.file(`${flowPath(id)}/export`),
  versions: (api: ApiClient, id: string, signal?: AbortSignal) => api.get<{ items: FlowVersion[] }>(`${flowPath(id)}/versions`, undefined, signal),
  restore: (api: ApiClient, id: string, version: number) => api.post<Flow>(`${flowPath(id)}/versions/${version}/restore`),
};

export const actionsApi = {
  list: (api: ApiClient, signal?: AbortSignal) => api.get<{ items: Action[] }>('/v1/actions', undefined, signal),
  get: (api: ApiClient, id: string, signal?: AbortSignal) => api.get<Action>(actionPath(id), undefined, signal),
  create: (api: ApiClient, body: ActionBody) => api.post<Action>('/v1/actions', body),
  update: (api: ApiClient, id: string, body: ActionBody) => api.put<Action>(actionPath(id), body),
  remove: (api: ApiClient, id: string) => api.delete<void>(actionPath(id)),
  test: (api: ApiClient, id: string, args: Record<string, unknown>) => api.post<ActionTestResult>(`${actionPath(id)}/test`, { args }),
};
