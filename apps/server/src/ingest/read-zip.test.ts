import { crc32 } from 'node:zlib';
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readZip } from './read-zip.js';

interface Entry {
  name: string;
  data: Uint8Array;
  method: 0 | 8;
}

/**
 * A zip written the way streaming writers do (Java's ZipOutputStream, which many DOCX/XLSX
 * generators use): sizes and CRC are unknown in the local header and follow the data in a
 * data descriptor; only the central directory has them up front.
 */
function streamedZip(entries: Entry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const push = (b: Uint8Array) => {
    chunks.push(b);
    offset += b.length;
  };
  for (const entry of entries) {
    const name = strToU8(entry.name);
    const body = entry.method === 8 ? deflateSync(entry.data) : entry.data;
    const crc = crc32(entry.data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(6, 0x0008, true);
    local.setUint16(8, entry.method, true);
    local.setUint16(26, name.length, true);
    const headerOffset = offset;
    push(new Uint8Array(local.buffer));
    push(name);
    push(body);
    const descriptor = new DataView(new ArrayBuffer(16));
    descriptor.setUint32(0, 0x08074b50, true);
    descriptor.setUint32(4, crc, true);
    descriptor.setUint32(8, body.length, true);
    descriptor.setUint32(12, entry.data.length, true);
    push(new Uint8Array(descriptor.buffer));
    const header = new DataView(new ArrayBuffer(46));
    header.setUint32(0, 0x02014b50, true);
    header.setUint16(4, 20, true);
    header.setUint16(6, 20, true);
    header.setUint16(8, 0x0008, true);
    header.setUint16(10, entry.method, true);
    header.setUint32(16, crc, true);
    header.setUint32(20, body.length, true);
    header.setUint32(24, entry.data.length, true);
    header.setUint16(28, name.length, true);
    header.setUint32(42, headerOffset, true);
    central.push(new Uint8Array(header.buffer), name);
  }
  const centralStart = offset;
  for (const c of central) push(c);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, offset - centralStart, true);
  end.setUint32(16, centralStart, true);
  push(new Uint8Array(end.buffer));
  const out = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const options = { maxEntries: 100, maxUncompressedBytes: 1024 * 1024, extract: (name: string) => name.endsWith('.xml'), label: 'DOCX' };

describe('readZip', () => {
  it('reads archives written by streaming writers (data descriptors), deflated and stored, extracting only wanted entries', () => {
    const xml = strToU8(`<w:document>${'<w:p>退货政策</w:p>'.repeat(500)}</w:document>`);
    const zip = streamedZip([
      { name: 'word/document.xml', data: xml, method: 8 },
      { name: 'word/styles.xml', data: strToU8('<w:styles/>'), method: 0 },
      { name: 'word/media/image1.png', data: new Uint8Array(5000), method: 8 },
    ]);
    const result = readZip(zip, options);
    if ('kind' in result) throw new Error(result.message);
    expect(result.names).toEqual(['word/document.xml', 'word/styles.xml', 'word/media/image1.png']);
    expect([...result.files.keys()]).toEqual(['word/document.xml', 'word/styles.xml']);
    expect(new TextDecoder().decode(result.files.get('word/document.xml'))).toBe(new TextDecoder().decode(xml));
    expect(new TextDecoder().decode(result.files.get('word/styles.xml'))).toBe('<w:styles/>');
  });

  it('stops inflating a streamed entry that outgrows the size its central directory declares', () => {
    const zip = streamedZip([{ name: 'word/document.xml', data: new Uint8Array(4 * 1024 * 1024), method: 8 }]);
    // Declare 1 KB in the central directory; the descriptor after the data still tells the truth.
    const view = new DataView(zip.buffer);
    const central = zip.length - 22 - 46 - 'word/document.xml'.length;
    expect(view.getUint32(central, true)).toBe(0x02014b50);
    view.setUint32(central + 24, 1024, true);
    expect(readZip(zip, options)).toMatchObject({ kind: 'failure', code: 'ARCHIVE_TOO_LARGE' });
  });

  it('reports damaged compressed data as a damaged file', () => {
    const zip = streamedZip([{ name: 'word/document.xml', data: strToU8('<w:document>hello hello hello</w:document>'), method: 8 }]);
    zip.fill(0xff, 30 + 'word/document.xml'.length, 30 + 'word/document.xml'.length + 6);
    expect(readZip(zip, options)).toMatchObject({ kind: 'failure', code: 'PARSE_FAILED' });
  });
});
