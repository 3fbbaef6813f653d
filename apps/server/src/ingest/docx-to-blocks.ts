import mammoth from 'mammoth';
import { htmlToBlocks } from './html-to-blocks.js';
import { type ParseFailure, parseFailure } from './parse-failure.js';
import type { Block } from './parsed-document.js';
import { storeZip } from './read-zip.js';

// Built-in heading styles are named "heading 1" in styles.xml whatever the UI language; WPS and
// some templates use localised names, so those are mapped too.
const STYLE_MAP = [1, 2, 3, 4, 5, 6].flatMap((n) => [`p[style-name='标题 ${n}'] => h${n}:fresh`, `p[style-name='標題 ${n}'] => h${n}:fresh`]);

// Images are not read (the knowledge base holds text); their entries were never inflated.
const noImages = mammoth.images.imgElement(async () => ({ src: '' }));

/**
 * DOCX → title and blocks: mammoth maps Word styles to semantic HTML (headings, lists, tables),
 * which the HTML walker reads. `files` are the zip's XML parts, already inflated within limits.
 */
export async function docxToBlocks(files: Map<string, Uint8Array>): Promise<{ title: string; blocks: Block[]; warnings: string[] } | ParseFailure> {
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(storeZip(files)) },
      { styleMap: STYLE_MAP, convertImage: noImages, ignoreEmptyParagraphs: true, externalFileAccess: false },
    );
    const parsed = htmlToBlocks(result.value, { mainContent: false });
    const warnings = [...new Set(result.messages.map((m) => m.message))].slice(0, 20);
    return { title: coreTitle(files.get('docProps/core.xml')) || parsed.title, blocks: parsed.blocks, warnings };
  } catch (error) {
    return parseFailure('PARSE_FAILED', 'This DOCX file is damaged: its document part could not be read.', { cause: String(error) });
  }
}

function coreTitle(core: Uint8Array | undefined): string {
  if (!core) return '';
  const raw = /<dc:title>([^<]*)<\/dc:title>/.exec(new TextDecoder().decode(core))?.[1] ?? '';
  return decodeXmlEntities(raw).trim();
}

function decodeXmlEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) =>
    e.startsWith('#x') || e.startsWith('#X')
      ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : (named[e.toLowerCase()] ?? ''),
  );
}
