import type { FaqEntry } from '@kefu/protocol';
import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FaqListQuery } from '../../api/knowledge';
import { useI18n, useT } from '../../i18n/i18n';
import { FAQ_AUDIENCES, type FaqAudience } from '../../lib/faq-form';
import { formatFull, formatRelative } from '../../lib/format';
import { plainText } from '../../lib/rich-text';
import { followLink, knowledgeHref, navigateTo } from '../../state/route';
import { useFaqList } from '../../state/use-faq-list';
import { ErrorNotice } from '../ErrorNotice';
import { KbPageHead } from './KbPageHead';
import { AudienceBadge, FaqLanguageBadge, FaqStatusBadge } from './KnowledgeBadges';

/** `active` (published and drafts) is what people look for first; archived entries are one click away. */
export const STATUS_FILTERS = ['active', 'published', 'draft', 'archived', 'all'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
const STATUS_QUERY: Record<StatusFilter, string | undefined> = {
  active: 'published,draft',
  published: 'published',
  draft: 'draft',
  archived: 'archived',
  all: undefined,
};

const FILTER_KEYS = ['q', 'status', 'audience', 'category', 'tag'] as const;
type Filters = Record<(typeof FILTER_KEYS)[number], string>;

function filtersOf(params: URLSearchParams): Filters {
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Filters;
}

function queryOf(f: Filters): FaqListQuery {
  const status = (STATUS_FILTERS as readonly string[]).includes(f.status) ? (f.status as StatusFilter) : 'active';
  return {
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
    ...(STATUS_QUERY[status] ? { status: STATUS_QUERY[status] } : {}),
    ...((FAQ_AUDIENCES as readonly string[]).includes(f.audience) ? { audience: f.audience as FaqAudience } : {}),
    ...(f.category ? { category: f.category } : {}),
    ...(f.tag ? { tag: f.tag } : {}),
  };
}

// The list's address, so "back" from the editor returns to the same filters.
let lastListHref: string | null = null;
export const faqListHref = () => lastListHref ?? knowledgeHref('faq');

// Categories and tags seen in this session, offered as suggestions (the API has no list of them).
const seenCategories = new Set<string>();
const seenTags = new Set<string>();
export function rememberVocabulary(entries: readonly FaqEntry[]) {
  for (const e of entries) {
    if (e.category) seenCategories.add(e.category);
    for (const tag of e.tags) seenTags.add(tag);
  }
}
export const knownCategories = () => [...seenCategories].sort();
export const knownTags = () => [...seenTags].sort();

const SEARCH_DEBOUNCE_MS = 300;

export function FaqList({ params, canEdit }: { params: URLSearchParams; canEdit: boolean }) {
  const t = useT();
  const filters = useMemo(() => filtersOf(params), [params]);
  const query = useMemo(() => queryOf(filters), [filters]);
  const list = useFaqList(query);
  const [q, setQ] = useState(filters.q);
  const ids = { q: useId(), status: useId(), audience: useId(), category: useId(), tag: useId(), categories: useId(), tags: useId() };
  const typing = useRef(false);

  useEffect(() => {
    lastListHref = location.pathname + location.search;
  }, []);

  useEffect(() => {
    rememberVocabulary(list.items);
  }, [list.items]);

  // The address changed under the box (back button): show what it says.
  useEffect(() => {
    if (!typing.current) setQ(filters.q);
  }, [filters.q]);

  const setFilter = (patch: Partial<Filters>, replace = false) => {
    const next = { ...filters, ...patch };
    const href = knowledgeHref('faq', { query: next });
    lastListHref = href;
    navigateTo(href, { replace });
  };
  const setFilterRef = useRef(setFilter);
  setFilterRef.current = setFilter;

  useEffect(() => {
    if (q === filters.q) return;
    typing.current = true;
    const timer = setTimeout(() => {
      typing.current = false;
      setFilterRef.current({ q }, true);
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [q, filters.q]);

  const filtered = FILTER_KEYS.some((k) => filters[k]);
  const categories = knownCategories();
  const tags = knownTags();

  return (
    <section className="kb-page" aria-labelledby="faq-list-title">
      <KbPageHead id="faq-list-title" title={t('kb.faq.title')} subtitle={t('kb.faq.subtitle')}>
        {canEdit && (
          <a className="btn btn-primary" href={knowledgeHref('faq', { faqId: 'new' })} onClick={followLink} data-testid="faq-new">
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
            {t('kb.faq.new')}
          </a>
        )}
      </KbPageHead>

      <form className="kb-toolbar" onSubmit={(e) => e.preventDefault()} aria-label={t('kb.faq.filters')}>
        <div className="kb-search">
          <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
            <circle cx="9" cy="9" r="5.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
            <path d="m13.2 13.2 3.3 3.3" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
          <label htmlFor={ids.q} className="sr-only">
            {t('kb.faq.search')}
          </label>
          <input
            id={ids.q}
            type="search"
            value={q}
            maxLength={200}
            placeholder={t('kb.faq.searchPlaceholder')}
            onChange={(e) => setQ(e.target.value)}
            data-testid="faq-search"
          />
        </div>
        <div className="kb-filter">
          <label htmlFor={ids.status}>{t('kb.field.status')}</label>
          <select id={ids.status} value={filters.status || 'active'} onChange={(e) => setFilter({ status: e.target.value === 'active' ? '' : e.target.value })}>
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {t(`kb.statusFilter.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="kb-filter">
          <label htmlFor={ids.audience}>{t('kb.field.audience')}</label>
          <select id={ids.audience} value={filters.audience} onChange={(e) => setFilter({ audience: e.target.value })}>
            <option value="">{t('kb.filter.any')}</option>
            {FAQ_AUDIENCES.map((a) => (
              <option key={a} value={a}>
                {t(`kb.audience.${a}`)}
              </option>
            ))}
          </select>
        </div>
        <FilterText
          id={ids.category}
          listId={ids.categories}
          label={t('kb.field.category')}
          value={filters.category}
          options={categories}
          onCommit={(v) => setFilter({ category: v })}
        />
        <FilterText id={ids.tag} listId={ids.tags} label={t('kb.field.tag')} value={filters.tag} options={tags} onCommit={(v) => setFilter({ tag: v })} />
        {filtered && (
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={() => {
              typing.current = false;
              setQ('');
              setFilter({ q: '', status: '', audience: '', category: '', tag: '' });
            }}
          >
            {t('kb.filter.clear')}
          </button>
        )}
      </form>

      {list.error ? <ErrorNotice error={list.error} onDismiss={() => void list.reload()} /> : null}

      <ul className={`faq-rows${list.loading && list.items.length > 0 ? ' is-stale' : ''}`} aria-busy={list.loading} data-testid="faq-list">
        {list.items.map((e) => (
          <FaqRow key={e.id} entry={e} />
        ))}
      </ul>
      {list.loading && list.items.length === 0 && <p className="kb-empty">{t('kb.faq.loading')}</p>}
      {!list.loading && !list.error && list.items.length === 0 && (
        <div className="kb-empty">
          <p>{filtered ? t('kb.faq.emptyFiltered') : t('kb.faq.empty')}</p>
          {!filtered && canEdit && (
            <a className="btn btn-primary btn-small" href={knowledgeHref('faq', { faqId: 'new' })} onClick={followLink}>
              {t('kb.faq.new')}
            </a>
          )}
        </div>
      )}
      {list.nextCursor && (
        <button type="button" className="btn kb-more" onClick={() => void list.loadMore()} disabled={list.loadingMore}>
          {list.loadingMore ? t('list.loadingMore') : t('list.loadMore')}
        </button>
      )}
    </section>
  );
}

/** A text filter with suggestions; it applies on Enter, on picking a suggestion, or on leaving the box. */
function FilterText(props: { id: string; listId: string; label: string; value: string; options: string[]; onCommit(v: string): void }) {
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  const commit = (v: string) => {
    if (v.trim() !== props.value) props.onCommit(v.trim());
  };
  return (
    <div className="kb-filter">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="text"
        value={draft}
        list={props.listId}
        maxLength={100}
        size={10}
        onChange={(e) => {
          setDraft(e.target.value);
          // Picking from the suggestion list is a deliberate choice: apply at once.
          if (props.options.includes(e.target.value)) commit(e.target.value);
        }}
        onBlur={() => commit(draft)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
            e.preventDefault();
            commit(draft);
          }
        }}
      />
      <datalist id={props.listId}>
        {props.options.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
    </div>
  );
}

const FaqRow = memo(function FaqRow({ entry: e }: { entry: FaqEntry }) {
  const { t, locale } = useI18n();
  const preview = plainText(e.answer);
  return (
    <li>
      <a className={`faq-row status-${e.status}`} href={knowledgeHref('faq', { faqId: e.id })} onClick={followLink} data-faq-id={e.id}>
        <span className="faq-row-main">
          <span className="faq-row-q">
            <span className="faq-row-question">{e.question}</span>
            {e.similar.length > 0 && <span className="faq-row-similar">{t('kb.faq.similarCount', { count: e.similar.length })}</span>}
          </span>
          <span className="faq-row-a">{preview}</span>
          <span className="faq-row-meta">
            <FaqStatusBadge status={e.status} />
            <AudienceBadge audience={e.audience} />
            <FaqLanguageBadge language={e.language} />
            {e.category && <span className="faq-category">{e.category}</span>}
            {e.tags.length > 0 && (
              <span className="tag-chips">
                {e.tags.map((tag) => (
                  <span key={tag} className="tag-chip">
                    {tag}
                  </span>
                ))}
              </span>
            )}
            {e.externalId && <code className="faq-external-id">{e.externalId}</code>}
          </span>
        </span>
        <span className="faq-row-side">
          <span className="faq-version">{t('kb.version', { version: e.version })}</span>
          <time dateTime={e.updatedAt} title={formatFull(e.updatedAt, locale)}>
            {formatRelative(e.updatedAt, locale)}
          </time>
        </span>
      </a>
    </li>
  );
});
