import { Marked } from 'marked';
import { htmlToBlocks } from './html-to-blocks.js';
import type { Block } from './parsed-document.js';

// One instance with GitHub-flavoured Markdown (tables, strikethrough); no global options touched.
const markdown = new Marked({ gfm: true, async: false });

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/;

/**
 * Markdown → title and blocks. marked renders to HTML and the one DOM walker reads that, so
 * Markdown with embedded HTML, entities and GFM tables ends up like the same page in a browser.
 */
export function markdownToBlocks(source: string): { title: string; blocks: Block[] } {
  let body = source;
  let title = '';
  const front = FRONT_MATTER.exec(source);
  if (front) {
    body = source.slice(front[0].length);
    title =
      /^title:[ \t]*(.+)$/m
        .exec(front[1] ?? '')?.[1]
        ?.trim()
        .replace(/^(["'])(.*)\1$/, '$2') ?? '';
  }
  const html = markdown.parse(body) as string;
  const parsed = htmlToBlocks(html, { mainContent: false });
  return { title: title || parsed.title, blocks: parsed.blocks };
}
