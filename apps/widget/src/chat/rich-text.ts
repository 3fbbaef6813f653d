import { type Inline, parseRichText } from '@kefu/protocol/rich-text';

export { parseInline, parseRichText } from '@kefu/protocol/rich-text';

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
