import { useId, useMemo, useState } from 'react';
import { knowledgeApi } from '../../api/knowledge';
import { useI18n } from '../../i18n/i18n';
import { formatFull } from '../../lib/format';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { KbPageHead } from './KbPageHead';
import { AppliedHint } from './SynonymsEditor';

const MAX_PER_REQUEST = 1000;

/** Splits pasted text into words: one per line, or separated by commas (also Chinese ones). */
export function splitWords(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,，、;；]+/)
        .map((w) => w.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * Words the analyser keeps whole: product names, model numbers, 上海交通大学. Adding several at
 * once is the common case (a product list pasted from a spreadsheet).
 */
export function DictionaryEditor({ canEdit }: { canEdit: boolean }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const words = useLoad((signal) => knowledgeApi.dictionary(api, signal), [api]);
  const [text, setText] = useState('');
  const [filter, setFilter] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ added: string[]; existing: string[]; kind: 'added' | 'deleted' } | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const ids = { text: useId(), filter: useId(), hint: useId() };
  const items = words.data?.items ?? [];
  const pending = splitWords(text);
  const tooShort = pending.filter((w) => [...w].length < 2);

  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const sorted = [...items].sort((a, b) => a.word.localeCompare(b.word, locale));
    return f ? sorted.filter((w) => w.word.toLowerCase().includes(f)) : sorted;
  }, [items, filter, locale]);

  const add = async () => {
    if (pending.length === 0 || tooShort.length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const r = await knowledgeApi.addWords(api, pending.slice(0, MAX_PER_REQUEST));
      const added = new Set(r.added);
      setResult({ added: r.added, existing: pending.filter((w) => !added.has(w)), kind: 'added' });
      setText('');
      await words.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (word: string) => {
    setDeleting(word);
    setError(null);
    try {
      await knowledgeApi.deleteWord(api, word);
      words.setData((d) => ({ items: (d?.items ?? []).filter((w) => w.word !== word) }));
      setResult({ added: [word], existing: [], kind: 'deleted' });
    } catch (err) {
      setError(err);
    } finally {
      setDeleting(null);
    }
  };

  return (
    <section className="kb-page" aria-labelledby="dictionary-title">
      <KbPageHead id="dictionary-title" title={t('kb.dictionary.title')} subtitle={t('kb.dictionary.subtitle')} />

      {result && (
        <AppliedHint
          terms={result.kind === 'added' ? result.added : []}
          kind={result.kind}
          detail={result.kind === 'added' ? t('kb.dictionary.result', { added: result.added.length, existing: result.existing.length }) : result.added[0]}
          onDismiss={() => setResult(null)}
        />
      )}
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}

      <div className="dictionary-cols">
        {canEdit && (
          <form
            className="kb-card dictionary-add"
            onSubmit={(e) => {
              e.preventDefault();
              void add();
            }}
          >
            <h2 className="kb-card-title">
              <label htmlFor={ids.text}>{t('kb.dictionary.add')}</label>
            </h2>
            <textarea
              id={ids.text}
              className="kb-input"
              rows={7}
              value={text}
              placeholder={t('kb.dictionary.placeholder')}
              aria-describedby={ids.hint}
              aria-invalid={tooShort.length > 0 || undefined}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  void add();
                }
              }}
              data-testid="dictionary-input"
            />
            {tooShort.length > 0 ? (
              <p className="field-error" id={ids.hint}>
                {t('kb.dictionary.tooShort', { words: tooShort.join(t('kb.listSeparator')) })}
              </p>
            ) : (
              <p className="field-hint" id={ids.hint}>
                {t('kb.dictionary.hint')}
              </p>
            )}
            {pending.length > 0 && (
              <ul className="terms dictionary-pending" aria-label={t('kb.dictionary.pending', { count: pending.length })}>
                {pending.slice(0, 40).map((w) => (
                  <li key={w} className={`term${[...w].length < 2 ? ' is-bad' : ''}`}>
                    {w}
                  </li>
                ))}
                {pending.length > 40 && <li className="term term-more">{t('trace.moreTerms', { count: pending.length - 40 })}</li>}
              </ul>
            )}
            <div className="dictionary-actions">
              <button type="submit" className="btn btn-primary" disabled={busy || pending.length === 0 || tooShort.length > 0} data-testid="dictionary-add">
                {busy ? t('kb.editor.saving') : t('kb.dictionary.addButton', { count: pending.length })}
              </button>
            </div>
          </form>
        )}

        <section className="kb-card dictionary-list" aria-labelledby="dictionary-list-title">
          <div className="kb-card-head">
            <h2 id="dictionary-list-title" className="kb-card-title">
              {t('kb.dictionary.list')}
            </h2>
            <span className="muted small">{t('kb.dictionary.count', { count: items.length })}</span>
          </div>
          {items.length > 8 && (
            <div className="kb-search kb-search-small">
              <label htmlFor={ids.filter} className="sr-only">
                {t('kb.dictionary.filter')}
              </label>
              <input id={ids.filter} type="search" value={filter} placeholder={t('kb.dictionary.filter')} onChange={(e) => setFilter(e.target.value)} />
            </div>
          )}
          {words.error ? <ErrorNotice error={words.error} compact onDismiss={() => void words.reload()} /> : null}
          {words.loading && items.length === 0 && <p className="muted">{t('kb.loading')}</p>}
          {!words.loading && items.length === 0 && <p className="kb-empty">{t('kb.dictionary.empty')}</p>}
          <ul className="dictionary-words" data-testid="dictionary-words">
            {shown.map((w) => (
              <li key={w.word} className="dictionary-word" title={formatFull(w.createdAt, locale)}>
                <span>{w.word}</span>
                {canEdit && (
                  <button
                    type="button"
                    className="chip-remove"
                    onClick={() => void remove(w.word)}
                    disabled={deleting !== null}
                    aria-label={t('kb.dictionary.delete', { word: w.word })}
                    title={t('kb.delete')}
                  >
                    <svg viewBox="0 0 10 10" width="8" height="8" aria-hidden="true">
                      <path d="M1.5 1.5l7 7M8.5 1.5l-7 7" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
                    </svg>
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </section>
  );
}
