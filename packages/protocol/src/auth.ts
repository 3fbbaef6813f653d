import { z } from 'zod';
import { Id, WellFormedText } from './common.js';

export const Role = z.enum(['owner', 'admin', 'agent', 'viewer']);
export type Role = z.infer<typeof Role>;

export const Presence = z.enum(['online', 'away', 'offline']);
export type Presence = z.infer<typeof Presence>;

export const Member = z.object({
  id: Id,
  workspaceId: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  disabled: z.boolean(),
  /** Whether the routing may give them conversations now. */
  presence: Presence.optional(),
  /** The most open conversations the routing gives them at once. */
  capacity: z.number().int().optional(),
  /** For skill-based routing: `lang:zh-Hant`, `product:tv`… */
  skills: z.array(z.string()).optional(),
  createdAt: z.string(),
});
export type Member = z.infer<typeof Member>;

export const PresenceBody = z.object({ presence: Presence });

export const Workspace = z.object({ id: Id, slug: z.string(), name: z.string(), widgetKey: z.string(), createdAt: z.string() });
export type Workspace = z.infer<typeof Workspace>;

export const Password = z.string().min(8, 'must be at least 8 characters').max(200);

export const LoginBody = z.object({
  email: z.email().max(254),
  password: z.string().min(1).max(200),
  /** Workspace slug; needed only when the e-mail belongs to members of several workspaces. */
  workspace: z.string().max(64).optional(),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const LoginResponse = z.object({ token: z.string(), expiresAt: z.string(), member: Member, workspace: Workspace });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MeResponse = z.object({ member: Member.nullable(), workspace: Workspace, principal: z.enum(['member', 'api_key']) });
export type MeResponse = z.infer<typeof MeResponse>;

const Name = WellFormedText.pipe(z.string().trim().min(1).max(100));

export const CreateMemberBody = z.object({ email: z.email().max(254), name: Name, role: Role, password: Password });
export type CreateMemberBody = z.infer<typeof CreateMemberBody>;

export const UpdateMemberBody = z
  .object({
    name: Name.optional(),
    role: Role.optional(),
    password: Password.optional(),
    disabled: z.boolean().optional(),
    capacity: z.number().int().min(0, 'must be between 0 and 50').max(50, 'must be between 0 and 50').optional(),
    skills: z
      .array(
        z
          .string()
          .trim()
          .min(1)
          .max(50)
          .regex(/^[\p{L}\p{N}_\-.:/]+$/u, 'letters, digits and _-.:/ only'),
      )
      .max(30)
      .optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'at least one field is required');
export type UpdateMemberBody = z.infer<typeof UpdateMemberBody>;

export const ApiKeyRole = z.enum(['admin', 'agent', 'viewer']);
export const ApiKey = z.object({
  id: Id,
  name: z.string(),
  role: ApiKeyRole,
  /** First characters of the key, enough to recognise it; the rest is never stored. */
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

export const CreateApiKeyBody = z.object({ name: Name, role: ApiKeyRole.default('admin') });
export type CreateApiKeyBody = z.infer<typeof CreateApiKeyBody>;

export const CreateApiKeyResponse = z.object({ apiKey: ApiKey, secret: z.string() });
export type CreateApiKeyResponse = z.infer<typeof CreateApiKeyResponse>;
