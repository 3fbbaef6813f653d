/**
 * The little Markdown that answers use: paragraphs, line breaks, `- ` / `1. ` / `1、` lists, `**bold**`
 * and bare http(s) links, parsed into plain data. One grammar for every client: the widget renders it
 * for customers and the console's editor previews it, so an editor sees what customers will see.
 * Renderers build elements from the data; nothing is ever parsed as HTML.
 */

export type Inline = { type: 'text'; text: string } | { type: 'strong'; text: string } | { type: 'link'; text: string; href: string };

export type Block = { type: 'paragraph'; lines: Inline[][] } | { type: 'list'; ordered: boolean; start: number; items: Inline[][] };

const BULLET = /^\s*[-*•·]\s+(.*)$/;
// Chinese answers number lists as `1、` as often as `1.`.
const NUMBERED = /^\s*(\d{1,3})[.)、]\s*(.*)$/;
const INLINE = /\*\*(?=\S)(.+?)(?<=\S)\*\*|(https?:\/\/[^\s<>"'，。；！？、）」』]+)/g;

export function parseRichText(text: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: Inline[][] | null = null;
  let list: Extract<Block, { type: 'list' }> | null = null;

  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      paragraph = null;
      list = null;
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      const ordered = numbered !== null;
      if (!list || list.ordered !== ordered) {
        list = { type: 'list', ordered, start: numbered ? Number(numbered[1]) : 1, items: [] };
        blocks.push(list);
      }
      list.items.push(parseInline(bullet ? bullet[1]! : numbered![2]!));
      paragraph = null;
      continue;
    }
    list = null;
    if (!paragraph) {
      paragraph = [];
      blocks.push({ type: 'paragraph', lines: paragraph });
    }
    paragraph.push(parseInline(line));
  }
  return blocks;
}

export function parseInline(line: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const match of line.matchAll(INLINE)) {
    if (match.index > last) out.push({ type: 'text', text: line.slice(last, match.index) });
    if (match[1] !== undefined) out.push({ type: 'strong', text: match[1] });
    else {
      const href = match[2]!.replace(/[.,;:!?)\]]+$/, '');
      out.push({ type: 'link', text: href, href });
      if (href.length < match[2]!.length) out.push({ type: 'text', text: match[2]!.slice(href.length) });
    }
    last = match.index + match[0].length;
  }
  if (last < line.length) out.push({ type: 'text', text: line.slice(last) });
  return out;
}

/** The answer as one line of plain text, for list previews: markup dropped, lines joined. */
export function plainText(text: string): string {
  return parseRichText(text)
    .flatMap((b) => (b.type === 'paragraph' ? b.lines : b.items))
    .map((line) => line.map((i) => i.text).join(''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
