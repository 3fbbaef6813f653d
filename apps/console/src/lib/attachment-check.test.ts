import { describe, expect, it } from 'vitest';
import { acceptAttribute, attachmentProblem, attachmentType, DEFAULT_ATTACHMENT_LIMITS, formatBytes, isImageType, typeLabels } from './attachment-check';

const limits = { maxBytes: 10 * 1024 * 1024, types: ['image/png', 'image/jpeg', 'application/pdf', 'text/plain'] };
const file = (name: string, type: string, size = 100) => ({ name, type, size });

describe('checking a file before it is uploaded', () => {
  it('lets an accepted file up to the limit through', () => {
    expect(attachmentProblem(file('scan.pdf', 'application/pdf', limits.maxBytes), limits)).toBeNull();
    expect(attachmentProblem(file('IMG_0001.JPG', 'image/jpeg'), limits)).toBeNull();
    // A pasted screenshot has a type and a made-up name; a file without a type is judged by its name.
    expect(attachmentProblem(file('image.png', 'image/png'), limits)).toBeNull();
    expect(attachmentProblem(file('server.log', ''), limits)).toBeNull();
  });

  it('refuses empty files and files over the limit', () => {
    expect(attachmentProblem(file('a.png', 'image/png', 0), limits)).toBe('ATTACHMENT_EMPTY');
    expect(attachmentProblem(file('a.png', 'image/png', limits.maxBytes + 1), limits)).toBe('ATTACHMENT_TOO_LARGE');
  });

  it('refuses types the server does not take, and names that contradict the type', () => {
    expect(attachmentProblem(file('evil.svg', 'image/svg+xml'), limits)).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    expect(attachmentProblem(file('setup.exe', 'application/x-msdownload'), limits)).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    expect(attachmentProblem(file('setup.exe', ''), limits)).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    expect(attachmentProblem(file('photo.png', 'text/html'), limits)).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    // Known to kefu, but this server was configured without it.
    expect(attachmentProblem(file('anim.gif', 'image/gif'), limits)).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    expect(attachmentType(file('report.pdf', 'image/png'))).toBeNull();
  });

  it('leaves the size to the server while its limit is unknown', () => {
    expect(attachmentProblem(file('big.png', 'image/png', 500 * 1024 * 1024), DEFAULT_ATTACHMENT_LIMITS)).toBeNull();
  });

  it('offers the accepted types and their extensions to the file picker', () => {
    const accept = acceptAttribute(['image/png', 'image/jpeg']).split(',');
    expect(accept).toEqual(expect.arrayContaining(['image/png', 'image/jpeg', '.png', '.jpg', '.jpeg']));
    expect(accept).not.toContain('.pdf');
  });

  it('names types and sizes as people know them', () => {
    expect(typeLabels(limits.types)).toEqual(['PNG', 'JPEG', 'PDF', 'TXT']);
    expect(formatBytes(12, 'en')).toBe('12 B');
    expect(formatBytes(2.5 * 1024 * 1024, 'en')).toBe('2.5 MB');
    expect(formatBytes(512 * 1024, 'zh-CN')).toBe('512 KB');
    expect(isImageType('image/webp')).toBe(true);
    expect(isImageType('application/pdf')).toBe(false);
  });
});
