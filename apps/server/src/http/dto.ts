import type { ApiKey as ApiKeyDto, Contact as ContactDto, Member as MemberDto, Workspace as WorkspaceDto } from '@kefu/protocol';
import type { ApiKey, Contact, Member, Workspace } from '../domain/entities.js';

// Entities carry secrets (password hashes, key hashes); only these shapes leave the process.

export const memberDto = (m: Member): MemberDto => ({
  id: m.id,
  workspaceId: m.workspaceId,
  email: m.email,
  name: m.name,
  role: m.role,
  disabled: m.disabled,
  presence: m.presence ?? 'offline',
  capacity: m.capacity ?? 5,
  skills: m.skills ?? [],
  createdAt: m.createdAt,
});

export const workspaceDto = (w: Workspace): WorkspaceDto => ({ id: w.id, slug: w.slug, name: w.name, widgetKey: w.widgetKey, createdAt: w.createdAt });

export const apiKeyDto = (k: ApiKey): ApiKeyDto => ({
  id: k.id,
  name: k.name,
  role: k.role,
  prefix: k.prefix,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
});

export const contactDto = (c: Contact): ContactDto => ({
  id: c.id,
  externalId: c.externalId,
  name: c.name,
  email: c.email,
  phone: c.phone,
  attributes: c.attributes,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});
