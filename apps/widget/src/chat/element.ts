export type ElementProps = Record<string, string | number | boolean | undefined>;

/**
 * createElement with properties (attributes for aria-*, data-* and role) and children. Strings become
 * text nodes through append(), never markup, so message text cannot inject HTML.
 */
export function element<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  props: ElementProps = {},
  children: Array<Node | string> = [],
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (name.startsWith('aria-') || name.startsWith('data-') || name === 'role') node.setAttribute(name, String(value));
    else (node as unknown as Record<string, unknown>)[name] = value;
  }
  node.append(...children);
  return node;
}
