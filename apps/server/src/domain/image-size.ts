/**
 * The pixel size of a PNG, GIF, WebP or JPEG read from its header, or null when the header does not hold
 * a sane one (a damaged file, or another format behind a valid signature). Clients use it to reserve a
 * thumbnail's space before the image loads, so the conversation does not jump.
 */
export function imageSize(mimeType: string, b: Uint8Array): { width: number; height: number } | null {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const size = (width: number, height: number) => (width > 0 && height > 0 && width <= 65_535 && height <= 65_535 ? { width, height } : null);
  try {
    switch (mimeType) {
      case 'image/png':
        // Signature (8), then the IHDR chunk: length (4), type (4), width, height.
        return ascii(b, 12, 4) === 'IHDR' ? size(v.getUint32(16), v.getUint32(20)) : null;
      case 'image/gif':
        return size(v.getUint16(6, true), v.getUint16(8, true));
      case 'image/webp':
        return webpSize(b, v, size);
      case 'image/jpeg':
        return jpegSize(b, v, size);
      default:
        return null;
    }
  } catch {
    // Read past the end: a truncated header.
    return null;
  }
}

type Size = (width: number, height: number) => { width: number; height: number } | null;

function webpSize(b: Uint8Array, v: DataView, size: Size) {
  switch (ascii(b, 12, 4)) {
    case 'VP8 ': // lossy: the frame header after a 3-byte tag and the 3-byte start code
      return size(v.getUint16(26, true) & 0x3fff, v.getUint16(28, true) & 0x3fff);
    case 'VP8L': {
      // lossless: 14 bits each, minus one, after the 0x2f signature byte
      const bits = v.getUint32(21, true);
      return size((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
    }
    case 'VP8X': // extended: 24 bits each, minus one
      return size(1 + (v.getUint16(24, true) | (b[26]! << 16)), 1 + (v.getUint16(27, true) | (b[29]! << 16)));
    default:
      return null;
  }
}

function jpegSize(b: Uint8Array, v: DataView, size: Size) {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    // Start of frame (baseline, progressive, lossless…); C4, C8 and CC share the range but are not frames.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return size(v.getUint16(at + 7), v.getUint16(at + 5));
    }
    at += 2 + v.getUint16(at + 2);
  }
  return null;
}

function ascii(b: Uint8Array, from: number, length: number): string {
  return String.fromCharCode(...b.subarray(from, from + length));
}
