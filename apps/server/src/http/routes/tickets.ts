import { CreateTicketBody, IdParams, ListTicketsQuery, Ticket, TicketComment, TicketCommentBody, TicketPage, UpdateTicketBody } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps.js';
import type { Member, TicketComment as TicketCommentEntity, Ticket as TicketEntity } from '../../domain/entities.js';
import type { UseCaseContext } from '../../usecases/context.js';
import { commentOnTicket, createTicket, getTicket, listTickets, updateTicket } from '../../usecases/manage-tickets.js';
import { slaDto } from '../../usecases/sla-clocks.js';
import { requireRole } from '../plugins/auth.js';

const security = [{ bearer: [] }];
const tags = ['tickets'];

/** Member and team names, to show who a ticket is assigned to and whose it is. */
async function names(ctx: UseCaseContext, workspaceId: string): Promise<Names> {
  const [members, teams] = await Promise.all([ctx.store.members.list(workspaceId), ctx.store.teams.list(workspaceId)]);
  return { members: new Map(members.map((m: Member) => [m.id, m.name])), teams: new Map(teams.map((t) => [t.id, t.name])) };
}
type Names = { members: Map<string, string>; teams: Map<string, string> };

function ticketDto(t: TicketEntity, names: Names, comments?: TicketCommentEntity[]) {
  const { workspaceId: _w, assigneeId, teamId, ...rest } = t;
  return {
    ...rest,
    assignee: assigneeId ? { id: assigneeId, name: names.members.get(assigneeId) ?? '' } : null,
    team: teamId ? { id: teamId, name: names.teams.get(teamId) ?? '' } : null,
    sla: slaDto(t.sla),
    ...(comments ? { comments: comments.map((c) => commentDto(c, names.members)) } : {}),
  };
}

const commentDto = (c: TicketCommentEntity, members: Map<string, string>) => ({
  id: c.id,
  author: { type: c.authorType, id: c.authorId, name: c.authorId ? (members.get(c.authorId) ?? null) : null },
  body: c.body,
  public: c.public,
  createdAt: c.createdAt,
});

export const ticketRoutes =
  ({ ctx }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/tickets',
      { schema: { tags, security, querystring: ListTicketsQuery, response: { 200: TicketPage } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => {
        const page = await listTickets(ctx, req.principal!, req.query);
        const members = await names(ctx, req.principal!.workspaceId);
        return { items: page.items.map((t) => ticketDto(t, members)), nextCursor: page.nextCursor };
      },
    );
    app.post(
      '/v1/tickets',
      { schema: { tags, security, body: CreateTicketBody, response: { 201: Ticket } }, onRequest: requireRole(ctx, 'agent') },
      async (req, reply) => {
        const t = await createTicket(ctx, { kind: 'principal', principal: req.principal! }, req.body);
        return reply.status(201).send(ticketDto(t, await names(ctx, t.workspaceId), []));
      },
    );
    app.get(
      '/v1/tickets/:id',
      { schema: { tags, security, params: IdParams, response: { 200: Ticket } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => {
        const { ticket, comments } = await getTicket(ctx, req.principal!, req.params.id);
        return ticketDto(ticket, await names(ctx, ticket.workspaceId), comments);
      },
    );
    app.patch(
      '/v1/tickets/:id',
      { schema: { tags, security, params: IdParams, body: UpdateTicketBody, response: { 200: Ticket } }, onRequest: requireRole(ctx, 'agent') },
      async (req) => {
        const t = await updateTicket(ctx, req.principal!, req.params.id, req.body);
        return ticketDto(t, await names(ctx, t.workspaceId));
      },
    );
    app.post(
      '/v1/tickets/:id/comments',
      { schema: { tags, security, params: IdParams, body: TicketCommentBody, response: { 201: TicketComment } }, onRequest: requireRole(ctx, 'agent') },
      async (req, reply) => {
        const c = await commentOnTicket(ctx, req.principal!, req.params.id, req.body);
        return reply.status(201).send(commentDto(c, (await names(ctx, req.principal!.workspaceId)).members));
      },
    );
  };
