import type { Member, Team } from '@kefu/protocol';
import { describe, expect, it } from 'vitest';
import {
  bodyFromTeamForm,
  checkTeamForm,
  emptyTeamForm,
  formFromTeam,
  memberOfErrorPath,
  patchFromTeamForm,
  sortTeams,
  teamCandidates,
  teamFormSignature,
} from './team-form';

const team: Team = {
  id: 't1',
  name: '售后组',
  description: '退换货与维修',
  members: [
    { id: 'm1', name: 'Lily', presence: 'online' },
    { id: 'm2', name: '小王', presence: 'offline' },
  ],
  online: 1,
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
};

const member = (id: string, name: string, extra: Partial<Member> = {}): Member => ({
  id,
  workspaceId: 'w1',
  email: `${id}@shop.test`,
  name,
  role: 'agent',
  disabled: false,
  createdAt: '2026-03-01T00:00:00.000Z',
  ...extra,
});

describe('team form', () => {
  it('sends trimmed text and each member once', () => {
    expect(bodyFromTeamForm({ name: ' VIP 组 ', description: ' 大客户 ', memberIds: ['m1', 'm2', 'm1'] })).toEqual({
      name: 'VIP 组',
      description: '大客户',
      memberIds: ['m1', 'm2'],
    });
  });

  it('saves only what changed, and the whole member list when it changed', () => {
    const f = formFromTeam(team);
    expect(patchFromTeamForm(team, f)).toEqual({});
    expect(patchFromTeamForm(team, { ...f, name: '售后组 ' })).toEqual({});
    expect(patchFromTeamForm(team, { ...f, memberIds: ['m2', 'm1'] })).toEqual({});
    expect(patchFromTeamForm(team, { ...f, name: '售后' })).toEqual({ name: '售后' });
    expect(patchFromTeamForm(team, { ...f, memberIds: ['m2', 'm3'] })).toEqual({ memberIds: ['m2', 'm3'] });
    expect(patchFromTeamForm(team, { ...f, description: '', memberIds: [] })).toEqual({ description: '', memberIds: [] });
  });

  it('sees no change in spaces or the order members were ticked', () => {
    const f = formFromTeam(team);
    expect(teamFormSignature({ ...f, description: ` ${f.description}\n`, memberIds: ['m2', 'm1'] })).toBe(teamFormSignature(f));
    expect(teamFormSignature({ ...f, memberIds: ['m1'] })).not.toBe(teamFormSignature(f));
  });

  it('checks the fields the server checks', () => {
    expect(Object.fromEntries(checkTeamForm(emptyTeamForm()))).toEqual({ name: 'required' });
    expect(Object.fromEntries(checkTeamForm({ ...emptyTeamForm(), name: '   ' }))).toEqual({ name: 'required' });
    expect(Object.fromEntries(checkTeamForm({ name: 'x'.repeat(61), description: 'd'.repeat(501), memberIds: [] }))).toEqual({
      name: 'tooLong',
      description: 'descriptionTooLong',
    });
    expect(checkTeamForm({ name: ` ${'组'.repeat(60)} `, description: '', memberIds: [] }).size).toBe(0);
  });

  it('offers active agents and admins, not viewers or disabled members, sorted and searchable by name or email', () => {
    const members = [
      member('m3', 'Zoe'),
      member('m1', 'Lily', { presence: 'online' }),
      member('m4', 'Viewer', { role: 'viewer' }),
      member('m5', 'Gone', { disabled: true }),
      member('m6', 'Boss', { role: 'admin', email: 'boss@shop.test' }),
    ];
    expect(teamCandidates(members, [], '').map((c) => c.name)).toEqual(['Boss', 'Lily', 'Zoe']);
    expect(teamCandidates(members, [], '').find((c) => c.id === 'm1')?.presence).toBe('online');
    expect(teamCandidates(members, [], '').find((c) => c.id === 'm3')?.presence).toBe('offline');
    expect(teamCandidates(members, [], ' LI ').map((c) => c.id)).toEqual(['m1']);
    expect(teamCandidates(members, [], 'boss@').map((c) => c.id)).toEqual(['m6']);
    expect(teamCandidates(members, [], 'nobody')).toEqual([]);
  });

  it('keeps a current member who no longer qualifies, so they can be taken out', () => {
    const members = [member('m1', 'Lily'), member('m2', '小王', { role: 'viewer' })];
    expect(teamCandidates(members, team.members, '').map((c) => c.id)).toEqual(['m1', 'm2']);
  });

  it('finds the member a server error names', () => {
    expect(memberOfErrorPath('memberIds.1', ['a', 'b'])).toBe('b');
    expect(memberOfErrorPath('memberIds.5', ['a', 'b'])).toBeNull();
    expect(memberOfErrorPath('name', ['a'])).toBeNull();
  });

  it('lists teams by name', () => {
    const b = { ...team, id: 't2', name: 'B team' };
    const a = { ...team, id: 't3', name: 'A team' };
    expect(sortTeams([b, team, a], 'en').map((t) => t.id)).toEqual(['t3', 't2', 't1']);
  });
});
