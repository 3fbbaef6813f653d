import type { Role } from '@kefu/protocol';

/** The knowledge API lets admins and owners write; everyone else reads (docs/api.md). */
export const canManageKnowledge = (role: Role | null | undefined) => role === 'admin' || role === 'owner';

/** Intents, imports and training runs: admins and owners write; viewers and agents read and try messages. */
export const canManageIntents = (role: Role | null | undefined) => role === 'admin' || role === 'owner';

/** Flows and actions: admins and owners write (and only they may see actions, whose settings hold endpoints); others read flows. */
export const canManageAutomation = (role: Role | null | undefined) => role === 'admin' || role === 'owner';

/** Bot settings: every member reads them; admins and owners change them. */
export const canManageSettings = (role: Role | null | undefined) => role === 'admin' || role === 'owner';

/** Teams: every member sees them (to know who is in which queue); admins and owners create, change and delete them. */
export const canManageTeams = (role: Role | null | undefined) => role === 'admin' || role === 'owner';
