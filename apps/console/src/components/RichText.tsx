import { Fragment, useMemo } from 'react';
import { type Inline, parseRichText } from '../lib/rich-text';

/** An answer drawn as customers see it in the widget. Text only ever becomes React text nodes. */
export function RichText({ text, className }: { text: string; className?: string }) {
  const blocks = useMemo(() => parseRichText(text), [text]);
  return (
    <div className={`rich-text${className ? ` ${className}` : ''}`}>
      {blocks.map((b, i) =>
        b.type === 'paragraph' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks have no identity but their position
          <p key={i}>
            {b.lines.map((line, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their position
              <Fragment key={j}>
                {j > 0 && <br />}
                <Inlines inlines={line} />
              </Fragment>
            ))}
          </p>
        ) : b.ordered ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: as above
          <ol key={i} start={b.start === 1 ? undefined : b.start}>
            {b.items.map((item, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: as above
              <li key={j}>
                <Inlines inlines={item} />
              </li>
            ))}
          </ol>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: as above
          <ul key={i}>
            {b.items.map((item, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: as above
              <li key={j}>
                <Inlines inlines={item} />
              </li>
            ))}
          </ul>
        ),
      )}
    </div>
  );
}

function Inlines({ inlines }: { inlines: Inline[] }) {
  return inlines.map((x, i) =>
    x.type === 'text' ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: inline runs have no identity but their position
      <Fragment key={i}>{x.text}</Fragment>
    ) : x.type === 'strong' ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: as above
      <strong key={i}>{x.text}</strong>
    ) : (
      // biome-ignore lint/suspicious/noArrayIndexKey: as above
      <a key={i} className="rich-link" href={x.href} target="_blank" rel="noopener noreferrer">
        {x.text}
      </a>
    ),
  );
}
