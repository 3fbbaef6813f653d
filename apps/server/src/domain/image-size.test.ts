import { describe, expect, it } from 'vitest';
import { solidPng } from '../test-support/files.js';
import { imageSize } from './image-size.js';

const bytes = (...parts: Array<number[] | string>) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
const le16 = (n: number) => [n & 0xff, n >> 8];
const be16 = (n: number) => [n >> 8, n & 0xff];

describe('imageSize', () => {
  it('reads the pixel size from PNG, GIF, WebP and JPEG headers', () => {
    expect(imageSize('image/png', solidPng(640, 480))).toEqual({ width: 640, height: 480 });
    expect(imageSize('image/gif', bytes('GIF89a', le16(320), le16(200), [0, 0, 0]))).toEqual({ width: 320, height: 200 });
    // Lossy (VP8): 3-byte frame tag, start code, then 14-bit sizes.
    const vp8 = bytes('RIFF', [0, 0, 0, 0], 'WEBP', 'VP8 ', [0, 0, 0, 0], [0, 0, 0], [0x9d, 0x01, 0x2a], le16(1024), le16(768));
    expect(imageSize('image/webp', vp8)).toEqual({ width: 1024, height: 768 });
    // Extended (VP8X): 24-bit sizes minus one.
    const vp8x = bytes('RIFF', [0, 0, 0, 0], 'WEBP', 'VP8X', [10, 0, 0, 0], [0, 0, 0, 0], [0x7f, 0x07, 0], [0x37, 0x04, 0]);
    expect(imageSize('image/webp', vp8x)).toEqual({ width: 1920, height: 1080 });
    // JPEG: an APP0 segment to skip, then a progressive start of frame (C2): height before width.
    const jpeg = bytes(
      [0xff, 0xd8],
      [0xff, 0xe0],
      be16(16),
      'JFIF',
      [0],
      Array(9).fill(0),
      [0xff, 0xc2],
      be16(17),
      [8],
      be16(600),
      be16(800),
      [3],
      Array(9).fill(0),
    );
    expect(imageSize('image/jpeg', jpeg)).toEqual({ width: 800, height: 600 });
  });

  it('gives up on damaged or truncated headers instead of inventing a size', () => {
    expect(imageSize('image/png', solidPng(10, 10).subarray(0, 18))).toBeNull();
    expect(imageSize('image/png', bytes([0x89], 'PNG', [0, 0, 0, 0], 'IDAT', Array(8).fill(0)))).toBeNull();
    expect(imageSize('image/gif', bytes('GIF89a', le16(0), le16(10)))).toBeNull();
    expect(imageSize('image/jpeg', bytes([0xff, 0xd8], [0x12, 0x34], Array(20).fill(0)))).toBeNull();
    expect(imageSize('application/pdf', bytes('%PDF-1.4'))).toBeNull();
  });
});
