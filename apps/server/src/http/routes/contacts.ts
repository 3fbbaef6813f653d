import { Contact, CreateContactBody, IdParams, ListContactsQuery, page, UpdateContactBody } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps.js';
import { createContact, getContact, listContacts, updateContact } from '../../usecases/manage-contacts.js';
import { contactDto } from '../dto.js';
import { requireRole } from '../plugins/auth.js';

const security = [{ bearer: [] }];

export const contactRoutes =
  ({ ctx }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/contacts',
      { schema: { tags: ['contacts'], security, querystring: ListContactsQuery, response: { 200: page(Contact) } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => {
        const r = await listContacts(ctx, req.principal!, req.query);
        return { items: r.items.map(contactDto), nextCursor: r.nextCursor };
      },
    );
    app.post(
      '/v1/contacts',
      { schema: { tags: ['contacts'], security, body: CreateContactBody, response: { 201: Contact } }, onRequest: requireRole(ctx, 'agent') },
      async (req, reply) => reply.status(201).send(contactDto(await createContact(ctx, req.principal!, req.body))),
    );
    app.get(
      '/v1/contacts/:id',
      { schema: { tags: ['contacts'], security, params: IdParams, response: { 200: Contact } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => contactDto(await getContact(ctx, req.principal!, req.params.id)),
    );
    app.patch(
      '/v1/contacts/:id',
      {
        schema: { tags: ['contacts'], security, params: IdParams, body: UpdateContactBody, response: { 200: Contact } },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => contactDto(await updateContact(ctx, req.principal!, req.params.id, req.body)),
    );
  };
