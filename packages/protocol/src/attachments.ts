import { z } from 'zod';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The files customers and agents may send in a conversation, and the name extensions each may carry.
 * The server decides the type from the file's bytes; a declared type or an extension that disagrees is
 * refused (ATTACHMENT_TYPE_NOT_ALLOWED). Nothing a browser would run (HTML, SVG, scripts) is on the list.
 */
export const ATTACHMENT_EXTENSIONS = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  'text/plain': ['txt', 'text', 'log'],
  [DOCX]: ['docx'],
  [XLSX]: ['xlsx'],
} as const satisfies Record<string, readonly string[]>;

export type AttachmentType = keyof typeof ATTACHMENT_EXTENSIONS;
export const ATTACHMENT_TYPES = Object.keys(ATTACHMENT_EXTENSIONS) as AttachmentType[];
export const AttachmentType = z.enum(ATTACHMENT_TYPES as [AttachmentType, ...AttachmentType[]]);

/** Shown inline (thumbnails, `Content-Disposition: inline`); every other type is downloaded. */
export const INLINE_IMAGE_TYPES: readonly AttachmentType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** The longest file name kept (UTF-16 code units, as the message part's `name` is checked). */
export const ATTACHMENT_NAME_MAX = 200;
