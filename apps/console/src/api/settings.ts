import type { IdentitySecretView, UsageReport, WorkspaceSettings, WorkspaceSettingsPatch, WorkspaceSettingsView } from '@kefu/protocol';
import type { ApiClient } from './client';

/** The bot settings and usage API, typed. Every call throws ApiError on non-2xx. */

export type { IdentitySecretView, UsageReport, WorkspaceSettings, WorkspaceSettingsPatch, WorkspaceSettingsView };

export const settingsApi = {
  get: (api: ApiClient, signal?: AbortSignal) => api.get<WorkspaceSettingsView>('/v1/settings', undefined, signal),
  /** Fields given replace the stored ones (`assistant`, `guardrails`, `entities`, `sla`, `widget`, `csat` merge key by key); null restores a default. */
  patch: (api: ApiClient, body: WorkspaceSettingsPatch) => api.patch<WorkspaceSettingsView>('/v1/settings', body),
  /** Days as YYYY-MM-DD (UTC), both included. */
  usage: (api: ApiClient, range: { from: string; to: string }, signal?: AbortSignal) => api.get<UsageReport>('/v1/usage', range, signal),
  /** The widget's identity-verification secret (admins; made on first read). */
  identitySecret: (api: ApiClient, signal?: AbortSignal) => api.get<IdentitySecretView>('/v1/settings/identity-secret', undefined, signal),
  /** A new identity secret: hashes made with the old one stop verifying at once. */
  rotateIdentitySecret: (api: ApiClient) => api.post<IdentitySecretView>('/v1/settings/identity-secret'),
};
