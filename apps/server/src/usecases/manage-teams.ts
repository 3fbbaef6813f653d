import type { CreateTeamBody, Team as TeamDto, UpdateTeamBody } from '@kefu/protocol';
import type { Team } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { Principal, UseCaseContext } from './context.js';

/** Teams as the API shows them: members with names and presence, and how many are online. */
export async function describeTeams(ctx: UseCaseContext, workspaceId: string, teams: readonly Team[]): Promise<TeamDto[]> {
  const members = new Map((await ctx.store.members.list(workspaceId)).map((m) => [m.id, m]));
  return teams.map((t) => {
    const people = t.memberIds.map((id) => members.get(id)).filter((m) => m !== undefined && !m.disabled);
    return {
      id: t.id,
      name: t.name,
      description: t.description,
      members: people.map((m) => ({ id: m!.id, name: m!.name, presence: m!.presence ?? 'offline' })),
      online: people.filter((m) => m!.presence === 'online').length,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    };
  });
}

export async function listTeams(ctx: UseCaseContext, p: Principal): Promise<TeamDto[]> {
  return describeTeams(ctx, p.workspaceId, await ctx.store.teams.list(p.workspaceId));
}

export async function getTeam(ctx: UseCaseContext, p: Principal, id: string): Promise<TeamDto> {
  const team = await ctx.store.teams.findById(p.workspaceId, id);
  if (!team) throw notFound('team', id);
  return (await describeTeams(ctx, p.workspaceId, [team]))[0]!;
}

export async function createTeam(ctx: UseCaseContext, p: Principal, body: CreateTeamBody): Promise<TeamDto> {
  await assertNameFree(ctx, p.workspaceId, body.name, null);
  const memberIds = await checkMembers(ctx, p.workspaceId, body.memberIds ?? []);
  const now = ctx.clock.now().toISOString();
  const team: Team = {
    id: ctx.ids.next(),
    workspaceId: p.workspaceId,
    name: body.name,
    description: body.description ?? '',
    memberIds,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.teams.create(team);
  await changed(ctx, p.workspaceId);
  return (await describeTeams(ctx, p.workspaceId, [team]))[0]!;
}

export async function updateTeam(ctx: UseCaseContext, p: Principal, id: string, body: UpdateTeamBody): Promise<TeamDto> {
  const team = await ctx.store.teams.findById(p.workspaceId, id);
  if (!team) throw notFound('team', id);
  if (body.name !== undefined) await assertNameFree(ctx, p.workspaceId, body.name, id);
  const updated: Team = {
    ...team,
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.memberIds !== undefined ? { memberIds: await checkMembers(ctx, p.workspaceId, body.memberIds) } : {}),
    updatedAt: ctx.clock.now().toISOString(),
  };
  await ctx.store.teams.update(updated);
  await changed(ctx, p.workspaceId);
  return (await describeTeams(ctx, p.workspaceId, [updated]))[0]!;
}

/** Deletes a team; its conversations and tickets go back to the workspace's shared queue. */
export async function deleteTeam(ctx: UseCaseContext, p: Principal, id: string): Promise<void> {
  const team = await ctx.store.teams.findById(p.workspaceId, id);
  if (!team) throw notFound('team', id);
  await ctx.store.teams.delete(p.workspaceId, id);
  await changed(ctx, p.workspaceId);
}

async function assertNameFree(ctx: UseCaseContext, workspaceId: string, name: string, self: string | null) {
  const other = await ctx.store.teams.findByName(workspaceId, name);
  if (other && other.id !== self) throw new DomainError('TEAM_NAME_TAKEN', `a team named ${name} already exists`, { field: 'body.name', id: other.id });
}

/** Members must be agents (or above) of the workspace; the error names the first one that is not. */
async function checkMembers(ctx: UseCaseContext, workspaceId: string, ids: readonly string[]): Promise<string[]> {
  const members = new Map((await ctx.store.members.list(workspaceId)).map((m) => [m.id, m]));
  for (const [i, id] of ids.entries()) {
    const m = members.get(id);
    if (!m || m.disabled) throw new DomainError('VALIDATION_FAILED', `member ${id} not found in this workspace`, { field: `body.memberIds.${i}` });
    if (m.role === 'viewer')
      throw new DomainError('VALIDATION_FAILED', `${m.name} is a viewer and cannot take conversations`, { field: `body.memberIds.${i}` });
  }
  return [...new Set(ids)];
}

async function changed(ctx: UseCaseContext, workspaceId: string) {
  await ctx.bus.publish([{ type: 'teams.changed', workspaceId }]);
}
