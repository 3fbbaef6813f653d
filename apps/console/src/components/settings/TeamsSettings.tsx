import type { FieldError, Member, Team } from '@kefu/protocol';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { teamsApi } from '../../api/teams';
import { useI18n } from '../../i18n/i18n';
import { fieldErrorsByPath } from '../../lib/faq-form';
import {
  bodyFromTeamForm,
  checkTeamForm,
  emptyTeamForm,
  formFromTeam,
  MAX_TEAM_DESCRIPTION_CHARS,
  MAX_TEAM_NAME_CHARS,
  memberOfErrorPath,
  patchFromTeamForm,
  sortTeams,
  type TeamCheck,
  type TeamForm,
  teamCandidates,
  teamFormSignature,
} from '../../lib/team-form';
import { useSignedIn } from '../../state/session';
import { saveShortcutHandler, useFocusFirstInvalid, useUnsavedChangesGuard } from '../../state/use-form-guards';
import { useLoad } from '../../state/use-load';
import { Avatar } from '../Avatar';
import { ErrorNotice } from '../ErrorNotice';
import { Field, FieldMessages } from '../FormField';
import { KbPageHead } from '../knowledge/KbPageHead';
import { SaveBar } from '../SaveBar';
import { SuccessNotice } from '../SuccessNotice';

/** Which editor is open: one at a time, so that one save bar speaks for one form. */
type Editing = { kind: 'new' } | { kind: 'edit'; id: string } | null;
type Outcome = { kind: 'created' | 'saved' | 'deleted'; name: string };

/**
 * The workspace's teams: who is in each and who is online. Admins create, rename, describe, set the
 * members and delete; everyone else reads. Presence is fetched again whenever the page regains focus.
 */
export function TeamsSettings({ canEdit }: { canEdit: boolean }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const teams = useLoad((signal) => teamsApi.list(api, signal), [api]);
  const members = useLoad((signal) => (canEdit ? teamsApi.members(api, signal).then((r) => r.items) : Promise.resolve([])), [api, canEdit]);
  const [editingState, setEditing] = useState<Editing>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const { reload: reloadTeams, setData: setTeams } = teams;
  const { reload: reloadMembers } = members;

  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState !== 'visible') return;
      void reloadTeams();
      if (canEdit) void reloadMembers();
    };
    window.addEventListener('focus', refresh);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', refresh);
    };
  }, [reloadTeams, reloadMembers, canEdit]);

  const items = useMemo(() => sortTeams(teams.data?.items ?? [], locale), [teams.data, locale]);
  // A team deleted elsewhere (seen at a refresh) takes its open editor with it.
  const editing = editingState?.kind === 'edit' && !items.some((x) => x.id === editingState.id) ? null : editingState;
  const startNew = () => {
    setOutcome(null);
    setEditing({ kind: 'new' });
  };
  const close = useCallback(() => setEditing(null), []);
  const saved = useCallback(
    (team: Team, kind: 'created' | 'saved') => {
      setTeams((prev) => ({ items: [...(prev?.items ?? []).filter((x) => x.id !== team.id), team] }));
      setEditing(null);
      setOutcome({ kind, name: team.name });
    },
    [setTeams],
  );
  const deleted = useCallback(
    (team: Team) => {
      setTeams((prev) => ({ items: (prev?.items ?? []).filter((x) => x.id !== team.id) }));
      setEditing(null);
      setOutcome({ kind: 'deleted', name: team.name });
    },
    [setTeams],
  );

  const editorProps = { members: members.data, membersError: members.error, onClose: close, onSaved: saved, onDeleted: deleted };
  const empty = !teams.loading && !teams.error && items.length === 0;

  return (
    <section className="kb-page teams-page" aria-labelledby="teams-title" data-testid="teams-settings">
      <KbPageHead id="teams-title" title={t('teams.title')} subtitle={t('teams.subtitle')}>
        {canEdit && items.length > 0 && (
          <button type="button" className="btn btn-primary" onClick={startNew} disabled={editing !== null} data-testid="team-new">
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
            {t('teams.new')}
          </button>
        )}
      </KbPageHead>
      {!canEdit && <p className="notice notice-info">{t('teams.readOnly')}</p>}
      {outcome && <SuccessNotice message={t(`teams.${outcome.kind}`, { name: outcome.name })} onDismiss={() => setOutcome(null)} />}
      {teams.error ? <ErrorNotice error={teams.error} onDismiss={() => void reloadTeams()} /> : null}
      {editing?.kind === 'new' && (
        <div className="kb-card team-card is-editing">
          <TeamEditor team={null} {...editorProps} />
        </div>
      )}
      {teams.loading && items.length === 0 && <p className="kb-empty">{t('teams.loading')}</p>}
      {empty && editing === null && <EmptyTeams canEdit={canEdit} onCreate={startNew} />}
      {items.length > 0 && (
        <ul className="team-list" data-testid="team-list">
          {items.map((team) =>
            editing?.kind === 'edit' && editing.id === team.id ? (
              <li key={team.id} className="kb-card team-card is-editing" data-team={team.name}>
                <TeamEditor team={team} {...editorProps} />
              </li>
            ) : (
              <TeamCard
                key={team.id}
                team={team}
                canEdit={canEdit}
                editDisabled={editing !== null}
                onEdit={() => {
                  setOutcome(null);
                  setEditing({ kind: 'edit', id: team.id });
                }}
              />
            ),
          )}
        </ul>
      )}
    </section>
  );
}

function EmptyTeams({ canEdit, onCreate }: { canEdit: boolean; onCreate(): void }) {
  const t = useI18n().t;
  return (
    <div className="kb-card team-empty" data-testid="teams-empty">
      <svg viewBox="0 0 48 48" width="44" height="44" aria-hidden="true" className="team-empty-art">
        <circle cx="17" cy="17" r="6" fill="none" stroke="currentColor" strokeWidth="2" />
        <circle cx="32" cy="19" r="5" fill="none" stroke="currentColor" strokeWidth="2" />
        <path
          d="M6 38c1.5-7 6-10 11-10s9.5 3 11 10M26 36c1-5 3.5-8 6-8 3.5 0 7 3 8.5 8"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
        />
      </svg>
      <h2 className="team-empty-title">{t('teams.empty.title')}</h2>
      <p>{t('teams.empty.body')}</p>
      <ul className="team-empty-points">
        <li>{t('teams.empty.visibility')}</li>
        <li>{t('teams.empty.routing')}</li>
        <li>{t('teams.empty.transfer')}</li>
      </ul>
      {canEdit ? (
        <button type="button" className="btn btn-primary" onClick={onCreate} data-testid="team-new">
          {t('teams.empty.create')}
        </button>
      ) : (
        <p className="muted small">{t('teams.empty.ask')}</p>
      )}
    </div>
  );
}

function TeamCard({ team, canEdit, editDisabled, onEdit }: { team: Team; canEdit: boolean; editDisabled: boolean; onEdit(): void }) {
  const t = useI18n().t;
  const titleId = useId();
  return (
    <li className="kb-card team-card" data-team={team.name} aria-labelledby={titleId}>
      <div className="team-card-head">
        <div className="team-card-title">
          <h2 id={titleId} className="team-name">
            {team.name}
          </h2>
          <span className={`badge team-online${team.online > 0 ? ' is-online' : ''}`} data-testid="team-online">
            <span className="presence-dot" aria-hidden="true" />
            {t('teams.online', { count: team.online })}
          </span>
          <span className="badge badge-muted">{t('teams.memberCount', { count: team.members.length })}</span>
        </div>
        {canEdit && (
          <button type="button" className="btn btn-small" onClick={onEdit} disabled={editDisabled} data-testid="team-edit">
            {t('kb.edit')}
          </button>
        )}
      </div>
      {team.description && <p className="team-description">{team.description}</p>}
      {team.members.length === 0 ? (
        <p className="field-warn">{t('teams.noMembers')}</p>
      ) : (
        <>
          <ul className="team-members" aria-label={t('teams.field.members')}>
            {team.members.map((m) => (
              <li key={m.id} className={`team-member presence-${m.presence}`} title={`${m.name} · ${t(`presence.${m.presence}`)}`} data-member={m.name}>
                <span className="team-avatar">
                  <Avatar id={m.id} name={m.name} size={26} />
                  <span className="presence-dot" aria-hidden="true" />
                </span>
                <span className="team-member-name">{m.name}</span>
                <span className="sr-only">{t(`presence.${m.presence}`)}</span>
              </li>
            ))}
          </ul>
          {team.online === 0 && <p className="field-warn">{t('teams.noneOnline')}</p>}
        </>
      )}
    </li>
  );
}

interface EditorProps {
  team: Team | null;
  /** The workspace's members, for the checklist; null while loading. */
  members: Member[] | null;
  membersError: unknown;
  onClose(): void;
  onSaved(team: Team, kind: 'created' | 'saved'): void;
  onDeleted(team: Team): void;
}

/** Paths the form shows beside a field; server errors on other paths go in the notice. */
const PLACED = /^(name|description|memberIds\.\d+)$/;
const noop = () => {};

function TeamEditor({ team, members, membersError, onClose, onSaved, onDeleted }: EditorProps) {
  const { t, has } = useI18n();
  const { api } = useSignedIn();
  const [baseline] = useState(() => (team ? formFromTeam(team) : emptyTeamForm()));
  const [form, setForm] = useState<TeamForm>(baseline);
  const [query, setQuery] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [serverErrors, setServerErrors] = useState<Map<string, FieldError[]>>(new Map());
  // Server errors on a member are kept by member id: the checklist's order is not the order sent.
  const [memberErrors, setMemberErrors] = useState<Map<string, FieldError[]>>(new Map());
  const [submitted, setSubmitted] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const base = useId();
  const id = (name: string) => `${base}-${name}`;

  const dirty = useMemo(() => teamFormSignature(form) !== teamFormSignature(baseline), [form, baseline]);
  const checks = useMemo(() => (submitted ? checkTeamForm(form) : new Map<string, TeamCheck>()), [submitted, form]);
  const candidates = useMemo(() => teamCandidates(members ?? [], team?.members ?? [], query), [members, team, query]);
  const anyone = useMemo(() => teamCandidates(members ?? [], team?.members ?? [], '').length > 0, [members, team]);
  const chosen = useMemo(() => new Set(form.memberIds), [form.memberIds]);

  useUnsavedChangesGuard(dirty, noop);
  const focusFirstInvalid = useFocusFirstInvalid(formRef);

  useEffect(() => {
    nameRef.current?.focus();
  }, []);

  const serverMessage = (e: FieldError) => {
    const key = `error.${e.code}`;
    return has(key) && e.code !== 'VALIDATION_FAILED' ? t(key) : e.message;
  };
  const messages = (path: 'name' | 'description'): string[] => {
    const out: string[] = [];
    const check = checks.get(path);
    if (check) out.push(t(`teams.check.${check}`, { max: path === 'name' ? MAX_TEAM_NAME_CHARS : MAX_TEAM_DESCRIPTION_CHARS }));
    for (const e of serverErrors.get(path) ?? []) out.push(serverMessage(e));
    return out;
  };
  // The server's reason names the member in English; the catalogue says it in the reader's language.
  const memberMessages = (memberId: string) => (memberErrors.has(memberId) ? [t('teams.check.memberInvalid')] : []);

  const setText = (key: 'name' | 'description', value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (serverErrors.has(key)) setServerErrors((m) => new Map([...m].filter(([p]) => p !== key)));
  };
  const toggle = (memberId: string, on: boolean) => {
    setForm((f) => ({ ...f, memberIds: on ? [...f.memberIds.filter((x) => x !== memberId), memberId] : f.memberIds.filter((x) => x !== memberId) }));
    if (memberErrors.has(memberId)) setMemberErrors((m) => new Map([...m].filter(([k]) => k !== memberId)));
  };

  const save = async () => {
    if (saving) return;
    setSubmitted(true);
    if (checkTeamForm(form).size > 0) {
      focusFirstInvalid();
      return;
    }
    setSaving(true);
    setError(null);
    setServerErrors(new Map());
    setMemberErrors(new Map());
    const body = bodyFromTeamForm(form);
    try {
      const result = team ? await teamsApi.update(api, team.id, patchFromTeamForm(team, form)) : await teamsApi.create(api, body);
      onSaved(result, team ? 'saved' : 'created');
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) {
        const byPath = fieldErrorsByPath(err.errors);
        // The member list sent on a save is the form's list (patchFromTeamForm sends it whole).
        const byMember = new Map<string, FieldError[]>();
        for (const [path, list] of byPath) {
          const memberId = memberOfErrorPath(path, body.memberIds ?? []);
          if (memberId) byMember.set(memberId, list);
        }
        setServerErrors(byPath);
        setMemberErrors(byMember);
      }
      focusFirstInvalid();
    } finally {
      setSaving(false);
    }
  };

  const discard = () => {
    setForm(baseline);
    setServerErrors(new Map());
    setMemberErrors(new Map());
    setSubmitted(false);
    setError(null);
  };

  const remove = async () => {
    if (!team) return;
    setSaving(true);
    setError(null);
    try {
      await teamsApi.remove(api, team.id);
      onDeleted(team);
    } catch (err) {
      setError(err);
      setSaving(false);
    }
  };

  const unplaced = [...serverErrors.entries()].filter(([p]) => !PLACED.test(p)).flatMap(([, list]) => list);
  const nameMessages = messages('name');
  const descriptionMessages = messages('description');
  const membersInvalid = memberErrors.size > 0;

  return (
    <form
      ref={formRef}
      className="faq-form team-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={saveShortcutHandler(save)}
      aria-busy={saving}
      aria-labelledby={id('title')}
      data-testid="team-form"
    >
      <h2 id={id('title')} className="kb-card-title">
        {team ? t('teams.editTitle', { name: team.name }) : t('teams.newTitle')}
      </h2>
      {error ? <ErrorNotice error={error} fields={unplaced} onDismiss={() => setError(null)} /> : null}

      <div className="team-form-fields">
        <Field id={id('name')} label={t('teams.field.name')} required messages={nameMessages}>
          <input
            ref={nameRef}
            id={id('name')}
            className="kb-input"
            value={form.name}
            maxLength={MAX_TEAM_NAME_CHARS + 20}
            autoComplete="off"
            onChange={(e) => setText('name', e.target.value)}
            aria-invalid={nameMessages.length > 0 || undefined}
            aria-describedby={nameMessages.length ? `${id('name')}-msg` : undefined}
            placeholder={t('teams.field.namePlaceholder')}
            data-testid="team-name"
          />
        </Field>
        <Field id={id('description')} label={t('teams.field.description')} messages={descriptionMessages}>
          <textarea
            id={id('description')}
            className="kb-input"
            rows={2}
            value={form.description}
            maxLength={MAX_TEAM_DESCRIPTION_CHARS + 50}
            onChange={(e) => setText('description', e.target.value)}
            aria-invalid={descriptionMessages.length > 0 || undefined}
            aria-describedby={descriptionMessages.length ? `${id('description')}-msg` : undefined}
            placeholder={t('teams.field.descriptionPlaceholder')}
            data-testid="team-description"
          />
        </Field>
      </div>

      <fieldset className={`kb-field team-members-field${membersInvalid ? ' is-invalid' : ''}`} aria-describedby={id('members-hint')}>
        <legend>
          {t('teams.field.members')}{' '}
          <span className="muted small" data-testid="team-selected-count">
            {t('teams.field.selected', { count: form.memberIds.length })}
          </span>
        </legend>
        <span className="field-hint" id={id('members-hint')}>
          {t('teams.field.membersHint')}
        </span>
        {membersError ? <ErrorNotice error={membersError} compact /> : null}
        {members === null && !membersError && <p className="muted small">{t('teams.field.loadingMembers')}</p>}
        {members !== null && !anyone && <p className="muted small">{t('teams.field.noCandidates')}</p>}
        {anyone && (
          <>
            <div className="kb-search kb-search-small team-member-search">
              <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
                <circle cx="9" cy="9" r="5.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
                <path d="m13.2 13.2 3.3 3.3" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
              </svg>
              <input
                type="search"
                value={query}
                maxLength={100}
                placeholder={t('teams.field.search')}
                aria-label={t('teams.field.search')}
                onChange={(e) => setQuery(e.target.value)}
                data-testid="team-member-search"
              />
            </div>
            {candidates.length === 0 ? (
              <p className="muted small">{t('teams.field.noMatch', { query: query.trim() })}</p>
            ) : (
              <ul className="team-checklist" data-testid="team-member-options">
                {candidates.map((c) => {
                  const msgs = memberMessages(c.id);
                  const checked = chosen.has(c.id);
                  return (
                    <li key={c.id}>
                      <label
                        className={`team-option presence-${c.presence}${checked ? ' is-checked' : ''}${msgs.length ? ' is-invalid' : ''}`}
                        data-member={c.name}
                      >
                        <input
                          type="checkbox"
                          checked={checked}
                          onChange={(e) => toggle(c.id, e.target.checked)}
                          aria-invalid={msgs.length > 0 || undefined}
                          aria-describedby={msgs.length ? `${id(c.id)}-msg` : undefined}
                        />
                        <span className="team-avatar">
                          <Avatar id={c.id} name={c.name} size={26} />
                          <span className="presence-dot" aria-hidden="true" />
                        </span>
                        <span className="team-option-text">
                          <span className="team-option-name">{c.name}</span>
                          {c.email && <span className="muted small">{c.email}</span>}
                        </span>
                        <span className="muted small team-option-presence">{t(`presence.${c.presence}`)}</span>
                      </label>
                      <FieldMessages id={`${id(c.id)}-msg`} messages={msgs} />
                    </li>
                  );
                })}
              </ul>
            )}
          </>
        )}
      </fieldset>

      <SaveBar
        dirty={dirty}
        saving={saving}
        existing={team !== null}
        saveLabel={team ? t('kb.editor.save') : t('teams.create')}
        saveTestId="team-save"
        onDiscard={discard}
        start={
          <button type="button" className="btn btn-small btn-ghost" onClick={onClose} disabled={saving} data-testid="team-close">
            {t('kb.cancel')}
          </button>
        }
        destroy={
          team
            ? {
                label: t('kb.delete'),
                question: t('teams.deleteConfirm', { name: team.name }),
                testId: 'team-delete',
                run: remove,
              }
            : undefined
        }
      />
    </form>
  );
}
