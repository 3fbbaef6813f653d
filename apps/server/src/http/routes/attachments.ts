import multipart from '@fastify/multipart';
import { AttachmentUploadFields, Conversation, IdParams, INLINE_IMAGE_TYPES, Message, SendMessageResponse } from '@kefu/protocol';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { AppDeps } from '../../deps.js';
import type { StoredAttachment } from '../../domain/attachments.js';
import { DomainError } from '../../domain/errors.js';
import { conversationForVisitor, describeConversation, describeMessages, forVisitor } from '../../usecases/describe-conversations.js';
import { readAttachment } from '../../usecases/read-attachment.js';
import { attachmentTooLarge, type ReceivedFile, type UploadAttachmentInput, uploadAttachment } from '../../usecases/upload-attachment.js';
import { requireRole, requireVisitor } from '../plugins/auth.js';
import { errorHandler, sendProblem } from '../problem.js';

/** The largest file and the accepted types, from ATTACHMENT_MAX_MB and ATTACHMENT_TYPES. */
export function attachmentLimits(config: Pick<Config, 'ATTACHMENT_MAX_MB' | 'ATTACHMENT_TYPES'>): UploadAttachmentInput['limits'] {
  return { maxBytes: Math.floor(config.ATTACHMENT_MAX_MB * 1024 * 1024), types: config.ATTACHMENT_TYPES };
}

const UPLOAD_DESCRIPTION =
  '`multipart/form-data` with the file in a `file` part and, optionally, a `text` caption and a `clientMessageId`. ' +
  'The type is read from the bytes: images (PNG, JPEG, GIF, WebP), PDF, UTF-8 text, DOCX and XLSX, up to ATTACHMENT_MAX_MB.';

/**
 * Files in conversations: customers (visitor token) and agents (member session) send them as a message
 * with an `attachment` part; anyone with the URL in that part can fetch the file (the URL holds a random
 * key, so it is the credential). Multipart parsing is registered here only.
 */
export const attachmentRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { ctx } = deps;
    const limits = attachmentLimits(deps.config);
    // A caption is a message text: MESSAGE_MAX_CHARS characters of up to 4 UTF-8 bytes.
    const maxFieldBytes = deps.config.MESSAGE_MAX_CHARS * 4 + 1024;
    await app.register(multipart, {
      limits: { fileSize: limits.maxBytes, files: 1, fields: 5, parts: 6, fieldSize: maxFieldBytes, headerPairs: 20 },
    });
    app.setErrorHandler(attachmentErrorHandler);

    const read = (req: FastifyRequest) => readUpload(req, limits.maxBytes, maxFieldBytes);

    app.post(
      '/v1/widget/conversations/:id/attachments',
      {
        schema: {
          tags: ['visitor'],
          summary: 'Send a file as the customer; a caption gets the bot’s answer in the same response',
          description: UPLOAD_DESCRIPTION,
          consumes: ['multipart/form-data'],
          security: [{ visitor: [] }],
          params: IdParams,
          response: { 200: SendMessageResponse },
        },
        onRequest: requireVisitor(ctx),
        // Per conversation (and address): customers behind one office NAT do not share a budget.
        config: { rateLimit: { max: 30, timeWindow: '1 minute', keyGenerator: (req) => `${req.ip}|${(req.params as { id?: string }).id ?? ''}` } },
      },
      async (req) => {
        const upload = await read(req);
        const workspace = req.visitor!.workspace;
        const r = await deps.trackInFlight(() =>
          uploadAttachment(ctx, { ...upload, workspace, conversationId: req.params.id, sender: { type: 'contact' }, limits }),
        );
        if (r.turn) deps.metrics.observeTurn(r.turn);
        const [message, ...replies] = (await describeMessages(ctx.store, workspace.id, [r.message, ...r.replies])).map(forVisitor);
        return { message: message!, replies, conversation: conversationForVisitor(await describeConversation(ctx.store, r.conversation)) };
      },
    );

    app.post(
      '/v1/conversations/:id/attachments',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Send a file as an agent (a reply: takes ownership like a typed one)',
          description: UPLOAD_DESCRIPTION,
          consumes: ['multipart/form-data'],
          security: [{ bearer: [] }],
          params: IdParams,
          response: { 200: z.object({ message: Message, conversation: Conversation }) },
        },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => {
        const p = req.principal!;
        if (p.kind !== 'member') throw new DomainError('AUTH_FORBIDDEN', 'agent replies need a member session, not an API key');
        const upload = await read(req);
        const workspace = await ctx.store.workspaces.findById(p.workspaceId);
        if (!workspace) throw new DomainError('AUTH_INVALID_TOKEN', 'the token is unknown, expired or revoked');
        const r = await uploadAttachment(ctx, { ...upload, workspace, conversationId: req.params.id, sender: { type: 'member', member: p.member }, limits });
        const [message] = await describeMessages(ctx.store, p.workspaceId, [r.message]);
        return { message: message!, conversation: await describeConversation(ctx.store, r.conversation) };
      },
    );

    app.get(
      '/v1/attachments/:id/:key/:name',
      {
        schema: {
          tags: ['attachments'],
          summary: 'A file sent in a conversation (the URL of its message part)',
          description:
            'No other credential: the URL holds a random key. Images are shown inline, other files downloaded; ' +
            'responses are immutable (ETag is the SHA-256) and sandboxed (CSP, nosniff).',
          params: z.object({ id: z.string(), key: z.string(), name: z.string() }),
        },
      },
      async (req, reply) => {
        const a = await readAttachment(ctx, req.params.id, req.params.key);
        const etag = `"${a.sha256}"`;
        reply
          .header('etag', etag)
          .header('cache-control', 'private, max-age=31536000, immutable')
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          // The URL is the credential: never send it on as a Referer.
          .header('referrer-policy', 'no-referrer')
          .header('content-disposition', contentDisposition(a));
        if (matchesEtag(req.headers['if-none-match'], etag)) return reply.code(304).send();
        return reply
          .type(a.mimeType === 'text/plain' ? 'text/plain; charset=utf-8' : a.mimeType)
          .send(Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength));
      },
    );
  };

const FIELDS = new Set(['text', 'clientMessageId']);

/**
 * Reads the `file` part (at most `maxBytes`: busboy stops keeping bytes past the limit) and the text
 * fields. A request that says it is bigger than the file limit plus the form's own room is refused
 * before anything is read.
 */
async function readUpload(
  req: FastifyRequest,
  maxBytes: number,
  maxFieldBytes: number,
): Promise<{ file: ReceivedFile; text: string; clientMessageId: string | undefined }> {
  if (!req.isMultipart()) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'send multipart/form-data with the file in a `file` part', { field: 'file' });
  const length = Number(req.headers['content-length']);
  if (length > maxBytes + 2 * maxFieldBytes + 16 * 1024) throw attachmentTooLarge(maxBytes);
  let file: ReceivedFile | null = null;
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw unknownField(part.fieldname);
        }
        file = { bytes: await part.toBuffer(), name: part.filename, declaredType: part.mimetype };
      } else if (part.fieldname === 'file') {
        throw new DomainError('ATTACHMENT_FILE_REQUIRED', 'the `file` part must be a file (with a filename)', { field: 'file' });
      } else if (!FIELDS.has(part.fieldname)) {
        throw unknownField(part.fieldname);
      } else if (part.valueTruncated) {
        throw new DomainError('MESSAGE_TOO_LONG', 'the caption is too long', { field: part.fieldname });
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (err) {
    throw uploadError(err, maxBytes);
  }
  if (!file) throw new DomainError('ATTACHMENT_FILE_REQUIRED', 'send the file in a `file` part', { field: 'file' });
  const parsed = AttachmentUploadFields.safeParse(fields);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ field: `body.${i.path.join('.')}`, code: i.code, message: i.message }));
    const malformed = parsed.error.issues.some((i) => (i as { params?: { code?: string } }).params?.code === 'MALFORMED_UNICODE');
    throw new DomainError(malformed ? 'TEXT_MALFORMED_UNICODE' : 'VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }
  return { file, text: parsed.data.text ?? '', clientMessageId: parsed.data.clientMessageId };
}

const unknownField = (name: string) =>
  new DomainError('VALIDATION_FAILED', `unknown form field ${JSON.stringify(name)}; send file, text and clientMessageId`, { field: `body.${name}` });

/** The multipart parser's own failures, as the problems a client can act on. */
function uploadError(err: unknown, maxBytes: number): unknown {
  if (err instanceof DomainError) return err;
  switch ((err as { code?: string }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return attachmentTooLarge(maxBytes);
    case 'FST_FILES_LIMIT':
      return new DomainError('ATTACHMENT_TOO_MANY_FILES', 'send one file per request', { field: 'file' });
    case 'FST_MP_PREMATURE_CLOSE':
      return err;
    default:
      // Limits on fields and parts, a broken boundary, a truncated body…
      return new DomainError('ATTACHMENT_FORM_INVALID', `the form could not be read: ${(err as Error).message}`, { field: 'body' });
  }
}

/** The shared handler, except that a body that is not a form asks for one. */
function attachmentErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendProblem(reply, req, 415, 'UNSUPPORTED_MEDIA_TYPE', 'send multipart/form-data with the file in a `file` part');
  }
  return errorHandler(err, req, reply);
}

/** Images open in the browser; everything else downloads. RFC 6266 with an RFC 5987 UTF-8 name and an ASCII fallback. */
function contentDisposition(a: Pick<StoredAttachment, 'name' | 'mimeType'>): string {
  const type = INLINE_IMAGE_TYPES.includes(a.mimeType) ? 'inline' : 'attachment';
  const fallback = a.name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(a.name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
