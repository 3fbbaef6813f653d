import type { Conversation, Role } from '@kefu/protocol';
import { ApiError } from '../api/client';

export interface Holder {
  id: string;
  name: string;
}

export type ClaimLabel = 'claim' | 'takeOver' | 'takeOverFrom';

export interface Ownership {
  mine: boolean;
  /** Another member owns it (assigned to them). */
  holder: Holder | null;
  /** Admins and owners may take a colleague's conversation; agents may not (the server answers 409). */
  supervisor: boolean;
  /** What the claim button says, and whether it can do anything. */
  claim: { label: ClaimLabel; enabled: boolean };
  /** Back to the bot with POST /release (queued or assigned); from resolved or closed it is a reopen (PATCH). */
  release: 'release' | 'reopen' | null;
  /** POST /handoff works from the bot, and on a queued conversation (new reason and priority). */
  handoff: boolean;
}

/**
 * Who owns the conversation and what the member can do about it, as the server's rules have it
 * (apps/server/src/usecases/handoff.ts). The buttons only follow this to say the right thing; the
 * server decides, and its 409 (naming the holder) is shown when a stale view disagrees.
 */
export function ownershipOf(c: Pick<Conversation, 'status' | 'assignee'>, member: { id: string; role: Role } | null): Ownership {
  const mine = member !== null && c.status === 'assigned' && c.assignee?.id === member.id;
  const holder = c.status === 'assigned' && c.assignee && !mine ? c.assignee : null;
  const supervisor = member?.role === 'admin' || member?.role === 'owner';
  const label: ClaimLabel = holder ? (supervisor ? 'takeOverFrom' : 'claim') : c.status === 'queued' ? 'claim' : 'takeOver';
  return {
    mine,
    holder,
    supervisor,
    // Agents keep the button on a colleague's conversation: their view may be stale, and the server's answer names who has it now.
    claim: { label, enabled: member !== null && !mine && c.status !== 'closed' },
    release: c.status === 'queued' || c.status === 'assigned' ? 'release' : c.status === 'resolved' || c.status === 'closed' ? 'reopen' : null,
    handoff: c.status === 'bot' || c.status === 'queued',
  };
}

/** The member named by a 409 CONVERSATION_ASSIGNED_TO_OTHER (`holder` in the problem body), if any. */
export function holderOf(err: unknown): Holder | null {
  if (!(err instanceof ApiError) || err.code !== 'CONVERSATION_ASSIGNED_TO_OTHER') return null;
  const holder = (err.body as { holder?: { id?: unknown; name?: unknown } } | undefined)?.holder;
  return holder && typeof holder.id === 'string' && typeof holder.name === 'string' ? { id: holder.id, name: holder.name } : null;
}
