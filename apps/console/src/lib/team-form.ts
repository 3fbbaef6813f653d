import type { CreateTeamBody, Member, Presence, Team, UpdateTeamBody } from '@kefu/protocol';

// The server's limits (packages/protocol/src/teams.ts), checked before sending.
export const MAX_TEAM_NAME_CHARS = 60;
export const MAX_TEAM_DESCRIPTION_CHARS = 500;

/** The team editor's state; members as a set of ids (the order in which they were ticked does not matter). */
export interface TeamForm {
  name: string;
  description: string;
  memberIds: readonly string[];
}

export type TeamCheck = 'required' | 'tooLong' | 'descriptionTooLong';

/** Someone a team may hold, as the checklist shows them. */
export interface TeamCandidate {
  id: string;
  name: string;
  email: string;
  presence: Presence;
}

export const emptyTeamForm = (): TeamForm => ({ name: '', description: '', memberIds: [] });

export const formFromTeam = (team: Team): TeamForm => ({ name: team.name, description: team.description, memberIds: team.members.map((m) => m.id) });

/** What a create sends: trimmed text, each member once. */
export function bodyFromTeamForm(f: TeamForm): CreateTeamBody {
  return { name: f.name.trim(), description: f.description.trim(), memberIds: [...new Set(f.memberIds)] };
}

/** What a save sends: only what changed (the member list, when sent, replaces the old one). Empty when nothing did. */
export function patchFromTeamForm(team: Team, f: TeamForm): UpdateTeamBody {
  const before = bodyFromTeamForm(formFromTeam(team));
  const after = bodyFromTeamForm(f);
  const patch: UpdateTeamBody = {};
  if (after.name !== before.name) patch.name = after.name;
  if (after.description !== before.description) patch.description = after.description;
  if (memberKey(after.memberIds ?? []) !== memberKey(before.memberIds ?? [])) patch.memberIds = after.memberIds ?? [];
  return patch;
}

/** Problems the server would report, found before sending, by field path (as the server names them). */
export function checkTeamForm(f: TeamForm): Map<string, TeamCheck> {
  const out = new Map<string, TeamCheck>();
  const name = f.name.trim();
  if (!name) out.set('name', 'required');
  else if (name.length > MAX_TEAM_NAME_CHARS) out.set('name', 'tooLong');
  if (f.description.trim().length > MAX_TEAM_DESCRIPTION_CHARS) out.set('description', 'descriptionTooLong');
  return out;
}

/** Equal for two forms that would save the same team (used for "unsaved changes"). */
export const teamFormSignature = (f: TeamForm) => {
  const b = bodyFromTeamForm(f);
  return JSON.stringify([b.name, b.description, memberKey(b.memberIds ?? [])]);
};

/**
 * The people the member checklist offers: the workspace's active agents, admins and owners (viewers
 * cannot take conversations), plus anyone already in the team who no longer qualifies, so that they
 * can be taken out. Sorted by name; `query` keeps those whose name or email contains it.
 */
export function teamCandidates(members: readonly Member[], current: Team['members'], query: string): TeamCandidate[] {
  const byId = new Map<string, TeamCandidate>();
  for (const m of members) {
    if (m.disabled || m.role === 'viewer') continue;
    byId.set(m.id, { id: m.id, name: m.name, email: m.email, presence: m.presence ?? 'offline' });
  }
  for (const m of current) if (!byId.has(m.id)) byId.set(m.id, { id: m.id, name: m.name, email: '', presence: m.presence });
  const q = query.trim().toLocaleLowerCase();
  return [...byId.values()]
    .filter((c) => !q || c.name.toLocaleLowerCase().includes(q) || c.email.toLocaleLowerCase().includes(q))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/**
 * The member a server error names: `memberIds.2` (after `body.` is dropped) is the third id sent.
 * Null for other paths, or an index outside what was sent.
 */
export function memberOfErrorPath(path: string, sent: readonly string[]): string | null {
  const m = /^memberIds\.(\d+)$/.exec(path);
  return m ? (sent[Number(m[1])] ?? null) : null;
}

/** Teams in the order the page lists them: by name, as the reader's language sorts. */
export function sortTeams(teams: readonly Team[], locale: string): Team[] {
  return [...teams].sort((a, b) => a.name.localeCompare(b.name, locale) || a.id.localeCompare(b.id));
}

const memberKey = (ids: readonly string[]) => [...new Set(ids)].sort().join(',');
