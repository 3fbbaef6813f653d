import type { FieldError, Problem } from '@kefu/protocol';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError } from '../domain/errors.js';

/** HTTP status per domain error code. Codes not listed here are 400. Every code is in docs/errors.md. */
const STATUS: Record<string, number> = {
  AUTH_REQUIRED: 401,
  AUTH_INVALID_TOKEN: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_FORBIDDEN: 403,
  AUTH_WORKSPACE_REQUIRED: 400,
  WIDGET_KEY_INVALID: 401,
  IDENTITY_INVALID: 401,
  CONVERSATION_NOT_FOUND: 404,
  CONTACT_NOT_FOUND: 404,
  MEMBER_NOT_FOUND: 404,
  TICKET_NOT_FOUND: 404,
  CANNED_REPLY_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  WORKSPACE_NOT_FOUND: 404,
  FAQ_NOT_FOUND: 404,
  INTENT_NOT_FOUND: 404,
  INTENT_MODEL_NOT_FOUND: 404,
  IMPORT_NOT_FOUND: 404,
  DOCUMENT_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  ATTACHMENT_NOT_FOUND: 404,
  ATTACHMENT_TOO_LARGE: 413,
  ATTACHMENT_TYPE_NOT_ALLOWED: 415,
  FAQ_VERSION_NOT_FOUND: 404,
  SYNONYMS_NOT_FOUND: 404,
  DICTIONARY_WORD_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  CONVERSATION_INVALID_TRANSITION: 409,
  CONVERSATION_ASSIGNED_TO_OTHER: 409,
  CONVERSATION_CLOSED: 409,
  CONVERSATION_NOT_ENDED: 409,
  CSAT_DISABLED: 409,
  CONVERSATION_CHANGED: 409,
  CONVERSATION_TRANSFER_INVALID: 409,
  AGENT_OFFLINE: 409,
  TEAM_NOT_FOUND: 404,
  TEAM_NAME_TAKEN: 409,
  SNOOZE_INVALID: 400,
  TICKET_CLOSED: 409,
  CANNED_REPLY_SHORTCUT_TAKEN: 409,
  CANNED_REPLY_INVALID: 400,
  BUSINESS_HOURS_INVALID: 400,
  MESSAGE_DUPLICATE: 409,
  MEMBER_EMAIL_TAKEN: 409,
  MEMBER_LAST_OWNER: 409,
  CONTACT_EXTERNAL_ID_TAKEN: 409,
  WORKSPACE_SLUG_TAKEN: 409,
  FAQ_VERSION_CONFLICT: 409,
  FAQ_EXTERNAL_ID_TAKEN: 409,
  INTENT_NAME_TAKEN: 409,
  FLOW_NOT_FOUND: 404,
  FLOW_VERSION_NOT_FOUND: 404,
  FLOW_KEY_TAKEN: 409,
  FLOW_INVALID: 422,
  ACTION_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_DELIVERY_NOT_FOUND: 404,
  ACTION_KEY_TAKEN: 409,
  ACTION_IN_USE: 409,
  ACTION_INVALID: 422,
  ACTION_SECRET_UNREADABLE: 500,
  INTENT_TRAINING_RUNNING: 409,
  INTENT_TRAINING_INVALID: 422,
  INTENT_FILE_INVALID: 422,
  MESSAGE_TOO_LONG: 413,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  CONVERSATION_BUSY: 503,
  DATABASE_BUSY: 503,
  CHATWOOT_NOT_CONFIGURED: 404,
  CHATWOOT_WEBHOOK_NOT_FOUND: 404,
  CHATWOOT_SIGNATURE_INVALID: 401,
  CHATWOOT_INVALID: 400,
  CHATWOOT_PAYLOAD_INVALID: 400,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const statusOf = (code: string) => STATUS[code] ?? 400;

export function sendProblem(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  code: string,
  detail?: string,
  errors?: FieldError[],
  extra?: Record<string, unknown>,
) {
  const body: Problem = {
    type: `https://kefu.dev/errors/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    ...(detail ? { detail } : {}),
    instance: req.url.split('?')[0],
    requestId: req.id,
    ...(errors?.length ? { errors } : {}),
    ...extra,
  };
  return reply.status(status).type('application/problem+json').send(body);
}

/** Maps every error to RFC 9457 problem+json. 5xx bodies are generic; details go to the log. */
export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const context = (err as { validationContext?: string }).validationContext ?? 'body';
    const errors: FieldError[] = err.validation.map((v) => {
      const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const custom = (v.params as { params?: { code?: string } } | undefined)?.params?.code;
      return { field: path ? `${context}.${path}` : context, code: custom ?? v.keyword, message: v.message ?? 'invalid' };
    });
    const malformed = errors.some((e) => e.code === 'MALFORMED_UNICODE');
    return sendProblem(
      reply,
      req,
      400,
      malformed ? 'TEXT_MALFORMED_UNICODE' : 'VALIDATION_FAILED',
      errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    );
  }
  if (err instanceof DomainError) {
    const status = statusOf(err.code);
    const field = typeof err.details.field === 'string' ? err.details.field : undefined;
    // Several problems (a flow's YAML, an action's settings) are listed one per field; a flow's carry their line.
    const listed = Array.isArray(err.details.errors) ? (err.details.errors as FieldError[]) : undefined;
    const fieldErrors = listed ?? (field ? [{ field, code: err.code, message: err.message }] : undefined);
    if (Array.isArray(err.details.problems)) return sendProblem(reply, req, status, err.code, err.message, fieldErrors, { problems: err.details.problems });
    // Limits are part of the contract (a client can show "max 4000 characters"); other details stay in the log.
    if (typeof err.details.limit === 'number') return sendProblem(reply, req, status, err.code, err.message, fieldErrors, { limit: err.details.limit });
    // Who holds a conversation someone else tried to claim: the client can say "Lily is on it".
    if (err.details.holder && typeof err.details.holder === 'object')
      return sendProblem(reply, req, status, err.code, err.message, fieldErrors, { holder: err.details.holder });
    return sendProblem(reply, req, status, err.code, err.message, fieldErrors);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendProblem(reply, req, 413, 'PAYLOAD_TOO_LARGE', 'request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendProblem(reply, req, 415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendProblem(reply, req, 400, 'BODY_INVALID_JSON', 'request body is not valid JSON');
  }
  // SQLite busy past its timeout, or PostgreSQL lock timeout / serialization failure: retryable.
  const dbCode = (err as { code?: string }).code;
  if (dbCode === 'SQLITE_BUSY' || dbCode === 'SQLITE_LOCKED' || dbCode === '55P03' || dbCode === '40001' || dbCode === '40P01') {
    req.log.warn({ err }, 'database busy');
    reply.header('retry-after', '1');
    return sendProblem(reply, req, 503, 'DATABASE_BUSY', 'the database is busy; retry in a moment');
  }
  if (err.statusCode === 429) return sendProblem(reply, req, 429, 'RATE_LIMITED', 'too many requests, slow down');
  if (err instanceof SyntaxError && /JSON/.test(err.message)) return sendProblem(reply, req, 400, 'BODY_INVALID_JSON', 'request body is not valid JSON');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return sendProblem(reply, req, err.statusCode, 'REQUEST_INVALID', err.message);
  }
  req.log.error({ err }, 'request failed');
  return sendProblem(reply, req, 500, 'INTERNAL', 'something went wrong; the request id identifies it in the server log');
}
