import type { Conversation } from '@kefu/protocol';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { holderOf, ownershipOf } from './ownership';

const lily = { id: 'm-lily', name: 'Lily' };
const agent = { id: 'm-wang', role: 'agent' as const };
const admin = { id: 'm-boss', role: 'admin' as const };
const conv = (status: Conversation['status'], assignee: { id: string; name: string } | null = null) => ({ status, assignee });

describe('ownershipOf', () => {
  it('offers to claim a queued conversation and to take one over from the bot', () => {
    expect(ownershipOf(conv('queued'), agent)).toMatchObject({
      mine: false,
      holder: null,
      claim: { label: 'claim', enabled: true },
      release: 'release',
      handoff: true,
    });
    expect(ownershipOf(conv('bot'), agent)).toMatchObject({ claim: { label: 'takeOver', enabled: true }, release: null, handoff: true });
  });

  it('names a colleague who holds it: admins take over, agents may still ask (the server answers with the holder)', () => {
    expect(ownershipOf(conv('assigned', lily), agent)).toMatchObject({ holder: lily, claim: { label: 'claim', enabled: true }, handoff: false });
    expect(ownershipOf(conv('assigned', lily), admin)).toMatchObject({ holder: lily, supervisor: true, claim: { label: 'takeOverFrom', enabled: true } });
  });

  it('has nothing to claim when it is already yours or closed, and reopens finished ones', () => {
    expect(ownershipOf(conv('assigned', { id: agent.id, name: 'Wang' }), agent)).toMatchObject({ mine: true, holder: null, claim: { enabled: false } });
    expect(ownershipOf(conv('closed'), agent)).toMatchObject({ claim: { enabled: false }, release: 'reopen' });
    expect(ownershipOf(conv('resolved'), agent)).toMatchObject({ claim: { label: 'takeOver', enabled: true }, release: 'reopen' });
    expect(ownershipOf(conv('queued'), null).claim.enabled).toBe(false);
  });
});

describe('holderOf', () => {
  it('reads the holder from a 409 problem and nothing else', () => {
    const body = { code: 'CONVERSATION_ASSIGNED_TO_OTHER', holder: lily };
    expect(holderOf(new ApiError(409, 'CONVERSATION_ASSIGNED_TO_OTHER', 'Lily owns this conversation', [], 'r1', body))).toEqual(lily);
    expect(holderOf(new ApiError(409, 'CONVERSATION_ASSIGNED_TO_OTHER', undefined, [], undefined, { code: 'x' }))).toBeNull();
    expect(holderOf(new ApiError(409, 'CONVERSATION_INVALID_TRANSITION', undefined, [], undefined, body))).toBeNull();
    expect(holderOf(new Error('x'))).toBeNull();
  });
});
