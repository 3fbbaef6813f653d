import { ATTACHMENT_EXTENSIONS, ATTACHMENT_TYPES, INLINE_IMAGE_TYPES } from '@kefu/protocol';

/** What the server accepts: the largest file in bytes (null while unknown) and the MIME types. */
export interface AttachmentLimits {
  maxBytes: number | null;
  types: readonly string[];
}

/** Until the server says otherwise: every type kefu knows, and no size check here (the server's 413 tells). */
export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = { maxBytes: null, types: ATTACHMENT_TYPES };

export type AttachmentProblem = 'ATTACHMENT_EMPTY' | 'ATTACHMENT_TOO_LARGE' | 'ATTACHMENT_TYPE_NOT_ALLOWED';

/**
 * Why the server would refuse this file, checked before a byte is sent: empty, over the size limit, or
 * not an accepted type (by the type the browser declares and the name's extension, which must agree).
 * The server decides from the bytes anyway; this only spares the agent a doomed upload.
 */
export function attachmentProblem(file: { name: string; size: number; type: string }, limits: AttachmentLimits): AttachmentProblem | null {
  if (file.size === 0) return 'ATTACHMENT_EMPTY';
  if (limits.maxBytes !== null && file.size > limits.maxBytes) return 'ATTACHMENT_TOO_LARGE';
  const type = attachmentType(file);
  return type && limits.types.includes(type) ? null : 'ATTACHMENT_TYPE_NOT_ALLOWED';
}

/** The type the file claims to be, when its declared type and its name's extension do not contradict each other. */
export function attachmentType(file: { name: string; type: string }): string | null {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(file.name)?.[1]?.toLowerCase();
  const byName = ext && /[a-z]/.test(ext) ? (BY_EXTENSION.get(ext) ?? 'unknown') : null;
  const raw = file.type.split(';')[0]!.trim().toLowerCase();
  const declared = raw === 'image/jpg' || raw === 'image/pjpeg' ? 'image/jpeg' : raw === 'application/octet-stream' ? '' : raw;
  if (!declared) return byName === 'unknown' ? null : byName;
  return byName && byName !== declared ? null : declared;
}

/** Images the browser shows as a thumbnail before sending. */
export const isImageType = (type: string | null): boolean => type !== null && (INLINE_IMAGE_TYPES as readonly string[]).includes(type);

/** The file input's `accept`: the types, and their extensions for systems that match by name. */
export function acceptAttribute(types: readonly string[]): string {
  const extensions = [...BY_EXTENSION].filter(([, type]) => types.includes(type)).map(([ext]) => `.${ext}`);
  return [...types, ...extensions].join(',');
}

/** Short names people know the accepted types by (PNG, PDF, Word…), in the list's order. */
export function typeLabels(types: readonly string[]): string[] {
  return [...new Set(types.map((t) => LABELS[t] ?? t.split('/').pop()!.toUpperCase()))];
}

/** 2.4 MB, 512 KB, 12 B in the agent's number format. */
export function formatBytes(bytes: number, locale: string): string {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'MB'] : bytes >= 1024 ? [bytes / 1024, 'KB'] : [bytes, 'B'];
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)} ${unit}`;
}

const BY_EXTENSION: ReadonlyMap<string, string> = new Map(
  Object.entries(ATTACHMENT_EXTENSIONS).flatMap(([type, extensions]) => extensions.map((ext): [string, string] => [ext, type])),
);

const LABELS: Readonly<Record<string, string>> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'application/pdf': 'PDF',
  'text/plain': 'TXT',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
};
