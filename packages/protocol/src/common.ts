import { z } from 'zod';

/** Languages the engine tells apart. `zh-Hans` Simplified, `zh-Hant` Traditional Chinese. */
export const Language = z.enum(['zh-Hans', 'zh-Hant', 'en', 'other']);
export type Language = z.infer<typeof Language>;

/** UI locales of the console, the demo page and the widget. */
export const Locale = z.enum(['zh-CN', 'zh-TW', 'en']);
export type Locale = z.infer<typeof Locale>;

export const Id = z.string().min(1).max(64);

/**
 * Text that came from a person. Lone UTF-16 surrogates (which JSON can carry as `\ud800`)
 * cannot be stored or shown, so they are refused rather than silently mangled.
 */
export const WellFormedText = z
  .string()
  .refine((s) => s.isWellFormed(), { message: 'contains invalid Unicode (lone surrogate)', params: { code: 'MALFORMED_UNICODE' } });

export const Cursor = z.string().min(1).max(512);
export const Limit = z.coerce.number().int().min(1).max(100).default(50);

export function page<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const IdParams = z.object({ id: Id });

/** A query parameter holding one value or several separated by commas (`queued,assigned`). */
export function commaList<T extends z.ZodType<string, string>>(item: T) {
  return z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1));
}
