import type { CreateTeamBody, Member, Team, TeamList, UpdateTeamBody } from '@kefu/protocol';
import type { ApiClient } from './client';

/** The teams API (docs/people.md, "Teams"), typed. Every call throws ApiError on non-2xx. */

export type { CreateTeamBody, Team, UpdateTeamBody };

const teamPath = (id: string) => `/v1/teams/${encodeURIComponent(id)}`;

export const teamsApi = {
  list: (api: ApiClient, signal?: AbortSignal) => api.get<TeamList>('/v1/teams', undefined, signal),
  get: (api: ApiClient, id: string, signal?: AbortSignal) => api.get<Team>(teamPath(id), undefined, signal),
  create: (api: ApiClient, body: CreateTeamBody) => api.post<Team>('/v1/teams', body),
  /** `memberIds`, when sent, replaces the members as a whole. */
  update: (api: ApiClient, id: string, body: UpdateTeamBody) => api.patch<Team>(teamPath(id), body),
  /** The team's conversations and tickets go back to the workspace's shared queue. */
  remove: (api: ApiClient, id: string) => api.delete<void>(teamPath(id)),
  /** The workspace's members, fresh (with presence), for the member checklist. */
  members: (api: ApiClient, signal?: AbortSignal) => api.get<{ items: Member[] }>('/v1/members', undefined, signal),
};
