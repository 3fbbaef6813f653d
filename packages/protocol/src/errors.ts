import { z } from 'zod';

/** One invalid field: `field` is a dotted path into the request (`body.text`, `query.limit`). */
export const FieldError = z.object({ field: z.string(), code: z.string(), message: z.string() });
export type FieldError = z.infer<typeof FieldError>;

/** RFC 9457 problem details, as every error response carries with `application/problem+json`. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(FieldError).optional(),
  /** Set for limit errors such as MESSAGE_TOO_LONG. */
  limit: z.number().optional(),
});
export type Problem = z.infer<typeof Problem>;
