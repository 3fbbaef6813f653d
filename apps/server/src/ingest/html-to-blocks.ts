import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { Block } from './parsed-document.js';

/**
 * The slice of the DOM this module uses. The server compiles without the DOM lib, and linkedom's
 * own types refer to DOM globals, so the shape is spelled out here.
 */
interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}
interface DomElement extends DomNode {
  tagName: string;
  children: ArrayLike<DomElement>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  closest(selector: string): DomElement | null;
  remove(): void;
}
interface DomDocument {
  title: string;
  body: DomElement | null;
  documentElement: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  cloneNode(deep: boolean): DomDocument;
}

export interface HtmlToBlocksOptions {
  /**
   * A web page: keep the main content only (semantic `<main>`/`<article>`, else Mozilla
   * Readability, else the body less menus). Off for HTML we generated ourselves (Markdown, DOCX).
   */
  mainContent: boolean;
}

export interface HtmlBlocks {
  title: string;
  blocks: Block[];
}

// Never content, on any page.
const ALWAYS_DROP = ['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'canvas', 'audio', 'video', 'map', 'head'].join(',');

// Page furniture: dropped from web pages, kept in documents we generated.
const CHROME = [
  'nav',
  'aside',
  'form',
  'button',
  'select',
  'input',
  'textarea',
  'dialog',
  '[role="navigation"]',
  '[role="banner"]',
  '[role="contentinfo"]',
  '[role="complementary"]',
  '[role="search"]',
  '[role="dialog"]',
  '[aria-hidden="true"]',
  '[hidden]',
  '[style*="display:none"]',
  '[style*="display: none"]',
].join(',');

// Class or id words that mark page furniture.
const BOILERPLATE =
  /(?:^|[\s_-])(cookie|consent|breadcrumbs?|share|sharing|social|advert|ads?|promo|popup|modal|newsletter|sidebar|menu|navbar|footer|header|comments?|related|recommend(?:ed)?)(?:$|[\s_-])/i;

const HEADING = /^H([1-6])$/;
const INLINE = new Set([
  'A',
  'ABBR',
  'B',
  'BDI',
  'BDO',
  'CITE',
  'CODE',
  'DATA',
  'DEL',
  'DFN',
  'EM',
  'FONT',
  'I',
  'IMG',
  'INS',
  'KBD',
  'LABEL',
  'MARK',
  'Q',
  'RUBY',
  'RT',
  'RP',
  'S',
  'SAMP',
  'SMALL',
  'SPAN',
  'STRIKE',
  'STRONG',
  'SUB',
  'SUP',
  'TIME',
  'TT',
  'U',
  'VAR',
  'WBR',
]);
// Cells of a data table hold words and paragraphs (Word puts a <p> in every cell); cells holding
// headings, lists or tables belong to a table used for page layout.
const BLOCK_IN_CELL = 'h1,h2,h3,h4,h5,h6,ul,ol,table,pre,blockquote,section,article';

/** HTML → title and blocks. Never throws for malformed markup (the parser recovers like a browser). */
export function htmlToBlocks(html: string, options: HtmlToBlocksOptions): HtmlBlocks {
  const document = parseHtml(html);
  const pageTitle = cleanInline(document.title ?? '');
  for (const el of Array.from(document.querySelectorAll(ALWAYS_DROP))) el.remove();
  // Readability turns every h1 into h2; the original level is kept aside so heading paths stay right.
  for (const el of Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'))) el.setAttribute('data-kefu-level', el.tagName.slice(1));
  const firstH1 = cleanInline(document.querySelector('h1')?.textContent ?? '');
  if (!options.mainContent) {
    const root = document.body ?? document.documentElement;
    return { title: firstH1 || pageTitle, blocks: root ? walk(root) : [] };
  }

  for (const el of Array.from(document.querySelectorAll(CHROME))) el.remove();
  for (const el of Array.from(document.querySelectorAll('header,footer'))) {
    // A header inside an article holds its title; only the page's own header and footer go.
    if (!el.closest('article,main,[role="main"]')) el.remove();
  }
  const body = document.body ?? document.documentElement;
  if (!body) return { title: pageTitle, blocks: [] };
  pruneBoilerplate(body);

  let title = firstH1 || pageTitle;
  let root = semanticMain(document);
  if (!root) {
    const article = readable(document);
    // Readability sometimes keeps one section of a page of many short FAQ sections: when it keeps
    // less than a quarter of the text, the pruned body is the better guess.
    if (article && article.length > 0 && article.length >= textLength(body) * 0.25) {
      root = article.root;
      title = article.title || title;
    }
  }
  root ??= body;
  pruneLinkLists(root);
  return { title, blocks: walk(root).filter((b) => !isLegalNotice(b)) };
}

function parseHtml(html: string): DomDocument {
  // linkedom makes the first element the root when there is no <html>, so fragments are wrapped.
  const source = /<html[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`;
  return (parseHTML(source) as unknown as { document: DomDocument }).document;
}

function semanticMain(document: DomDocument): DomElement | null {
  const main = document.querySelector('main,[role="main"]');
  if (main && textLength(main) > 0) return main;
  const articles = Array.from(document.querySelectorAll('article')).filter((a) => !isInside(a, 'article'));
  if (articles.length === 1 && textLength(articles[0]!) > 0) return articles[0]!;
  return null;
}

function isInside(el: DomElement, selector: string): boolean {
  const parent = (el as unknown as { parentElement: DomElement | null }).parentElement;
  return parent?.closest(selector) != null;
}

function readable(document: DomDocument): { title: string; root: DomElement; length: number } | null {
  try {
    const result = new Readability(document.cloneNode(true) as never, { charThreshold: 100 }).parse();
    if (!result?.content) return null;
    const root = parseHtml(result.content).body;
    if (!root) return null;
    return { title: cleanInline(result.title ?? ''), root, length: textLength(root) };
  } catch {
    return null;
  }
}

/** Removes elements whose class or id names them as page furniture, unless they hold the page's content. */
function pruneBoilerplate(body: DomElement): void {
  const total = textLength(body);
  for (const el of Array.from(body.querySelectorAll('[class],[id]'))) {
    if (/^(MAIN|ARTICLE|BODY|HTML)$/.test(el.tagName)) continue;
    const words = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (!BOILERPLATE.test(words) || el.querySelector('main,article,h1,h2')) continue;
    if (textLength(el) <= total * 0.5) el.remove();
  }
}

/** Menus and tables of contents not marked up as <nav>: lists that are nearly all links. */
function pruneLinkLists(root: DomElement): void {
  for (const list of Array.from(root.querySelectorAll('ul,ol'))) {
    const total = textLength(list);
    const linked = Array.from(list.querySelectorAll('a')).reduce((n, a) => n + textLength(a), 0);
    if (total > 0 && linked / total > 0.7) list.remove();
  }
}

// Footer lines that survive when a site does not use <footer>: copyright and ICP licence notices.
const LEGAL = /^(?:©|\(c\)\s|copyright\b|版权所有|版權所有)|[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP[备证]/i;

function isLegalNotice(block: Block): boolean {
  return block.type === 'paragraph' && block.text.length < 200 && LEGAL.test(block.text);
}

function textLength(el: DomNode): number {
  return (el.textContent ?? '').replace(/\s+/g, '').length;
}

// --- DOM → blocks -------------------------------------------------------------------------------

function walk(root: DomElement): Block[] {
  const blocks: Block[] = [];
  let inline = '';
  const flush = () => {
    const text = cleanText(inline);
    if (text) blocks.push({ type: 'paragraph', text });
    inline = '';
  };
  const visit = (node: DomNode) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) {
        inline += collapse(child.textContent ?? '');
        continue;
      }
      if (child.nodeType !== 1) continue;
      const el = child as DomElement;
      const tag = el.tagName.toUpperCase();
      if (tag === 'BR') {
        inline += '\n';
      } else if (INLINE.has(tag)) {
        inline += inlineText(el);
      } else if (HEADING.test(tag)) {
        flush();
        const text = cleanInline(inlineText(el));
        const level = Number(el.getAttribute('data-kefu-level') ?? HEADING.exec(tag)![1]);
        if (text) blocks.push({ type: 'heading', level, text });
      } else if (tag === 'P') {
        flush();
        inline = inlineText(el);
        flush();
      } else if (tag === 'UL' || tag === 'OL') {
        flush();
        const items = listItems(el);
        if (items.length > 0) blocks.push(tag === 'OL' ? { type: 'list', items, ordered: true } : { type: 'list', items });
      } else if (tag === 'DL') {
        flush();
        const items = definitionItems(el);
        if (items.length > 0) blocks.push({ type: 'list', items });
      } else if (tag === 'TABLE') {
        flush();
        if (isLayoutTable(el)) {
          for (const cell of Array.from(el.querySelectorAll('td,th'))) {
            if (cell.closest('table') !== el) continue;
            visit(cell);
            flush();
          }
        } else {
          const rows = tableRows(el);
          if (rows.length === 1 && rows[0]!.length === 1) blocks.push({ type: 'paragraph', text: rows[0]![0]! });
          else if (rows.length > 0) blocks.push({ type: 'table', rows });
        }
      } else if (tag === 'PRE') {
        flush();
        const text = (el.textContent ?? '').replace(/^\n+|\s+$/g, '');
        const lang = /(?:^|\s)(?:language|lang)-([\w+#-]+)/.exec(
          `${el.getAttribute('class') ?? ''} ${el.querySelector('code')?.getAttribute('class') ?? ''}`,
        )?.[1];
        if (text) blocks.push(lang ? { type: 'code', text, lang } : { type: 'code', text });
      } else if (tag === 'HR') {
        flush();
      } else {
        // div, section, blockquote, li outside a list, figure, details, …: a container.
        flush();
        visit(el);
        flush();
      }
    }
  };
  visit(root);
  flush();
  return blocks;
}

/** Text of an element laid out inline: `<br>` and nested blocks become line breaks. */
function inlineText(el: DomElement): string {
  let out = '';
  for (const child of Array.from(el.childNodes)) {
    if (child.nodeType === 3) out += collapse(child.textContent ?? '');
    else if (child.nodeType === 1) {
      const tag = (child as DomElement).tagName.toUpperCase();
      if (tag === 'BR') out += '\n';
      else if (INLINE.has(tag)) out += inlineText(child as DomElement);
      else out += `\n${inlineText(child as DomElement)}\n`;
    }
  }
  return out;
}

function listItems(list: DomElement, depth = 0): string[] {
  const items: string[] = [];
  for (const li of Array.from(list.children)) {
    if (li.tagName.toUpperCase() !== 'LI') continue;
    let own = '';
    const nested: string[] = [];
    for (const child of Array.from(li.childNodes)) {
      const tag = child.nodeType === 1 ? (child as DomElement).tagName.toUpperCase() : '';
      if (tag === 'UL' || tag === 'OL')
        nested.push(...listItems(child as DomElement, depth + 1).map((item) => `${'  '.repeat(depth + 1)}- ${item.trimStart()}`));
      else if (child.nodeType === 3) own += collapse(child.textContent ?? '');
      else if (tag === 'BR') own += '\n';
      else if (child.nodeType === 1) own += INLINE.has(tag) ? inlineText(child as DomElement) : `\n${inlineText(child as DomElement)}\n`;
    }
    const text = [cleanText(own), ...nested].filter(Boolean).join('\n');
    if (text) items.push(text);
  }
  return items;
}

function definitionItems(dl: DomElement): string[] {
  const items: string[] = [];
  let term = '';
  for (const child of Array.from(dl.children)) {
    const tag = child.tagName.toUpperCase();
    const text = cleanText(inlineText(child));
    if (!text) continue;
    if (tag === 'DT') {
      if (term) items.push(term);
      term = text;
    } else if (tag === 'DD') {
      items.push(term ? `${term}: ${text}` : text);
      term = '';
    }
  }
  if (term) items.push(term);
  return items;
}

// A table used to lay out a page (cells holding headings, paragraphs, lists) is walked as
// containers; a table of data becomes rows.
function isLayoutTable(table: DomElement): boolean {
  return Array.from(table.querySelectorAll('td,th')).some((cell) => cell.closest('table') === table && cell.querySelector(BLOCK_IN_CELL) !== null);
}

function tableRows(table: DomElement): string[][] {
  const rows: string[][] = [];
  for (const tr of Array.from(table.querySelectorAll('tr'))) {
    if (tr.closest('table') !== table) continue;
    const cells = Array.from(tr.children)
      .filter((c) => /^(TD|TH)$/i.test(c.tagName))
      .map((c) => cleanInline(inlineText(c)));
    if (cells.some((c) => c !== '')) rows.push(cells);
  }
  return rows;
}

// --- whitespace ---------------------------------------------------------------------------------

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u3000-\\u303F\\uFF00-\\uFFEF';
const CJK_BREAK = new RegExp(`([${CJK}])[ \\t\\r\\n\\f]*\\n[ \\t\\r\\n\\f]*(?=[${CJK}])`, 'gu');

/** Source whitespace as a browser shows it: runs collapse to a space; a line break between two CJK characters disappears. */
function collapse(text: string): string {
  return text.replace(CJK_BREAK, '$1').replace(/[ \t\r\n\f]+/g, ' ');
}

/** Multi-line text: lines trimmed, blank lines dropped, no-break and ideographic spaces kept as spaces. */
function cleanText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \u00A0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** One-line text (headings, cells, titles). */
function cleanInline(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
