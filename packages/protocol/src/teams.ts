import { z } from 'zod';
import { Id, WellFormedText } from './common.js';

/** A group of agents with its own queue. Conversations given to a team are seen and taken only by its members (and admins). */
export const Team = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  members: z.array(z.object({ id: Id, name: z.string(), presence: z.enum(['online', 'away', 'offline']) })),
  /** Members online now: 0 means a conversation transferred here waits in the queue. */
  online: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Team = z.infer<typeof Team>;

const Name = WellFormedText.pipe(z.string().trim().min(1, 'must not be empty').max(60, 'must be at most 60 characters'));
const Description = WellFormedText.pipe(z.string().trim().max(500, 'must be at most 500 characters'));
const MemberIds = z.array(Id).max(500, 'must list at most 500 members');

export const CreateTeamBody = z.object({ name: Name, description: Description.optional(), memberIds: MemberIds.optional() }).strict();
export type CreateTeamBody = z.infer<typeof CreateTeamBody>;

export const UpdateTeamBody = z
  .object({ name: Name, description: Description, memberIds: MemberIds })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'send at least one of name, description, memberIds' });
export type UpdateTeamBody = z.infer<typeof UpdateTeamBody>;

export const TeamList = z.object({ items: z.array(Team) });
export type TeamList = z.infer<typeof TeamList>;
