import { ATTACHMENT_TYPES } from '@kefu/protocol';
import { describe, expect, it } from 'vitest';
import { classifyAttachment, extensionOf, isPlainText, sanitizeFileName } from './attachments.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const classify = (over: Partial<Parameters<typeof classifyAttachment>[0]>) =>
  classifyAttachment({ bytes: utf8('hello'), sniffed: null, declaredType: '', name: 'a.txt', allowed: ATTACHMENT_TYPES, ...over });

describe('file names', () => {
  it('keeps the last path segment without invisible or forbidden characters', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\王芳\\发票.pdf')).toBe('发票.pdf');
    expect(sanitizeFileName('  a\tb\u0000c\u202e.png  ')).toBe('a bc.png');
    expect(sanitizeFileName('what?"<is>*this|.txt')).toBe('what___is__this_.txt');
    expect(sanitizeFileName('...hidden.')).toBe('hidden');
    expect(sanitizeFileName('')).toBe('');
  });

  it('shortens long names but keeps the extension and whole characters', () => {
    const name = sanitizeFileName(`${'😀'.repeat(150)}.jpeg`)!;
    expect(name.length).toBeLessThanOrEqual(200);
    expect(name.endsWith('😀.jpeg')).toBe(true);
    expect(name.isWellFormed()).toBe(true);
  });

  it('refuses names that are not well-formed Unicode', () => {
    expect(sanitizeFileName('bad\ud800.png')).toBeNull();
    expect(sanitizeFileName('mojibake\ufffd.png')).toBeNull();
  });

  it('tells an extension from dotted numbers', () => {
    expect(extensionOf('IMG_1.JPG')).toBe('jpg');
    expect(extensionOf('Screenshot 10.30.12')).toBeNull();
    expect(extensionOf('README')).toBeNull();
  });
});

describe('classifyAttachment', () => {
  it('trusts the bytes and adds the missing extension', () => {
    expect(classify({ sniffed: 'image/png', declaredType: 'image/png', name: 'shot.png' })).toEqual({ mimeType: 'image/png', name: 'shot.png' });
    expect(classify({ sniffed: 'image/jpeg', declaredType: 'image/jpg', name: 'IMG.JPG' })).toEqual({ mimeType: 'image/jpeg', name: 'IMG.JPG' });
    expect(classify({ sniffed: 'image/webp', declaredType: 'application/octet-stream', name: 'pasted' })).toEqual({
      mimeType: 'image/webp',
      name: 'pasted.webp',
    });
    expect(classify({ name: '' })).toEqual({ mimeType: 'text/plain', name: 'attachment.txt' });
  });

  it('refuses types off the list, disagreeing declarations and extensions, and a narrowed list', () => {
    const refused = (over: Partial<Parameters<typeof classifyAttachment>[0]>) => {
      try {
        classify(over);
        return null;
      } catch (err) {
        return (err as { code: string; details: { field: string } }).code + (err as { details: { field: string } }).details.field;
      }
    };
    expect(refused({ sniffed: 'application/x-msdownload', name: 'a.exe' })).toBe('ATTACHMENT_TYPE_NOT_ALLOWEDfile');
    expect(refused({ sniffed: 'application/xml', name: 'a.svg' })).toBe('ATTACHMENT_TYPE_NOT_ALLOWEDfile');
    expect(refused({ sniffed: 'image/png', declaredType: 'image/gif', name: 'a.png' })).toBe('ATTACHMENT_TYPE_NOT_ALLOWEDfile');
    expect(refused({ sniffed: 'image/png', name: 'a.html' })).toBe('ATTACHMENT_TYPE_NOT_ALLOWEDfile');
    expect(refused({ bytes: utf8('<svg onload="x()"/>'), name: 'a.txt' })).toBe('ATTACHMENT_TYPE_NOT_ALLOWEDfile');
    expect(refused({ sniffed: 'application/pdf', name: 'a.pdf', allowed: ['image/png'] })).toBe('ATTACHMENT_TYPE_NOT_ALLOWEDfile');
  });
});

describe('isPlainText', () => {
  it('accepts UTF-8 text in any script, refuses binary, NUL and markup', () => {
    expect(isPlainText(utf8('\ufeff订单 A123, 物流停了 🚚\n'))).toBe(true);
    expect(isPlainText(Uint8Array.from([0x48, 0x69, 0xe9]))).toBe(false);
    expect(isPlainText(utf8('a\u0000b'))).toBe(false);
    expect(isPlainText(utf8('\n  <!doctype html><p>hi'))).toBe(false);
  });
});
