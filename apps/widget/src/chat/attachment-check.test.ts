import { describe, expect, it } from 'vitest';
import { acceptAttribute, attachmentProblem, formatBytes, typeLabels } from './attachment-check.js';

const limits = { maxBytes: 10 * 1024 * 1024, types: ['image/png', 'image/jpeg', 'application/pdf', 'text/plain'] };
const file = (name: string, type: string, size = 1000) => ({ name, type, size });

describe('attachmentProblem', () => {
  it('lets through accepted types up to the limit, whatever case the extension is in', () => {
    expect(attachmentProblem(file('IMG_0001.JPG', 'image/jpeg'), limits)).toBeNull();
    expect(attachmentProblem(file('scan.pdf', 'application/pdf', limits.maxBytes), limits)).toBeNull();
    // Pasted screenshots and files the system knows no type for are judged by their name.
    expect(attachmentProblem(file('image.png', ''), limits)).toBeNull();
    expect(attachmentProblem(file('notes.txt', 'application/octet-stream'), limits)).toBeNull();
  });

  it('refuses empty and oversized files before uploading them', () => {
    expect(attachmentProblem(file('a.png', 'image/png', 0), limits)).toBe('ATTACHMENT_EMPTY');
    expect(attachmentProblem(file('a.png', 'image/png', limits.maxBytes + 1), limits)).toBe('ATTACHMENT_TOO_LARGE');
  });

  it('refuses types off the list and names that contradict the type', () => {
    expect(attachmentProblem(file('logo.svg', 'image/svg+xml'), limits)).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    expect(attachmentProblem(file('setup.exe', 'application/x-msdownload'), limits)).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    expect(attachmentProblem(file('anim.gif', 'image/gif'), limits)).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    expect(attachmentProblem(file('photo.png.exe', 'image/png'), limits)).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    expect(attachmentProblem(file('mystery', ''), limits)).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
  });
});

describe('presentation', () => {
  it('offers the picker the types and their extensions', () => {
    expect(acceptAttribute(['image/png', 'image/jpeg']).split(',')).toEqual(['image/png', 'image/jpeg', '.png', '.jpg', '.jpeg', '.jpe', '.jfif']);
  });

  it('names types and sizes as people know them', () => {
    expect(typeLabels([...limits.types, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'])).toEqual([
      'PNG',
      'JPEG',
      'PDF',
      'TXT',
      'Word',
    ]);
    expect(formatBytes(10 * 1024 * 1024, 'zh-CN')).toBe('10 MB');
    expect(formatBytes(2.5 * 1024 * 1024, 'en')).toBe('2.5 MB');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(12, 'en')).toBe('12 B');
  });
});
