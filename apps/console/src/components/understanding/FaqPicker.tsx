import type { FaqEntry } from '@kefu/protocol';
import { useEffect, useId, useState } from 'react';
import { knowledgeApi } from '../../api/knowledge';
import { useI18n } from '../../i18n/i18n';
import { knowledgeHref } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { rememberFaqTitle } from '../../state/use-faq-titles';
import { ErrorNotice } from '../ErrorNotice';

const DEBOUNCE_MS = 250;
const LIMIT = 8;

interface Props {
  faqId: string;
  /** The chosen entry's question, when known. */
  question: string | null;
  onChange(id: string, question: string): void;
  invalid?: boolean;
  describedBy?: string;
}

/** Picks the FAQ entry an intent answers with, from a search of the published entries. */
export function FaqPicker({ faqId, question, onChange, invalid, describedBy }: Props) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<FaqEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [searching, setSearching] = useState(false);
  const ids = { q: useId(), name: useId() };

  useEffect(() => {
    const ctrl = new AbortController();
    setSearching(true);
    const timer = setTimeout(
      () => {
        knowledgeApi
          .listFaqs(api, { ...(q.trim() ? { q: q.trim() } : {}), status: 'published', limit: LIMIT }, ctrl.signal)
          .then(
            (page) => {
              for (const e of page.items) rememberFaqTitle(e.id, e.question);
              setResults(page.items);
              setError(null);
            },
            (err) => {
              if (!ctrl.signal.aborted) setError(err);
            },
          )
          .finally(() => {
            if (!ctrl.signal.aborted) setSearching(false);
          });
      },
      q ? DEBOUNCE_MS : 0,
    );
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [api, q]);

  const chosenInResults = results?.some((e) => e.id === faqId) ?? false;

  return (
    <div className={`faq-picker${invalid ? ' is-invalid' : ''}`} data-testid="faq-picker">
      {faqId && (
        <p className="faq-picker-chosen" data-testid="faq-picker-chosen">
          <span className="muted">{t('nlu.faq.chosen')}</span> <strong>{question ?? t('nlu.action.faqEntry')}</strong>{' '}
          <a className="notice-link" href={knowledgeHref('faq', { faqId })} target="_blank" rel="noreferrer">
            {t('nlu.faq.open')}
          </a>
        </p>
      )}
      <label htmlFor={ids.q} className="kb-field-label">
        {t('nlu.faq.search')}
      </label>
      <div className="kb-search kb-search-small">
        <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
          <circle cx="9" cy="9" r="5.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <path d="m13.2 13.2 3.3 3.3" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
        </svg>
        <input
          id={ids.q}
          type="search"
          value={q}
          maxLength={200}
          placeholder={t('nlu.faq.searchPlaceholder')}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            // Enter searches (it already does as one types); it must not submit the intent form.
            if (e.key === 'Enter') e.preventDefault();
          }}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          data-testid="faq-picker-search"
        />
      </div>
      {error ? <ErrorNotice error={error} compact onDismiss={() => setError(null)} /> : null}
      <fieldset className={`faq-picker-results${searching && results ? ' is-stale' : ''}`} aria-busy={searching}>
        <legend className="sr-only">{t('nlu.faq.results')}</legend>
        {results && results.length === 0 && <p className="muted small">{t('nlu.faq.none')}</p>}
        {results === null && searching && <p className="muted small">{t('nlu.faq.searching')}</p>}
        {results && results.length > 0 && (
          <ul>
            {results.map((e) => (
              <li key={e.id}>
                <label className={`faq-picker-option${e.id === faqId ? ' is-chosen' : ''}`} data-faq-id={e.id}>
                  <input type="radio" name={ids.name} value={e.id} checked={e.id === faqId} onChange={() => onChange(e.id, e.question)} />
                  <span className="faq-picker-question">{e.question}</span>
                  {e.category && <span className="faq-category">{e.category}</span>}
                </label>
              </li>
            ))}
          </ul>
        )}
        {faqId && results && results.length > 0 && !chosenInResults && <p className="muted small">{t('nlu.faq.chosenNotListed')}</p>}
      </fieldset>
      <span className="sr-only" role="status" aria-live="polite">
        {results && !searching ? t('nlu.faq.resultCount', { count: results.length }) : ''}
      </span>
    </div>
  );
}
