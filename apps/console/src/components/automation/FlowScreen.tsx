import { type MouseEvent, useCallback, useEffect, useRef, useState } from 'react';
import { type Flow, type FlowDefinition, flowsApi } from '../../api/automation';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { FLOW_TEMPLATE_IDS, type FlowTemplateId, flowTemplate, isFlowTemplateId } from '../../lib/flow-templates';
import { formatFull, formatRelative } from '../../lib/format';
import { localizedText } from '../../lib/localized-text';
import { automationHref, followLink, navigateTo, setNavigationGuard } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { useFlowDraft } from '../../state/use-flow-draft';
import { useUnsavedChangesGuard } from '../../state/use-form-guards';
import { useLoad } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { Switch } from '../Switch';
import { deletedFlow } from './automation-notes';
import { FlowDiagram } from './FlowDiagram';
import { FlowSourceCard } from './FlowSourceCard';
import { FlowTriggers } from './FlowTriggers';
import { FlowVersions } from './FlowVersions';

type View = 'diagram' | 'yaml' | 'versions';
const VIEWS: readonly View[] = ['diagram', 'yaml', 'versions'];

type Outcome =
  | { kind: 'created' }
  | { kind: 'saved'; version: number }
  | { kind: 'unchanged'; version: number }
  | { kind: 'restored'; from: number; version: number };

// A create moves to the new flow's address; the saved flow and the outcome ride along.
const handOver = new Map<string, { flow: Flow; outcome: Outcome }>();
const noop = () => {};

/** A flow's page (`flowId` an id), or a new flow from a template (`new`). */
export function FlowScreen({ flowId, params, canEdit }: { flowId: string; params: URLSearchParams; canEdit: boolean }) {
  if (flowId === 'new') return canEdit ? <NewFlow params={params} /> : <ReadOnlyNew />;
  return <ExistingFlow id={flowId} params={params} canEdit={canEdit} />;
}

function BackLink() {
  const t = useI18n().t;
  return (
    <a className="kb-back" href={automationHref('flows')} onClick={followLink}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <path d="M10 3.5 5.5 8l4.5 4.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      {t('flows.back')}
    </a>
  );
}

function ReadOnlyNew() {
  const t = useI18n().t;
  return (
    <div className="faq-screen">
      <header className="faq-screen-head">
        <BackLink />
      </header>
      <p className="notice notice-info">{t('flows.readOnly')}</p>
    </div>
  );
}

function ExistingFlow({ id, params, canEdit }: { id: string; params: URLSearchParams; canEdit: boolean }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const [handed] = useState(() => handOver.get(id));
  const loaded = useLoad((signal) => flowsApi.get(api, id, signal), [api, id]);
  const flow = loaded.data ?? handed?.flow ?? null;

  useEffect(() => {
    handOver.delete(id);
  }, [id]);

  if (!flow) {
    return (
      <div className="faq-screen">
        <header className="faq-screen-head">
          <BackLink />
        </header>
        {loaded.error ? <ErrorNotice error={loaded.error} /> : <p className="kb-empty">{t('flows.loadingOne')}</p>}
      </div>
    );
  }
  return <FlowPage flow={flow} setFlow={loaded.setData} params={params} canEdit={canEdit} initialOutcome={handed?.outcome ?? null} />;
}

function FlowPage(props: { flow: Flow; setFlow(f: Flow): void; params: URLSearchParams; canEdit: boolean; initialOutcome: Outcome | null }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const { flow, setFlow, canEdit } = props;
  const draft = useFlowDraft(flow.source);
  const [outcome, setOutcome] = useState<Outcome | null>(props.initialOutcome);
  const [restoring, setRestoring] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const versions = useLoad((signal) => flowsApi.versions(api, flow.id, signal), [api, flow.id, flow.version]);
  const dirty = draft.source !== flow.source;
  const name = localizedText(flow.name, locale) || flow.key;
  const requested = props.params.get('view');
  const view: View = VIEWS.find((v) => v === requested) ?? 'diagram';

  useUnsavedChangesGuard(dirty, noop);

  useEffect(() => {
    document.title = `${name} · ${t('auto.title')}`;
  }, [name, t]);

  const save = async () => {
    const before = flow.version;
    const saved = await draft.save((source) => flowsApi.update(api, flow.id, { source }));
    if (!saved) return;
    setFlow(saved);
    draft.reset(saved.source);
    setOutcome(saved.version === before ? { kind: 'unchanged', version: saved.version } : { kind: 'saved', version: saved.version });
  };

  const restore = async (version: number) => {
    if (dirty && !window.confirm(t('kb.editor.discardConfirm'))) return;
    setRestoring(version);
    setError(null);
    try {
      const saved = await flowsApi.restore(api, flow.id, version);
      setFlow(saved);
      draft.reset(saved.source);
      setOutcome({ kind: 'restored', from: version, version: saved.version });
    } catch (err) {
      setError(err);
    } finally {
      setRestoring(null);
    }
  };

  return (
    <div className="faq-screen flow-screen" data-flow-id={flow.id} data-flow={flow.key}>
      <FlowHead flow={flow} name={name} canEdit={canEdit} onChanged={setFlow} />
      {outcome && <OutcomeNotice outcome={outcome} onDismiss={() => setOutcome(null)} />}
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      <ViewSwitch flowId={flow.id} view={view} dirty={dirty} />

      {view === 'diagram' &&
        (flow.definition ? (
          <section className="kb-card flow-diagram-card" aria-label={t('flows.view.diagram')}>
            {dirty && <p className="notice notice-warn notice-compact">{t('flows.diagram.unsaved', { version: flow.version })}</p>}
            <FlowDiagram definition={flow.definition as FlowDefinition} />
          </section>
        ) : (
          <p className="notice notice-warn">{t('flows.brokenHint')}</p>
        ))}
      {view === 'yaml' && (
        <FlowSourceCard
          draft={draft}
          canEdit={canEdit}
          dirty={dirty}
          saveLabel={t('flows.editor.save')}
          onSave={() => void save()}
          onDiscard={() => draft.reset(flow.source)}
        />
      )}
      {view === 'versions' && <FlowVersions versions={versions} currentVersion={flow.version} canEdit={canEdit} onRestore={restore} restoring={restoring} />}
    </div>
  );
}

/** Title, key, version, on/off, triggers; export, and delete after a confirmation. */
function FlowHead({ flow, name, canEdit, onChanged }: { flow: Flow; name: string; canEdit: boolean; onChanged(f: Flow): void }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const [busy, setBusy] = useState<'toggle' | 'export' | 'delete' | null>(null);
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirm) cancel.current?.focus();
  }, [confirm]);

  const run = async (kind: 'toggle' | 'export' | 'delete', work: () => Promise<void>) => {
    setBusy(kind);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const download = () =>
    run('export', async () => {
      const { blob, filename } = await flowsApi.export(api, flow.id);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename ?? `${flow.key}.yaml`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });

  const remove = () =>
    run('delete', async () => {
      await flowsApi.remove(api, flow.id);
      deletedFlow.set(name);
      setNavigationGuard(null);
      navigateTo(automationHref('flows'), { force: true });
    }).finally(() => setConfirm(false));

  return (
    <header className="faq-screen-head flow-head">
      <BackLink />
      <div className="faq-screen-title">
        <h1 className="kb-title" data-testid="flow-title">
          {name}
        </h1>
        <div className="faq-screen-meta">
          <code className="flow-key">{flow.key}</code>
          <span className="badge badge-muted" data-testid="flow-version">
            {t('kb.version', { version: flow.version })}
          </span>
          <span className={`flow-state${flow.enabled ? ' is-on' : ''}`}>{t(flow.enabled ? 'flows.on' : 'flows.off')}</span>
          <span className="muted">
            <time dateTime={flow.updatedAt} title={formatFull(flow.updatedAt, locale)}>
              {t('kb.editor.updated', { time: formatRelative(flow.updatedAt, locale) })}
            </time>
          </span>
        </div>
        {flow.description && <p className="muted flow-head-description">{flow.description}</p>}
        <FlowTriggers triggers={flow.triggers} />
      </div>
      <div className="flow-head-actions">
        {canEdit && (
          <Switch
            checked={flow.enabled}
            disabled={busy !== null}
            label={t('flows.enabledLabel')}
            onChange={(enabled) => void run('toggle', async () => onChanged(await flowsApi.update(api, flow.id, { source: flow.source, enabled })))}
            testId="flow-enabled"
          />
        )}
        <button type="button" className="btn btn-small" onClick={() => void download()} disabled={busy !== null} data-testid="flow-export">
          <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
            <path
              d="M12 4v12m0 0l-5-5m5 5l5-5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
              strokeLinecap="round"
            />
          </svg>
          {busy === 'export' ? t('nlu.export.downloading') : t('flows.export')}
        </button>
        {canEdit &&
          (confirm ? (
            <span className="inline-confirm" role="alertdialog" aria-label={t('flows.deleteConfirm', { name })}>
              <span>{t('flows.deleteConfirm', { name })}</span>
              <button
                type="button"
                className="btn btn-small btn-danger"
                onClick={() => void remove()}
                disabled={busy !== null}
                data-testid="flow-delete-confirm"
              >
                {t('kb.delete')}
              </button>
              <button type="button" className="btn btn-small" onClick={() => setConfirm(false)} ref={cancel}>
                {t('kb.cancel')}
              </button>
            </span>
          ) : (
            <button type="button" className="btn btn-small btn-ghost btn-danger-text" onClick={() => setConfirm(true)} data-testid="flow-delete">
              {t('kb.delete')}
            </button>
          ))}
      </div>
      {error ? <ErrorNotice error={error} compact onDismiss={() => setError(null)} /> : null}
    </header>
  );
}

/** Diagram | YAML | Versions, kept in the address (`?view=`); switching never counts as leaving the page. */
function ViewSwitch({ flowId, view, dirty }: { flowId: string; view: View; dirty: boolean }) {
  const t = useI18n().t;
  const go = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
    e.preventDefault();
    navigateTo(e.currentTarget.getAttribute('href') ?? '', { replace: true, force: true });
  };
  return (
    <nav className="view-switch" aria-label={t('flows.view.label')}>
      {VIEWS.map((v) => (
        <a
          key={v}
          href={automationHref('flows', { flowId, query: { view: v === 'diagram' ? null : v } })}
          className={`view-switch-link${v === view ? ' is-active' : ''}`}
          aria-current={v === view ? 'page' : undefined}
          onClick={go}
          data-view={v}
        >
          {t(`flows.view.${v}`)}
          {v === 'yaml' && dirty && <span className="view-switch-dot" title={t('kb.editor.unsaved')} />}
        </a>
      ))}
    </nav>
  );
}

function OutcomeNotice({ outcome, onDismiss }: { outcome: Outcome; onDismiss(): void }) {
  const t = useI18n().t;
  const text =
    outcome.kind === 'created'
      ? t('flows.outcome.created')
      : outcome.kind === 'saved'
        ? t('flows.outcome.saved', { version: outcome.version })
        : outcome.kind === 'unchanged'
          ? t('flows.outcome.unchanged', { version: outcome.version })
          : t('kb.saved.restored', { from: outcome.from, version: outcome.version });
  return (
    <div className="notice notice-success" role="status" data-testid="flow-outcome">
      <div className="notice-body">
        <strong className="notice-message">{text}</strong>
      </div>
      <button type="button" className="btn-icon" onClick={onDismiss} aria-label={t('error.dismiss')} title={t('error.dismiss')}>
        ×
      </button>
    </div>
  );
}

/** A new flow: a template to start from, the YAML, and Create (checked first; a key in use is refused). */
function NewFlow({ params }: { params: URLSearchParams }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const flows = useLoad((signal) => flowsApi.list(api, signal), [api]);
  const requested = params.get('template');
  const [template, setTemplate] = useState<FlowTemplateId>(isFlowTemplateId(requested) ? requested : 'blank');

  useEffect(() => {
    document.title = `${t('flows.newTitle')} · ${t('auto.title')}`;
  }, [t]);

  const keys = flows.data?.items.map((f) => f.key) ?? null;
  return (
    <div className="faq-screen flow-screen">
      <header className="faq-screen-head">
        <BackLink />
        <h1 className="kb-title">{t('flows.newTitle')}</h1>
      </header>
      {flows.error ? <ErrorNotice error={flows.error} onDismiss={() => void flows.reload()} /> : null}
      {keys === null ? (
        !flows.error && <p className="kb-empty">{t('flows.loading')}</p>
      ) : (
        <NewFlowForm keys={keys} template={template} onTemplate={setTemplate} />
      )}
    </div>
  );
}

function NewFlowForm({ keys, template, onTemplate }: { keys: string[]; template: FlowTemplateId; onTemplate(id: FlowTemplateId): void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const [start, setStart] = useState(() => flowTemplate(template, keys));
  const draft = useFlowDraft(start);
  const edited = draft.source !== start;
  useUnsavedChangesGuard(edited, noop);

  const pick = useCallback(
    (id: FlowTemplateId) => {
      if (edited && !window.confirm(t('kb.editor.discardConfirm'))) return;
      const text = flowTemplate(id, keys);
      onTemplate(id);
      setStart(text);
      draft.reset(text);
    },
    [edited, keys, onTemplate, t, draft.reset],
  );

  const create = async () => {
    const saved = await draft.save(async (source) => {
      const { key } = await flowsApi.check(api, source);
      // POST /v1/flows with a key in use saves a new version of that flow: refuse here instead.
      if (keys.includes(key)) throw new ApiError(409, 'FLOW_KEY_TAKEN', `a flow with key ${key} exists`);
      return flowsApi.create(api, { source });
    });
    if (!saved) return;
    handOver.set(saved.id, { flow: saved, outcome: { kind: 'created' } });
    setNavigationGuard(null);
    navigateTo(automationHref('flows', { flowId: saved.id }), { replace: true, force: true });
  };

  return (
    <>
      <section className="kb-card flow-templates" aria-labelledby="flow-template-title" data-testid="flow-templates">
        <h2 id="flow-template-title" className="kb-card-title">
          {t('flows.template.title')}
        </h2>
        <div className="action-choices" role="radiogroup" aria-labelledby="flow-template-title">
          {FLOW_TEMPLATE_IDS.map((id) => (
            <label key={id} className={`action-choice${template === id ? ' is-active' : ''}`} data-template={id}>
              <input type="radio" name="flow-template" value={id} checked={template === id} onChange={() => pick(id)} />
              <span className="action-choice-label">{t(`flows.template.${id}`)}</span>
              <span className="action-choice-hint">{t(`flows.template.hint.${id}`)}</span>
            </label>
          ))}
        </div>
      </section>
      <FlowSourceCard draft={draft} canEdit dirty saveLabel={t('flows.editor.create')} onSave={() => void create()} />
    </>
  );
}
