import { ATTACHMENT_EXTENSIONS, ATTACHMENT_NAME_MAX, type AttachmentType } from '@kefu/protocol';
import { DomainError } from './errors.js';

/** A file sent in a conversation. Its bytes are read only when it is served. */
export interface Attachment {
  id: string;
  workspaceId: string;
  conversationId: string;
  name: string;
  mimeType: AttachmentType;
  size: number;
  /** Hex; the ETag. */
  sha256: string;
  /** SHA-256 (hex) of the capability key in the file's URL. */
  keyHash: string;
  width: number | null;
  height: number | null;
  uploader: { type: 'contact' | 'member'; id: string | null };
  createdAt: string;
}

export interface StoredAttachment extends Attachment {
  bytes: Uint8Array;
}

/** The path an attachment is served at: the key makes it a capability URL (no other credential). */
export const attachmentPath = (id: string, key: string, name: string) => `/v1/attachments/${id}/${key}/${encodeURIComponent(name)}`;

/**
 * Decides what a received file is, from its bytes (`sniffed`, the type a signature check found, if any)
 * rather than from what the sender declared: an allowed type it really is, whose declared MIME type and
 * name extension, when given, agree. Text has no signature: it must be valid UTF-8 without NUL bytes and
 * must not be markup. Anything else is refused with ATTACHMENT_TYPE_NOT_ALLOWED naming the `file` field.
 */
export function classifyAttachment(input: {
  bytes: Uint8Array;
  sniffed: string | null;
  declaredType: string;
  name: string;
  allowed: readonly AttachmentType[];
}): { mimeType: AttachmentType; name: string } {
  const allowedList = input.allowed.join(', ');
  const refuse = (why: string) => new DomainError('ATTACHMENT_TYPE_NOT_ALLOWED', `${why}; accepted: ${allowedList}`, { field: 'file' });
  const actual = input.sniffed ?? (isPlainText(input.bytes) ? 'text/plain' : null);
  if (!actual) throw refuse('the file type is not recognised');
  if (!isAttachmentType(actual) || !input.allowed.includes(actual)) throw refuse(`${actual} files cannot be sent`);

  const declared = normalizeDeclared(input.declaredType);
  if (declared && declared !== actual) throw refuse(`the file was sent as ${declared} but is ${actual}`);

  const extensions: readonly string[] = ATTACHMENT_EXTENSIONS[actual];
  const ext = extensionOf(input.name);
  if (ext && !extensions.includes(ext)) throw refuse(`a .${ext} name does not match its content (${actual})`);
  const name = input.name || 'attachment';
  return { mimeType: actual, name: ext ? name : withExtension(name, extensions[0]!) };
}

/**
 * A file name as it may be shown and offered for download: the last path segment only, without control,
 * bidirectional-override or zero-width characters (which can disguise `exe` as `png`) or characters
 * Windows forbids, trimmed and at most ATTACHMENT_NAME_MAX long with its extension kept. Null when it is
 * not well-formed Unicode (a lone surrogate, or U+FFFD left where the sender's bytes were not UTF-8).
 */
export function sanitizeFileName(raw: string): string | null {
  if (!raw.isWellFormed() || raw.includes('\ufffd')) return null;
  const base = raw.split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  return truncateName(cleaned, ATTACHMENT_NAME_MAX);
}

/** The lower-cased extension, when the name has one (`IMG_1.JPG` → `jpg`; `10.30.12` has none). */
export function extensionOf(name: string): string | null {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  return m && /[A-Za-z]/.test(m[1]!) ? m[1]!.toLowerCase() : null;
}

/** Valid UTF-8 without NUL bytes, and not markup (HTML, SVG, XML) that a browser could be talked into running. */
export function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  return !/^\s*</.test(text.replace(/^\ufeff/, ''));
}

export function isAttachmentType(type: string): type is AttachmentType {
  return Object.hasOwn(ATTACHMENT_EXTENSIONS, type);
}

const DECLARED_ALIASES: Readonly<Record<string, string>> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'text/x-log': 'text/plain' };

/** The declared type without parameters, with common aliases; '' and octet-stream declare nothing. */
function normalizeDeclared(type: string): string | null {
  const t = type.split(';')[0]!.trim().toLowerCase();
  if (!t || t === 'application/octet-stream') return null;
  return DECLARED_ALIASES[t] ?? t;
}

function withExtension(name: string, ext: string): string {
  return truncateName(`${name}.${ext}`, ATTACHMENT_NAME_MAX);
}

/** Shortens the stem, never the extension, and never splits a surrogate pair. */
function truncateName(name: string, max: number): string {
  if (name.length <= max) return name;
  const ext = extensionOf(name);
  const suffix = ext ? `.${name.slice(name.length - ext.length)}` : '';
  let stem = name.slice(0, max - suffix.length);
  if (/[\ud800-\udbff]$/.test(stem)) stem = stem.slice(0, -1);
  return `${stem.trimEnd()}${suffix}`;
}
