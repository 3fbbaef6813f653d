import { CANNED_REPLY_BODY_MAX, type Locale } from '@kefu/protocol';
import { useId, useRef, useState } from 'react';
import { type CannedReply, cannedRepliesApi } from '../../api/canned-replies';
import { ApiError } from '../../api/client';
import { type MessageKey, useI18n } from '../../i18n/i18n';
import { formatFull } from '../../lib/format';
import { canManageSettings } from '../../lib/roles';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { Field } from '../FormField';
import { KbPageHead } from '../knowledge/KbPageHead';
import { SuccessNotice } from '../SuccessNotice';

type Scope = 'all' | 'shared' | 'personal';
const SCOPES: readonly Scope[] = ['all', 'shared', 'personal'];
const LANGUAGES: readonly Locale[] = ['zh-CN', 'zh-TW', 'en'];

/** The variables a reply may hold, with the catalogue key that explains each (the insert buttons). */
const VARIABLES: readonly { variable: string; label: MessageKey }[] = [
  { variable: '{{contact.name}}', label: 'canned.var.contactName' },
  { variable: '{{contact.email}}', label: 'canned.var.contactEmail' },
  { variable: '{{contact.attributes.tier}}', label: 'canned.var.contactAttribute' },
  { variable: '{{agent.name}}', label: 'canned.var.agentName' },
  { variable: '{{workspace.name}}', label: 'canned.var.workspaceName' },
  { variable: '{{conversation.id}}', label: 'canned.var.conversationId' },
];

interface Draft {
  shortcut: string;
  title: string;
  body: string;
  language: Locale | '';
  shared: boolean;
}

const emptyDraft = (shared: boolean): Draft => ({ shortcut: '', title: '', body: '', language: '', shared });

/**
 * Canned replies: search and list the shared ones and my own; create, edit and delete (my own always,
 * shared ones as an admin). The editor explains the variables and inserts them where the caret is.
 */
export function CannedRepliesPanel({ params }: { params: URLSearchParams }) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const me = session.member?.id ?? null;
  const isAdmin = canManageSettings(session.member?.role);
  const canWrite = session.member?.role !== 'viewer';
  const [q, setQ] = useState(params.get('q') ?? '');
  const [scope, setScope] = useState<Scope>('all');
  const [language, setLanguage] = useState<Locale | ''>('');
  const list = useLoad(
    (signal) =>
      cannedRepliesApi.list(api, { q: q.trim() || undefined, ...(scope !== 'all' ? { scope } : {}), ...(language ? { language } : {}), limit: 200 }, signal),
    [api, q, scope, language],
  );
  /** The reply being edited, `new` for the create form, or null. */
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  const mayEdit = (r: CannedReply) => (r.scope === 'shared' ? isAdmin : r.ownerId === me);

  return (
    <section className="kb-page canned-page" aria-labelledby="canned-title">
      <KbPageHead id="canned-title" title={t('canned.title')} subtitle={t('canned.subtitle')}>
        {canWrite && editing !== 'new' && (
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="canned-new">
            {t('canned.new')}
          </button>
        )}
      </KbPageHead>

      {notice && <SuccessNotice message={notice} onDismiss={() => setNotice(null)} />}

      {editing === 'new' && (
        <CannedReplyForm
          reply={null}
          isAdmin={isAdmin}
          onCancel={() => setEditing(null)}
          onSaved={(r) => {
            list.setData((d) => ({ items: [r, ...(d?.items ?? [])] }));
            setEditing(null);
            setNotice(t('canned.created', { shortcut: r.shortcut }));
          }}
        />
      )}

      <search className="canned-filters">
        <input
          className="kb-input canned-search"
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t('canned.search')}
          aria-label={t('canned.search')}
          data-testid="canned-filter"
        />
        <select className="kb-input" value={scope} onChange={(e) => setScope(e.target.value as Scope)} aria-label={t('canned.scope')}>
          {SCOPES.map((s) => (
            <option key={s} value={s}>
              {t(`canned.scope.${s}`)}
            </option>
          ))}
        </select>
        <select className="kb-input" value={language} onChange={(e) => setLanguage(e.target.value as Locale | '')} aria-label={t('canned.language')}>
          <option value="">{t('canned.language.any')}</option>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {t(`canned.language.${l}`)}
            </option>
          ))}
        </select>
      </search>

      {list.error ? <ErrorNotice error={list.error} onDismiss={() => void list.reload()} /> : null}
      <section className="kb-card" aria-labelledby="canned-list-title">
        <div className="kb-card-head">
          <h2 id="canned-list-title" className="kb-card-title">
            {t('canned.list')}
          </h2>
          <span className="muted small">{t('canned.count', { count: items.length })}</span>
        </div>
        {list.loading && items.length === 0 && <p className="muted">{t('kb.loading')}</p>}
        {!list.loading && items.length === 0 && <p className="kb-empty">{q ? t('canned.noMatch') : t('canned.empty')}</p>}
        <ul className="canned-list" data-testid="canned-list">
          {items.map((r) =>
            editing === r.id ? (
              <li key={r.id} className="canned-item is-editing">
                <CannedReplyForm
                  reply={r}
                  isAdmin={isAdmin}
                  onCancel={() => setEditing(null)}
                  onSaved={(next) => {
                    list.setData((d) => ({ items: (d?.items ?? []).map((x) => (x.id === next.id ? next : x)) }));
                    setEditing(null);
                    setNotice(t('canned.saved', { shortcut: next.shortcut }));
                  }}
                />
              </li>
            ) : (
              <CannedReplyRow
                key={r.id}
                reply={r}
                canEdit={mayEdit(r)}
                onEdit={() => setEditing(r.id)}
                onDeleted={() => {
                  list.setData((d) => ({ items: (d?.items ?? []).filter((x) => x.id !== r.id) }));
                  setNotice(t('canned.deleted', { shortcut: r.shortcut }));
                }}
              />
            ),
          )}
        </ul>
      </section>
    </section>
  );
}

function CannedReplyRow({ reply: r, canEdit, onEdit, onDeleted }: { reply: CannedReply; canEdit: boolean; onEdit(): void; onDeleted(): void }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await cannedRepliesApi.remove(api, r.id);
      onDeleted();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <li className="canned-item" data-reply-id={r.id} data-shortcut={r.shortcut}>
      <div className="canned-item-head">
        <code className="canned-shortcut">/{r.shortcut}</code>
        <strong className="canned-title">{r.title}</strong>
        <span className={`badge ${r.scope === 'shared' ? 'badge-muted' : 'canned-badge-personal'}`}>{t(`canned.scope.${r.scope}`)}</span>
        {r.language && <span className="badge badge-muted">{t(`canned.language.${r.language}`)}</span>}
        <span className="muted small" title={formatFull(r.updatedAt, locale)}>
          {t('canned.uses', { count: r.useCount })}
        </span>
        {canEdit && (
          <span className="canned-actions">
            {confirmDelete ? (
              <span className="inline-confirm">
                <span>{t('canned.deleteConfirm')}</span>
                <button type="button" className="btn btn-small btn-danger" onClick={() => void remove()} disabled={busy}>
                  {t('kb.delete')}
                </button>
                <button type="button" className="btn btn-small" onClick={() => setConfirmDelete(false)}>
                  {t('kb.cancel')}
                </button>
              </span>
            ) : (
              <>
                <button type="button" className="btn btn-small" onClick={onEdit}>
                  {t('kb.edit')}
                </button>
                <button type="button" className="btn btn-small btn-ghost btn-danger-text" onClick={() => setConfirmDelete(true)}>
                  {t('kb.delete')}
                </button>
              </>
            )}
          </span>
        )}
      </div>
      <p className="canned-body">{r.body}</p>
      {error ? <ErrorNotice error={error} compact onDismiss={() => setError(null)} /> : null}
    </li>
  );
}

function CannedReplyForm(props: { reply: CannedReply | null; isAdmin: boolean; onCancel(): void; onSaved(r: CannedReply): void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const { reply } = props;
  const id = useId();
  const body = useRef<HTMLTextAreaElement>(null);
  const [draft, setDraft] = useState<Draft>(
    reply
      ? { shortcut: reply.shortcut, title: reply.title, body: reply.body, language: reply.language ?? '', shared: reply.scope === 'shared' }
      : emptyDraft(false),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fieldErrors = error instanceof ApiError ? error.errors : [];
  const messagesFor = (field: string) => fieldErrors.filter((e) => e.field === `body.${field}`).map((e) => e.message);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  /** Puts the variable where the caret is (or replaces the selection), and leaves the caret after it. */
  const insertVariable = (variable: string) => {
    const el = body.current;
    const start = el?.selectionStart ?? draft.body.length;
    const end = el?.selectionEnd ?? draft.body.length;
    const next = draft.body.slice(0, start) + variable + draft.body.slice(end);
    set({ body: next });
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + variable.length, start + variable.length);
    });
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    const language = draft.language || null;
    try {
      const saved = reply
        ? await cannedRepliesApi.update(api, reply.id, { shortcut: draft.shortcut, title: draft.title, body: draft.body, language })
        : await cannedRepliesApi.create(api, { shortcut: draft.shortcut, title: draft.title, body: draft.body, language, shared: draft.shared });
      props.onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const listed = fieldErrors.filter((e) => !['body.shortcut', 'body.title', 'body.body', 'body.language'].includes(e.field));
  return (
    <form
      className="kb-card canned-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      aria-labelledby={`${id}-title`}
      data-testid="canned-form"
    >
      <h2 id={`${id}-title`} className="kb-card-title">
        {reply ? t('canned.edit', { shortcut: reply.shortcut }) : t('canned.new')}
      </h2>
      <div className="kb-grid">
        <Field id={`${id}-shortcut`} label={t('canned.field.shortcut')} required messages={messagesFor('shortcut')} hint={t('canned.field.shortcutHint')}>
          <div className="canned-shortcut-input">
            <span aria-hidden="true">/</span>
            <input
              id={`${id}-shortcut`}
              className="kb-input kb-mono"
              value={draft.shortcut}
              maxLength={32}
              required
              onChange={(e) => set({ shortcut: e.target.value.replace(/^\//, '') })}
              aria-invalid={messagesFor('shortcut').length > 0 || undefined}
              data-testid="canned-field-shortcut"
            />
          </div>
        </Field>
        <Field id={`${id}-title-input`} label={t('canned.field.title')} required messages={messagesFor('title')}>
          <input
            id={`${id}-title-input`}
            className="kb-input"
            value={draft.title}
            maxLength={120}
            required
            onChange={(e) => set({ title: e.target.value })}
            aria-invalid={messagesFor('title').length > 0 || undefined}
            data-testid="canned-field-title"
          />
        </Field>
        <Field id={`${id}-language`} label={t('canned.language')} messages={messagesFor('language')}>
          <select id={`${id}-language`} className="kb-input" value={draft.language} onChange={(e) => set({ language: e.target.value as Locale | '' })}>
            <option value="">{t('canned.language.any')}</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`canned.language.${l}`)}
              </option>
            ))}
          </select>
        </Field>
        {!reply && props.isAdmin && (
          <div className="kb-field canned-shared">
            <label>
              <input type="checkbox" checked={draft.shared} onChange={(e) => set({ shared: e.target.checked })} data-testid="canned-field-shared" />{' '}
              {t('canned.field.shared')}
            </label>
            <span className="field-hint">{t('canned.field.sharedHint')}</span>
          </div>
        )}
        <Field
          id={`${id}-body`}
          label={t('canned.field.body')}
          required
          className="kb-wide"
          messages={messagesFor('body')}
          hint={t('canned.field.bodyHint', { count: [...draft.body].length, max: CANNED_REPLY_BODY_MAX })}
        >
          <fieldset className="canned-variables">
            <legend className="muted small">{t('canned.variables')}</legend>
            {VARIABLES.map((v) => (
              <button
                key={v.variable}
                type="button"
                className="btn btn-small btn-ghost canned-variable"
                title={t(v.label)}
                onClick={() => insertVariable(v.variable)}
                data-variable={v.variable}
              >
                <code>{v.variable}</code>
              </button>
            ))}
          </fieldset>
          <textarea
            id={`${id}-body`}
            ref={body}
            className="kb-input"
            rows={5}
            value={draft.body}
            required
            onChange={(e) => set({ body: e.target.value })}
            aria-invalid={messagesFor('body').length > 0 || undefined}
            data-testid="canned-field-body"
          />
          <p className="field-hint canned-fallback-hint">{t('canned.fallbackHint')}</p>
        </Field>
      </div>
      {error ? <ErrorNotice error={error} compact fields={listed} onDismiss={() => setError(null)} /> : null}
      <div className="canned-form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="canned-save">
          {busy ? t('kb.editor.saving') : t('kb.editor.save')}
        </button>
        <button type="button" className="btn" onClick={props.onCancel}>
          {t('kb.cancel')}
        </button>
      </div>
    </form>
  );
}
