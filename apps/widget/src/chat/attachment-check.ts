/** What the server accepts (`limits.attachments` of the widget config). */
export interface AttachmentLimits {
  maxBytes: number;
  types: readonly string[];
}

export type AttachmentProblem = 'ATTACHMENT_EMPTY' | 'ATTACHMENT_TOO_LARGE' | 'ATTACHMENT_TYPE_NOT_ALLOWED';

/** Name extensions of the types kefu can accept, for files the browser gives no type (and to catch renamed ones). */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpe: 'image/jpeg',
  jfif: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  text: 'text/plain',
  log: 'text/plain',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

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

/**
 * Why the server would refuse this file, checked before a byte is sent: empty, over the size limit, or
 * not one of the accepted types (by the type the browser declares, and by the name's extension, which
 * must agree with it). The server decides from the bytes anyway; this only saves a doomed upload.
 */
export function attachmentProblem(file: { name: string; size: number; type: string }, limits: AttachmentLimits): AttachmentProblem | null {
  if (file.size === 0) return 'ATTACHMENT_EMPTY';
  if (file.size > limits.maxBytes) return 'ATTACHMENT_TOO_LARGE';
  const type = attachmentType(file);
  return type && limits.types.includes(type) ? null : 'ATTACHMENT_TYPE_NOT_ALLOWED';
}

/** The type the file claims to be, when its declared type and its extension do not contradict each other. */
export function attachmentType(file: { name: string; type: string }): string | null {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(file.name)?.[1]?.toLowerCase();
  const byName = ext && /[a-z]/.test(ext) ? (BY_EXTENSION[ext] ?? 'unknown') : null;
  const raw = file.type.split(';')[0]!.trim().toLowerCase();
  const declared = raw === 'image/jpg' || raw === 'image/pjpeg' ? 'image/jpeg' : raw === 'application/octet-stream' ? '' : raw;
  if (!declared) return byName === 'unknown' ? null : byName;
  return byName && byName !== declared ? null : declared;
}

/** Images the browser can show as thumbnails. */
export const isImageType = (type: string) => type === 'image/png' || type === 'image/jpeg' || type === 'image/gif' || type === 'image/webp';

/** For the file picker: the types, and their extensions for systems that match by name. */
export function acceptAttribute(types: readonly string[]): string {
  const extensions = Object.entries(BY_EXTENSION)
    .filter(([, type]) => types.includes(type))
    .map(([ext]) => `.${ext}`);
  return [...types, ...extensions].join(',');
}

/** Short names people know the accepted types by (PNG, PDF, Word…). */
export function typeLabels(types: readonly string[]): string[] {
  return [...new Set(types.map((t) => LABELS[t] ?? t.split('/').pop()!.toUpperCase()))];
}

/** 2.4 MB, 512 KB, 12 B in the visitor's number format. */
export function formatBytes(bytes: number, locale: string): string {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'MB'] : bytes >= 1024 ? [bytes / 1024, 'KB'] : [bytes, 'B'];
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)} ${unit}`;
}
