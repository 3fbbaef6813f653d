import type { Conversation, ConversationPage, CreateTicketBody, Ticket, TicketComment, TicketStatus, UpdateTicketBody } from '@kefu/protocol';
import type { ApiClient } from './client';

/** The tickets API (docs/people.md, "Tickets"), typed. Every call throws ApiError on non-2xx. */

export type { CreateTicketBody, Ticket, TicketComment, TicketStatus, UpdateTicketBody };
export type TicketPriority = Ticket['priority'];
export type TicketPage = { items: Ticket[]; nextCursor: string | null };

export interface TicketListParams {
  /** One status or several separated by commas. */
  status?: string | undefined;
  assignee?: 'me' | 'none' | undefined;
  /** A team id, or `none`: tickets of no team. */
  team?: string | undefined;
  conversationId?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

const ticketPath = (id: string) => `/v1/tickets/${encodeURIComponent(id)}`;

export const ticketsApi = {
  list: (api: ApiClient, params: TicketListParams = {}, signal?: AbortSignal) => api.get<TicketPage>('/v1/tickets', { ...params }, signal),
  /** With its comments, oldest first. */
  get: (api: ApiClient, id: string, signal?: AbortSignal) => api.get<Ticket>(ticketPath(id), undefined, signal),
  create: (api: ApiClient, body: CreateTicketBody) => api.post<Ticket>('/v1/tickets', body),
  /** A closed ticket answers 409 TICKET_CLOSED. */
  update: (api: ApiClient, id: string, body: UpdateTicketBody) => api.patch<Ticket>(ticketPath(id), body),
  /** A public comment is also sent to the customer in the linked conversation. */
  comment: (api: ApiClient, id: string, body: { body: string; public: boolean }) => api.post<TicketComment>(`${ticketPath(id)}/comments`, body),
  /** Recent conversations the caller may see, to link a new ticket to one. */
  recentConversations: (api: ApiClient, signal?: AbortSignal) => api.get<ConversationPage>('/v1/conversations', { limit: 50 }, signal),
  conversation: (api: ApiClient, id: string, signal?: AbortSignal) => api.get<Conversation>(`/v1/conversations/${encodeURIComponent(id)}`, undefined, signal),
};
