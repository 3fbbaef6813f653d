/**
 * The little Markdown that answers use: paragraphs, line breaks, `- ` / `1. ` lists, `**bold**` and
 * bare http(s) links. Text is parsed into plain data and built with createElement/textContent, so
 * nothing from a message is ever parsed as HTML.
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

/** Builds the DOM for `text`; every piece of message text goes through createTextNode. */
export function renderRichText(doc: Document, text: string): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  for (const block of parseRichText(text)) {
    if (block.type === 'paragraph') {
      const p = doc.createElement('p');
      block.lines.forEach((line, i) => {
        if (i > 0) p.append(doc.createElement('br'));
        appendInline(doc, p, line);
      });
      fragment.append(p);
    } else {
      const list = doc.createElement(block.ordered ? 'ol' : 'ul');
      if (block.ordered && block.start !== 1) list.setAttribute('start', String(block.start));
      for (const item of block.items) {
        const li = doc.createElement('li');
        appendInline(doc, li, item);
        list.append(li);
      }
      fragment.append(list);
    }
  }
  return fragment;
}

function appendInline(doc: Document, parent: HTMLElement, inlines: Inline[]) {
  for (const inline of inlines) {
    if (inline.type === 'text') parent.append(doc.createTextNode(inline.text));
    else if (inline.type === 'strong') {
      const strong = doc.createElement('strong');
      strong.textContent = inline.text;
      parent.append(strong);
    } else {
      const a = doc.createElement('a');
      a.href = inline.href;
      a.textContent = inline.text;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      parent.append(a);
    }
  }
}
