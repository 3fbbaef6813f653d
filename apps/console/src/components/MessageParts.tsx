import type { MessagePart } from '@kefu/protocol';
import { useT } from '../i18n/i18n';

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
            return (
              <div key={key} className="part part-attachment">
                <span className="part-label">{t('message.attachment')}</span>
                <a href={p.url} target="_blank" rel="noreferrer noopener">
                  {p.name}
                </a>
                <span className="muted small"> {p.mimeType}</span>
              </div>
            );
          default:
            return null;
        }
      })}
    </div>
  );
}
