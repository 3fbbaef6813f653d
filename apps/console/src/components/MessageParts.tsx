import type { MessagePart } from '@kefu/protocol';
import { useI18n, useT } from '../i18n/i18n';

/** Rich parts as the agent sees them: what the customer was offered, not clickable for the agent. */
export function MessageParts({ parts }: { parts: readonly MessagePart[] }) {
  const t = useT();
  if (parts.length === 0) return null;
  return (
    <div className="parts">
      {parts.map((p, i) => {
        const key = `${p.type}-${i}`;
        switch (p.type) {
          case 'sources':
            return (
              <div key={key} className="part part-sources">
                <span className="part-label">{t('message.sources')}</span>
                <ul>
                  {p.sources.map((s) => (
                    <li key={s.id}>
                      {s.externalId && <code>{s.externalId}</code>} {s.title}
                    </li>
                  ))}
                </ul>
              </div>
            );
          case 'quick_replies':
            return (
              <div key={key} className="part part-options">
                <span className="part-label">{t('message.quickReplies')}</span>
                <ul className="chips">
                  {p.options.map((o) => (
                    <li key={o.value} className="chip">
                      {o.label}
                    </li>
                  ))}
                </ul>
              </div>
            );
          case 'buttons':
            return (
              <div key={key} className="part part-options">
                <span className="part-label">{t('message.quickReplies')}</span>
                <ul className="chips">
                  {p.buttons.map((b) => (
                    <li key={b.label} className="chip">
                      {b.url ? (
                        <a href={b.url} target="_blank" rel="noreferrer noopener">
                          {b.label}
                        </a>
                      ) : (
                        b.label
                      )}
                    </li>
                  ))}
                </ul>
              </div>
            );
          case 'card':
            return (
              <div key={key} className="part part-card">
                {p.imageUrl && <img src={p.imageUrl} alt="" loading="lazy" />}
                <div className="part-card-body">
                  <strong>{p.title}</strong>
                  {p.text && <p>{p.text}</p>}
                  {p.url && (
                    <a href={p.url} target="_blank" rel="noreferrer noopener">
                      {t('message.open')}
                    </a>
                  )}
                </div>
              </div>
            );
          case 'attachment':
            return <AttachmentPart key={key} part={p} />;
          default:
            return null;
        }
      })}
    </div>
  );
}

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * A file sent in the conversation: an image as a thumbnail that opens full size in a new tab, any other
 * file as a download link; both with the name and size.
 */
function AttachmentPart({ part }: { part: Extract<MessagePart, { type: 'attachment' }> }) {
  const { t, locale } = useI18n();
  const size = part.size === undefined ? null : formatSize(part.size, locale);
  return (
    <div className="part part-attachment">
      <span className="part-label">{t('message.attachment')}</span>
      {IMAGE_TYPES.has(part.mimeType) && (
        <a href={part.url} target="_blank" rel="noreferrer noopener" title={part.name}>
          <img
            src={part.url}
            alt={part.name}
            loading="lazy"
            width={part.width}
            height={part.height}
            style={{ display: 'block', width: 'auto', height: 'auto', maxWidth: 'min(100%, 320px)', maxHeight: 200, margin: '4px 0', borderRadius: 6 }}
          />
        </a>
      )}
      <a href={part.url} download={part.name} target="_blank" rel="noreferrer noopener">
        {part.name}
      </a>
      {size && <span className="muted small"> {size}</span>}
    </div>
  );
}

/** 2.4 MB, 512 KB, 12 B in the agent's number format. */
function formatSize(bytes: number, locale: string): string {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'MB'] : bytes >= 1024 ? [bytes / 1024, 'KB'] : [bytes, 'B'];
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)} ${unit}`;
}
