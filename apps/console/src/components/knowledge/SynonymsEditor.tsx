import { useState } from 'react';
import { knowledgeApi, type SynonymGroup } from '../../api/knowledge';
import { useI18n } from '../../i18n/i18n';
import { formatFull, formatRelative } from '../../lib/format';
import { followLink, knowledgeHref } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { ChipInput } from './ChipInput';
import { KbPageHead } from './KbPageHead';

const MAX_TERMS = 20;

/**
 * Synonym groups: words the search treats as one (退货 = 退换货). Each change rebuilds the index, so
 * the page points straight at a test of the changed group.
 */
export function SynonymsEditor({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const groups = useLoad((signal) => knowledgeApi.synonyms(api, signal), [api]);
  const [draft, setDraft] = useState<string[]>([]);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [changed, setChanged] = useState<{ terms: string[]; kind: 'added' | 'saved' | 'deleted' } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [tooFew, setTooFew] = useState(false);
  const items = groups.data?.items ?? [];

  const add = async () => {
    const terms = unique(draft);
    setTooFew(terms.length < 2);
    if (terms.length < 2) return;
    setAdding(true);
    setError(null);
    try {
      const g = await knowledgeApi.addSynonyms(api, terms);
      groups.setData((d) => ({ items: [...(d?.items ?? []), g] }));
      setDraft([]);
      setChanged({ terms: g.terms, kind: 'added' });
    } catch (err) {
      setError(err);
    } finally {
      setAdding(false);
    }
  };

  return (
    <section className="kb-page" aria-labelledby="synonyms-title">
      <KbPageHead id="synonyms-title" title={t('kb.synonyms.title')} subtitle={t('kb.synonyms.subtitle')} />

      {changed && <AppliedHint terms={changed.terms} kind={changed.kind} onDismiss={() => setChanged(null)} />}

      {canEdit && (
        <form
          className="kb-card synonym-add"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
          data-testid="synonym-add"
        >
          <h2 className="kb-card-title">{t('kb.synonyms.add')}</h2>
          <div className="synonym-add-row">
            <ChipInput
              value={draft}
              onChange={(v) => {
                setDraft(v);
                if (unique(v).length >= 2) setTooFew(false);
              }}
              label={t('kb.synonyms.terms')}
              placeholder={t('kb.synonyms.placeholder')}
              max={MAX_TERMS}
              invalid={tooFew}
              testId="synonym-add-input"
            />
            <button type="submit" className="btn btn-primary" disabled={adding} data-testid="synonym-add-submit">
              {adding ? t('kb.editor.saving') : t('kb.synonyms.addButton')}
            </button>
          </div>
          {tooFew ? (
            <p className="field-error synonym-note">{t('kb.synonyms.tooFew')}</p>
          ) : (
            <p className="field-hint synonym-note">{t('kb.synonyms.addHint')}</p>
          )}
          {error ? <ErrorNotice error={error} compact onDismiss={() => setError(null)} /> : null}
        </form>
      )}

      {groups.error ? <ErrorNotice error={groups.error} onDismiss={() => void groups.reload()} /> : null}
      <section className="kb-card" aria-labelledby="synonym-list-title">
        <div className="kb-card-head">
          <h2 id="synonym-list-title" className="kb-card-title">
            {t('kb.synonyms.list')}
          </h2>
          <span className="muted small">{t('kb.synonyms.count', { count: items.length })}</span>
        </div>
        {groups.loading && items.length === 0 && <p className="muted">{t('kb.loading')}</p>}
        {!groups.loading && items.length === 0 && <p className="kb-empty">{t('kb.synonyms.empty')}</p>}
        <ul className="synonym-groups" data-testid="synonym-groups">
          {items.map((g) => (
            <SynonymRow
              key={g.id}
              group={g}
              canEdit={canEdit}
              editing={editing === g.id}
              onEdit={(on) => setEditing(on ? g.id : null)}
              onSaved={(next) => {
                groups.setData((d) => ({ items: (d?.items ?? []).map((x) => (x.id === next.id ? next : x)) }));
                setEditing(null);
                setChanged({ terms: next.terms, kind: 'saved' });
              }}
              onDeleted={() => {
                groups.setData((d) => ({ items: (d?.items ?? []).filter((x) => x.id !== g.id) }));
                setChanged({ terms: g.terms, kind: 'deleted' });
              }}
            />
          ))}
        </ul>
      </section>
    </section>
  );
}

function SynonymRow(props: {
  group: SynonymGroup;
  canEdit: boolean;
  editing: boolean;
  onEdit(on: boolean): void;
  onSaved(g: SynonymGroup): void;
  onDeleted(): void;
}) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const { group: g } = props;
  const [terms, setTerms] = useState(g.terms);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onSaved(await knowledgeApi.saveSynonyms(api, g.id, unique(terms)));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await knowledgeApi.deleteSynonyms(api, g.id);
      props.onDeleted();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <li className={`synonym-group${props.editing ? ' is-editing' : ''}`} data-group-id={g.id}>
      {props.editing ? (
        <form
          className="synonym-edit"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <ChipInput value={terms} onChange={setTerms} label={t('kb.synonyms.terms')} max={MAX_TERMS} />
          <div className="synonym-actions">
            <button type="submit" className="btn btn-small btn-primary" disabled={busy || unique(terms).length < 2}>
              {t('kb.editor.save')}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setTerms(g.terms);
                setError(null);
                props.onEdit(false);
              }}
            >
              {t('kb.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <ul className="synonym-terms" aria-label={t('kb.synonyms.terms')}>
            {g.terms.map((term, i) => (
              <li key={term} className="synonym-term">
                {i > 0 && (
                  <span className="synonym-eq" aria-hidden="true">
                    =
                  </span>
                )}
                <span className="synonym-chip">{term}</span>
              </li>
            ))}
          </ul>
          <span className="synonym-meta muted small">
            <time dateTime={g.updatedAt} title={formatFull(g.updatedAt, locale)}>
              {formatRelative(g.updatedAt, locale)}
            </time>
          </span>
          <span className="synonym-actions">
            <a className="btn btn-small btn-ghost" href={knowledgeHref('test', { query: { q: g.terms[g.terms.length - 1] } })} onClick={followLink}>
              {t('kb.synonyms.test')}
            </a>
            {props.canEdit &&
              (confirmDelete ? (
                <span className="inline-confirm">
                  <span>{t('kb.synonyms.deleteConfirm')}</span>
                  <button type="button" className="btn btn-small btn-danger" onClick={() => void remove()} disabled={busy}>
                    {t('kb.delete')}
                  </button>
                  <button type="button" className="btn btn-small" onClick={() => setConfirmDelete(false)}>
                    {t('kb.cancel')}
                  </button>
                </span>
              ) : (
                <>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => {
                      setTerms(g.terms);
                      props.onEdit(true);
                    }}
                  >
                    {t('kb.edit')}
                  </button>
                  <button type="button" className="btn btn-small btn-ghost btn-danger-text" onClick={() => setConfirmDelete(true)}>
                    {t('kb.delete')}
                  </button>
                </>
              ))}
          </span>
        </>
      )}
      {error ? <ErrorNotice error={error} compact onDismiss={() => setError(null)} /> : null}
    </li>
  );
}

/** After any vocabulary change: it is live now, and here is a test of it. */
export function AppliedHint({
  terms,
  kind,
  detail,
  onDismiss,
}: {
  terms: readonly string[];
  kind: 'added' | 'saved' | 'deleted';
  detail?: string;
  onDismiss(): void;
}) {
  const t = useI18n().t;
  return (
    <div className="notice notice-success" role="status" data-testid="applied-hint">
      <div className="notice-body">
        <strong className="notice-message">
          {t(`kb.applied.${kind}`)}
          {detail && <span className="notice-detail-inline"> {detail}</span>}
        </strong>
        <span>
          {t('kb.applied.hint')}{' '}
          {terms.slice(0, 4).map((term, i) => (
            <span key={term}>
              {i > 0 && ' · '}
              <a href={knowledgeHref('test', { query: { q: term } })} onClick={followLink} data-testid="applied-test-link">
                {t('kb.applied.test', { term })}
              </a>
            </span>
          ))}
        </span>
      </div>
      <button type="button" className="btn-icon" onClick={onDismiss} aria-label={t('error.dismiss')} title={t('error.dismiss')}>
        ×
      </button>
    </div>
  );
}

function unique(terms: readonly string[]) {
  return [...new Set(terms.map((x) => x.trim()).filter(Boolean))];
}
