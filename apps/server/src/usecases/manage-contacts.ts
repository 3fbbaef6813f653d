import type { CreateContactBody, ListContactsQuery, UpdateContactBody } from '@kefu/protocol';
import type { Contact } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { Principal, UseCaseContext } from './context.js';

export const listContacts = (ctx: UseCaseContext, p: Principal, q: ListContactsQuery) => ctx.store.contacts.list(p.workspaceId, q);

export async function getContact(ctx: UseCaseContext, p: Principal, id: string): Promise<Contact> {
  const c = await ctx.store.contacts.findById(p.workspaceId, id);
  if (!c) throw notFound('contact', id);
  return c;
}

async function assertExternalIdFree(ctx: UseCaseContext, workspaceId: string, externalId: string | undefined, self?: string) {
  if (!externalId) return;
  const other = await ctx.store.contacts.findByExternalId(workspaceId, externalId);
  if (other && other.id !== self) throw new DomainError('CONTACT_EXTERNAL_ID_TAKEN', 'another contact has this externalId', { field: 'body.externalId' });
}

export async function createContact(ctx: UseCaseContext, p: Principal, body: CreateContactBody): Promise<Contact> {
  await assertExternalIdFree(ctx, p.workspaceId, body.externalId);
  const now = ctx.clock.now().toISOString();
  const contact: Contact = {
    id: ctx.ids.next(),
    workspaceId: p.workspaceId,
    externalId: body.externalId ?? null,
    name: body.name ?? null,
    email: body.email ?? null,
    phone: body.phone ?? null,
    attributes: body.attributes ?? {},
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.contacts.create(contact);
  return contact;
}

export async function updateContact(ctx: UseCaseContext, p: Principal, id: string, body: UpdateContactBody): Promise<Contact> {
  const contact = await getContact(ctx, p, id);
  await assertExternalIdFree(ctx, p.workspaceId, body.externalId, id);
  const updated: Contact = {
    ...contact,
    externalId: body.externalId ?? contact.externalId,
    name: body.name ?? contact.name,
    email: body.email ?? contact.email,
    phone: body.phone ?? contact.phone,
    attributes: body.attributes ? { ...contact.attributes, ...body.attributes } : contact.attributes,
    updatedAt: ctx.clock.now().toISOString(),
  };
  await ctx.store.contacts.update(updated);
  return updated;
}
