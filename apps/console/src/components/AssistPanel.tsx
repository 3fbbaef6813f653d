import type { ReplySuggestion } from '@kefu/protocol';
import { type FormEvent, type Ref, useId, useImperativeHandle, useRef, useState } from 'react';
import { knowledgeApi, type SearchResult } from '../api/knowledge';
import { useI18n } from '../i18n/i18n';
import { formatPercent } from '../lib/format';
import { useSignedIn } from '../state/session';
import type { SuggestionsState } from '../state/use-suggestions';
import { ErrorNotice } from './ErrorNotice';

const SEARCH_HITS = 5;
const QUERY_SHOWN = 60;

/** What the pane's keyboard shortcuts may do here. */
export interface AssistHandle {
  focusSearch(): void;
}

interface Props {
  suggestions: SuggestionsState;
  /** Puts text into the composer for the agent to edit; nothing is ever sent from here. */
  onInsert(text: string): void;
  ref?: Ref<AssistHandle>;
}

/**
 * Beside the conversation: replies suggested for what the customer asked (knowledge answers and, with
 * a language model, a draft, marked as such), and a knowledge search. Every item has its source and an
 * Insert button that fills the composer; the agent edits and sends.
 */
export function AssistPanel({ suggestions, onInsert, ref }: Props) {
  const { t } = useI18n();
  const [announce, setAnnounce] = useState('');
  // Narrow screens fold the panel under a bar above the composer (styles.css); wide ones ignore this.
  const [open, setOpen] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  const bodyId = useId();
  useImperativeHandle(
    ref,
    () => ({
      focusSearch: () => {
        setOpen(true);
        requestAnimationFrame(() => search.current?.focus());
      },
    }),
    [],
  );
  const count = suggestions.data?.items.length ?? 0;

  const insert = (text: string) => {
    onInsert(text);
    // Re-announce even when the same message was read out before.
    setAnnounce('');
    requestAnimationFrame(() => setAnnounce(t('suggest.inserted')));
  };

  return (
    <aside className={`assist${open ? ' is-open' : ''}`} aria-label={t('assist.label')} data-testid="assist-panel">
      <button type="button" className="assist-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen((o) => !o)}>
        <svg className="assist-chevron" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
          <path d="M4 2.5 7.5 6 4 9.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        {t('assist.label')}
        {count > 0 && <span className="tab-count">{count}</span>}
      </button>
      <div className="assist-body" id={bodyId}>
        <Suggestions state={suggestions} onInsert={insert} />
        <KnowledgeSearch inputRef={search} onInsert={insert} />
      </div>
      <div className="sr-only" role="status" aria-live="polite">
        {announce}
      </div>
    </aside>
  );
}

function Suggestions({ state, onInsert }: { state: SuggestionsState; onInsert(text: string): void }) {
  const { t } = useI18n();
  const { data, loading, error, active, refresh } = state;
  const titleId = useId();
  return (
    <section className="assist-section" aria-labelledby={titleId} aria-busy={loading} data-testid="suggestions">
      <div className="assist-head">
        <h3 id={titleId} className="assist-title">
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M8 1.5l1.6 3.9 3.9 1.6-3.9 1.6L8 12.5 6.4 8.6 2.5 7l3.9-1.6z" fill="currentColor" />
          </svg>
          {t('suggest.title')}
        </h3>
        {active && (
          <button type="button" className="btn-icon" onClick={refresh} disabled={loading} aria-label={t('suggest.refresh')} title={t('suggest.refresh')}>
            <svg viewBox="0 0 20 20" width="15" height="15" aria-hidden="true">
              <path d="M16 10a6 6 0 1 1-1.8-4.3M16 3.5v3.2h-3.2" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
            </svg>
          </button>
        )}
      </div>
      {!active ? (
        <div className="assist-idle">
          <p className="muted small">{t('suggest.requestHint')}</p>
          <button type="button" className="btn btn-small" onClick={refresh} data-testid="suggestions-request">
            {t('suggest.request')}
          </button>
        </div>
      ) : error && !loading ? (
        <div className="assist-error" role="alert">
          <span>{t('suggest.error')}</span>
          <button type="button" className="btn btn-small" onClick={refresh}>
            {t('suggest.retry')}
          </button>
        </div>
      ) : !data ? (
        <p className="muted small assist-loading">{t('suggest.loading')}</p>
      ) : (
        <div className={loading ? 'is-stale' : undefined}>
          {data.query && (
            <p className="assist-query" title={data.query}>
              {t('suggest.for', { query: clip(data.query, QUERY_SHOWN) })}
            </p>
          )}
          {data.items.length === 0 ? (
            <p className="muted small">{data.query ? t('suggest.empty') : t('suggest.nothingAsked')}</p>
          ) : (
            <ol className="suggestion-list">
              {data.items.map((s) => (
                <SuggestionItem key={s.id} s={s} onInsert={onInsert} />
              ))}
            </ol>
          )}
          {data.generated !== 'ok' && data.query && <p className="assist-generated muted small">{t(`suggest.generated.${data.generated}`)}</p>}
          {loading && <p className="muted small assist-loading">{t('suggest.loading')}</p>}
        </div>
      )}
    </section>
  );
}

function SuggestionItem({ s, onInsert }: { s: ReplySuggestion; onInsert(text: string): void }) {
  const { t, locale } = useI18n();
  const generated = s.kind === 'generated';
  const label = s.source?.title ?? t(`suggest.kind.${s.kind}`);
  return (
    <li className={`suggestion suggestion-${s.kind}`} data-kind={s.kind} data-testid="suggestion">
      <div className="suggestion-head">
        <span className={`suggestion-kind kind-${s.kind}`}>{t(`suggest.kind.${s.kind}`)}</span>
        {s.confidence !== null && <span className="suggestion-confidence">{t('suggest.confidence', { pct: formatPercent(s.confidence, locale) })}</span>}
      </div>
      <p className="suggestion-source" title={s.source?.title}>
        {s.source ? t('suggest.source', { title: s.source.title }) : t('suggest.noSource')}
      </p>
      <p className="suggestion-text">{s.text}</p>
      {generated && <p className="suggestion-warning">{t('suggest.generatedHint')}</p>}
      <div className="suggestion-foot">
        <button type="button" className="btn btn-small" onClick={() => onInsert(s.text)} aria-label={t('suggest.insertLabel', { title: label })}>
          {t('suggest.insert')}
        </button>
      </div>
    </li>
  );
}

function KnowledgeSearch({ inputRef, onInsert }: { inputRef: Ref<HTMLInputElement>; onInsert(text: string): void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<{ q: string; r: SearchResult } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);
  const titleId = useId();
  const inputId = useId();

  const run = async (e: FormEvent) => {
    e.preventDefault();
    const q = query.trim();
    if (!q) return;
    const mine = ++seq.current;
    setBusy(true);
    setError(null);
    try {
      // Agents may read internal entries too; the badge says which ones customers never see.
      const r = await knowledgeApi.search(api, { query: q, k: SEARCH_HITS, audience: 'all' });
      if (mine === seq.current) setResult({ q, r });
    } catch (err) {
      if (mine === seq.current) setError(err);
    } finally {
      if (mine === seq.current) setBusy(false);
    }
  };

  return (
    <section className="assist-section" aria-labelledby={titleId} data-testid="knowledge-search">
      <div className="assist-head">
        <h3 id={titleId} className="assist-title">
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
            <path d="M10.5 10.5 14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
          {t('kbSearch.title')}
        </h3>
      </div>
      <form className="assist-search" onSubmit={(e) => void run(e)}>
        <label htmlFor={inputId} className="sr-only">
          {t('kbSearch.title')}
        </label>
        <input
          id={inputId}
          ref={inputRef}
          type="search"
          className="kb-input"
          value={query}
          maxLength={1000}
          placeholder={t('kbSearch.placeholder')}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && !query) e.currentTarget.blur();
          }}
        />
        <button type="submit" className="btn btn-small" disabled={busy || !query.trim()}>
          {busy ? t('kbSearch.searching') : t('kbSearch.run')}
        </button>
      </form>
      {error ? <ErrorNotice error={error} compact onDismiss={() => setError(null)} /> : null}
      {result &&
        (result.r.hits.length === 0 ? (
          <p className="muted small">{t('kbSearch.empty', { q: result.q })}</p>
        ) : (
          <ol className="kb-hits" aria-label={t('kbSearch.results', { count: result.r.hits.length })}>
            {result.r.hits.map((h) => {
              const title = h.entry.source?.title ?? h.entry.question;
              return (
                <li key={h.entry.id} className="kb-hit" data-testid="kb-hit">
                  <div className="suggestion-head">
                    <span className="kb-hit-title" title={title}>
                      {title}
                    </span>
                    {h.entry.audience === 'internal' && <span className="badge badge-muted">{t('kb.audience.internal')}</span>}
                  </div>
                  {h.entry.kind === 'chunk' && h.entry.question !== title && <p className="kb-hit-question">{h.entry.question}</p>}
                  <p className="suggestion-text">{h.entry.answer}</p>
                  <div className="suggestion-foot">
                    <button type="button" className="btn btn-small" onClick={() => onInsert(h.entry.answer)} aria-label={t('suggest.insertLabel', { title })}>
                      {t('suggest.insert')}
                    </button>
                  </div>
                </li>
              );
            })}
          </ol>
        ))}
    </section>
  );
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
