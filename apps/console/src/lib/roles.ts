import type { Role } from '@kefu/protocol';

/** The knowledge API lets admins and owners write; everyone else reads (docs/api.md). */
export const canManageKnowledge = (role: Role | null | undefined) => role === 'admin' || role === 'owner';
