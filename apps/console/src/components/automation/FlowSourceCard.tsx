import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useI18n } from '../../i18n/i18n';
import type { FlowDraft } from '../../state/use-flow-draft';
import { saveShortcutHandler } from '../../state/use-form-guards';
import { ErrorNotice } from '../ErrorNotice';
import { YamlEditor, type YamlEditorHandle } from './YamlEditor';

/**
 * The flow's YAML: the editor, Check (problems beside their lines and listed below, each taking the
 * caret to its line), and the save bar. Viewers get the text read-only.
 */
export function FlowSourceCard(props: {
  draft: FlowDraft;
  canEdit: boolean;
  dirty: boolean;
  /** The label of the save button (Save / Create flow). */
  saveLabel: string;
  onSave(): void;
  onDiscard?: () => void;
  /** Extra controls at the start of the save bar (delete). */
  savebarStart?: ReactNode;
}) {
  const { t } = useI18n();
  const { draft, canEdit, dirty } = props;
  const editor = useRef<YamlEditorHandle>(null);
  const base = useId();
  const problemsId = `${base}-problems`;
  const stale = draft.checkedFor !== null && draft.checkedFor !== draft.source;
  const checkedClean = draft.checkedFor !== null && draft.problems.length === 0 && draft.checkedKey !== null && !stale;
  const sorted = [...draft.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const firstLine = draft.problems.reduce<number | null>((min, p) => (p.line !== null && (min === null || p.line < min) ? p.line : min), null);

  // New problems from a check or a refused save: bring the first one into view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new check with the same first line is new problems too
  useEffect(() => {
    if (firstLine !== null) editor.current?.reveal(firstLine);
  }, [firstLine, draft.problems]);

  return (
    <form
      className="kb-card flow-source"
      aria-labelledby={`${base}-title`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (canEdit) props.onSave();
      }}
      onKeyDown={canEdit ? saveShortcutHandler(props.onSave) : undefined}
      aria-busy={draft.busy !== null}
      data-testid="flow-source"
    >
      <div className="kb-card-head">
        <h2 id={`${base}-title`} className="kb-card-title">
          <label htmlFor={`${base}-yaml`}>{t('flows.editor.title')}</label>
        </h2>
        {canEdit && (
          <button type="button" className="btn btn-small" onClick={() => void draft.check()} disabled={draft.busy !== null} data-testid="flow-check">
            <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
              <path d="m3.5 8.5 3 3 6-7" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            {draft.busy === 'check' ? t('flows.editor.checking') : t('flows.editor.check')}
          </button>
        )}
      </div>
      {!canEdit && <p className="field-hint">{t('flows.readOnly')}</p>}
      {canEdit && <p className="field-hint">{t('flows.editor.hint')}</p>}

      <YamlEditor
        ref={editor}
        id={`${base}-yaml`}
        label={t('flows.editor.title')}
        value={draft.source}
        onChange={canEdit ? draft.setSource : undefined}
        readOnly={!canEdit}
        problems={draft.problems}
        describedBy={draft.problems.length ? problemsId : undefined}
      />

      <div id={problemsId} aria-live="polite">
        {draft.problems.length > 0 && (
          <div className="flow-problems" data-testid="flow-problems" role="alert">
            <p className="flow-problems-head">
              <strong>{t('flows.problems.title', { count: draft.problems.length })}</strong>
              {stale && <span className="muted small"> · {t('flows.problems.stale')}</span>}
            </p>
            <ul>
              {sorted.map((p) => (
                <li key={`${p.line}|${p.path}|${p.message}`} className="flow-problem" data-line={p.line ?? undefined}>
                  {p.line !== null ? (
                    <button type="button" className="btn-link flow-problem-line" onClick={() => editor.current?.goToLine(p.line!)}>
                      {t('flows.problems.line', { line: p.line })}
                    </button>
                  ) : (
                    <span className="flow-problem-line">{t('flows.problems.noLine')}</span>
                  )}
                  <span className="flow-problem-msg">{p.message}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        {checkedClean && (
          <p className="notice notice-success notice-compact" data-testid="flow-check-ok">
            {t('flows.problems.none', { key: draft.checkedKey ?? '' })}
          </p>
        )}
      </div>
      {draft.error ? <ErrorNotice error={draft.error} onDismiss={draft.clearError} /> : null}

      {canEdit && (
        <div className={`faq-savebar${dirty ? ' is-dirty' : ''}`}>
          {props.savebarStart}
          <span className="savebar-state" role="status">
            {draft.busy === 'save' ? t('kb.editor.saving') : dirty ? t('kb.editor.unsaved') : t('kb.editor.noChanges')}
          </span>
          <span className="savebar-shortcut">{t('kb.editor.shortcut')}</span>
          {dirty && props.onDiscard && (
            <button type="button" className="btn btn-small" onClick={props.onDiscard} disabled={draft.busy !== null}>
              {t('kb.editor.discard')}
            </button>
          )}
          <button type="submit" className="btn btn-primary" disabled={draft.busy !== null || !dirty} data-testid="flow-save">
            {draft.busy === 'save' ? t('kb.editor.saving') : props.saveLabel}
          </button>
        </div>
      )}
    </form>
  );
}
