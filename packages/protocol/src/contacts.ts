import { z } from 'zod';
import { Cursor, Id, WellFormedText } from './common.js';

const Short = WellFormedText.pipe(z.string().trim().max(200));

export const Contact = z.object({
  id: Id,
  externalId: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Contact = z.infer<typeof Contact>;

const Attributes = z
  .record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]))
  .refine((a) => Object.keys(a).length <= 50, 'at most 50 attributes');

export const CreateContactBody = z.object({
  externalId: Short.optional(),
  name: Short.optional(),
  email: z.email().max(254).optional(),
  phone: z
    .string()
    .max(32)
    .regex(/^\+?[\d\s()-]{3,32}$/, 'must be a phone number')
    .optional(),
  attributes: Attributes.optional(),
});
export type CreateContactBody = z.infer<typeof CreateContactBody>;

export const UpdateContactBody = CreateContactBody.partial().refine((b) => Object.keys(b).length > 0, 'at least one field is required');
export type UpdateContactBody = z.infer<typeof UpdateContactBody>;

export const ListContactsQuery = z.object({
  q: Short.optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListContactsQuery = z.infer<typeof ListContactsQuery>;
