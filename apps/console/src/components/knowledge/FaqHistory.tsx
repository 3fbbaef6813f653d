import type { FaqVersion } from '@kefu/protocol';
import { useState } from 'react';
import { type MessageKey, useI18n } from '../../i18n/i18n';
import { formatFull, formatRelative } from '../../lib/format';
import { type DiffOp, diffList, diffText } from '../../lib/text-diff';
import type { Loaded } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { faqLanguageLabel } from './KnowledgeBadges';

interface Props {
  versions: Loaded<{ items: FaqVersion[] }>;
  currentVersion: number;
  canEdit: boolean;
  names: ReadonlyMap<string, string>;
  /** Restores a version as a new one; resolves when the entry shows it. */
  onRestore(version: number): Promise<void>;
  restoring: number | null;
}

/** Every version of the entry, newest first; each opens to what changed against the one before. */
export function FaqHistory({ versions, currentVersion, canEdit, names, onRestore, restoring }: Props) {
  const { t, locale } = useI18n();
  const items = versions.data?.items ?? [];
  // The newest version starts open: "what changed last" is the usual question.
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set([currentVersion]));
  // A save or restore made a new version: show what it changed, fold the rest.
  const [shownCurrent, setShownCurrent] = useState(currentVersion);
  if (shownCurrent !== currentVersion) {
    setShownCurrent(currentVersion);
    setOpen(new Set([currentVersion]));
  }
  const toggle = (v: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(v)) next.delete(v);
      else next.add(v);
      return next;
    });

  return (
    <section className="kb-card faq-history" aria-labelledby="faq-history-title" data-testid="faq-history">
      <div className="kb-card-head">
        <h2 id="faq-history-title" className="kb-card-title">
          {t('kb.history.title')}
        </h2>
        {items.length > 0 && <span className="muted small">{t('kb.history.count', { count: items.length })}</span>}
      </div>
      {versions.error ? <ErrorNotice error={versions.error} compact onDismiss={() => void versions.reload()} /> : null}
      {versions.loading && items.length === 0 && <p className="muted small">{t('kb.history.loading')}</p>}
      <ol className="versions">
        {items.map((v) => {
          const isOpen = open.has(v.version);
          const author = v.authorId ? (names.get(v.authorId) ?? t('kb.history.member', { id: v.authorId.slice(-6) })) : t('kb.history.system');
          const bodyId = `version-${v.version}-body`;
          return (
            <li
              key={v.version}
              className={`version change-${v.change}${isOpen ? ' is-open' : ''}${v.version === currentVersion ? ' is-current' : ''}`}
              data-version={v.version}
            >
              <button type="button" className="version-head" aria-expanded={isOpen} aria-controls={bodyId} onClick={() => toggle(v.version)}>
                <span className="version-dot" aria-hidden="true" />
                <span className="version-line">
                  <span className="version-num">{t('kb.version', { version: v.version })}</span>
                  <span className={`version-change change-${v.change}`}>{t(`kb.change.${v.change}`)}</span>
                  {v.version === currentVersion && <span className="version-current">{t('kb.history.current')}</span>}
                </span>
                <span className="version-meta">
                  <time dateTime={v.createdAt} title={formatFull(v.createdAt, locale)}>
                    {formatRelative(v.createdAt, locale)}
                  </time>
                  {' · '}
                  {author}
                </span>
                {!isOpen && v.diff.length > 0 && (
                  <span className="version-fields">{v.diff.map((d) => fieldLabel(d.field, t)).join(t('kb.listSeparator'))}</span>
                )}
              </button>
              {isOpen && (
                <div className="version-body" id={bodyId}>
                  {v.diff.length === 0 ? <p className="muted small">{t('kb.history.noDiff')}</p> : <DiffTable diff={v.diff} />}
                  {canEdit && v.version !== currentVersion && (
                    <button
                      type="button"
                      className="btn btn-small version-restore"
                      onClick={() => void onRestore(v.version)}
                      disabled={restoring !== null}
                      data-testid={`restore-${v.version}`}
                    >
                      <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
                        <path
                          d="M3 8a5 5 0 1 0 1.5-3.5M3 2.5V5h2.5"
                          fill="none"
                          stroke="currentColor"
                          strokeWidth="1.5"
                          strokeLinecap="round"
                          strokeLinejoin="round"
                        />
                      </svg>
                      {restoring === v.version ? t('kb.history.restoring') : t('kb.history.restore')}
                    </button>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

const FIELD_KEYS: Record<string, MessageKey> = {
  externalId: 'kb.field.externalId',
  question: 'kb.field.question',
  similar: 'kb.field.similar',
  answer: 'kb.field.answer',
  category: 'kb.field.category',
  language: 'kb.field.language',
  status: 'kb.field.status',
  tags: 'kb.field.tags',
  variants: 'kb.field.variants',
  validFrom: 'kb.field.validFrom',
  validUntil: 'kb.field.validUntil',
  audience: 'kb.field.audience',
};

const fieldLabel = (field: string, t: (k: MessageKey) => string) => (FIELD_KEYS[field] ? t(FIELD_KEYS[field]) : field);

function DiffTable({ diff }: { diff: FaqVersion['diff'] }) {
  const t = useI18n().t;
  return (
    <dl className="diff">
      {diff.map((d) => (
        <div key={d.field} className="diff-row" data-field={d.field}>
          <dt>{fieldLabel(d.field, t)}</dt>
          <dd>
            <ValueDiff field={d.field} before={d.before} after={d.after} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

const TEXT_FIELDS = new Set(['question', 'answer']);

/** One field's change, drawn by kind: text inline, lists item by item, values as before → after. */
function ValueDiff({ field, before, after }: { field: string; before: unknown; after: unknown }) {
  const { t, locale } = useI18n();
  if (TEXT_FIELDS.has(field) || (typeof before === 'string' && typeof after === 'string' && (before.length > 40 || after.length > 40))) {
    const parts = diffText(asText(before), asText(after));
    return (
      <p className="text-diff">
        {parts.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: diff parts are positional
          <Mark key={i} op={p.op} text={p.text} />
        ))}
      </p>
    );
  }
  if (Array.isArray(before) || Array.isArray(after)) {
    const toItems = (v: unknown) => (Array.isArray(v) ? v.map((x) => (field === 'variants' ? variantText(x, t) : String(x))) : []);
    const items = diffList(toItems(before), toItems(after));
    if (items.length === 0) return <span className="muted">{t('kb.diff.empty')}</span>;
    return (
      <ul className={`list-diff${field === 'variants' ? ' is-block' : ''}`}>
        {items.map((item) => (
          <li key={`${item.op}:${item.text}`}>
            <Mark op={item.op} text={item.text} />
          </li>
        ))}
      </ul>
    );
  }
  const show = (v: unknown) => scalarText(field, v, t, locale);
  return (
    <span className="scalar-diff">
      {before !== null && before !== undefined && (
        <>
          <Mark op="removed" text={show(before)} />
          <span className="diff-arrow" aria-hidden="true">
            →
          </span>
        </>
      )}
      {after === null || after === undefined ? <span className="muted">{t('kb.diff.unset')}</span> : <Mark op="added" text={show(after)} />}
    </span>
  );
}

function Mark({ op, text }: { op: DiffOp; text: string }) {
  const t = useI18n().t;
  if (op === 'same') return <span className="diff-same">{text}</span>;
  const Tag = op === 'removed' ? 'del' : 'ins';
  return (
    <Tag className={`diff-${op}`}>
      <span className="sr-only">{op === 'removed' ? t('kb.diff.removed') : t('kb.diff.added')} </span>
      {text}
    </Tag>
  );
}

const asText = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v));

function variantText(v: unknown, t: (k: MessageKey) => string) {
  if (!v || typeof v !== 'object') return String(v);
  const { language, channel, answer } = v as { language?: string; channel?: string; answer?: string };
  const target = [faqLanguageLabel(language, t), channel].filter(Boolean).join(' · ');
  return `[${target || t('kb.variant.anyLanguage')}] ${answer ?? ''}`;
}

function scalarText(field: string, v: unknown, t: (k: MessageKey) => string, locale: string) {
  if (field === 'status' && typeof v === 'string' && ['draft', 'published', 'archived'].includes(v)) return t(`kb.status.${v as 'draft'}`);
  if (field === 'audience' && (v === 'public' || v === 'internal')) return t(`kb.audience.${v}`);
  if (field === 'language' && typeof v === 'string') return faqLanguageLabel(v, t) ?? v;
  if ((field === 'validFrom' || field === 'validUntil') && typeof v === 'string') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? v : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
  }
  return asText(v);
}
