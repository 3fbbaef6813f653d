import type { ImportJob } from '@kefu/protocol';
import { type DragEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { type KnowledgeDocument, knowledgeApi } from '../../api/knowledge';
import { type MessageKey, useI18n } from '../../i18n/i18n';
import { formatFull, formatRelative } from '../../lib/format';
import { useFrames } from '../../state/realtime';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { KbPageHead } from './KbPageHead';
import { AudienceBadge } from './KnowledgeBadges';

/** Until the server has said its limit (IMPORT_MAX_FILE_MB), assume its default. */
const DEFAULT_MAX_FILE_MB = 20;
const POLL_MS = 1000;
const SUMMARY_KEYS = ['created', 'updated', 'unchanged', 'removed', 'failed', 'chunks'] as const;
type Audience = 'public' | 'internal';

/** Reads a file as base64 (without the `data:…;base64,` prefix). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error(`cannot read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

/** The later of two views of the same job: a frame and a poll answer may arrive in either order. */
function newer(prev: ImportJob | null, next: ImportJob): ImportJob {
  if (!prev || prev.id !== next.id) return next;
  if (prev.status !== 'running') return prev;
  if (next.status !== 'running' || next.processed >= prev.processed) return next;
  return prev;
}

/**
 * Imports files (Markdown, HTML, PDF, DOCX, TXT, FAQ sheets, JSONL) as a background job whose progress
 * arrives as `import.progressed` frames, with polling as the fallback; below, the imported documents.
 */
export function ImportPanel({ canEdit }: { canEdit: boolean }) {
  const { t, has, locale } = useI18n();
  const { api } = useSignedIn();
  const documents = useLoad((signal) => knowledgeApi.documents(api, signal), [api]);
  const maxFileMb = documents.data?.limits.maxFileMb ?? DEFAULT_MAX_FILE_MB;
  const maxFileBytes = maxFileMb * 1024 * 1024;
  const [files, setFiles] = useState<File[]>([]);
  const [tooLarge, setTooLarge] = useState<string[]>([]);
  const [audience, setAudience] = useState<Audience>('public');
  const [job, setJob] = useState<ImportJob | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const ids = { input: useId(), formats: useId() };
  const jobId = job?.id ?? null;
  const running = job?.status === 'running';

  const apply = useCallback((next: ImportJob) => setJob((prev) => newer(prev, next)), []);

  useFrames((f) => {
    if (f.type === 'import.progressed' && f.job.id === jobId) apply(f.job);
  });

  // Polling covers a socket that is down or reconnecting; it stops once the job is finished.
  useEffect(() => {
    if (!jobId || !running) return;
    const ctrl = new AbortController();
    const timer = setInterval(() => {
      knowledgeApi.importJob(api, jobId, ctrl.signal).then(apply, () => {});
    }, POLL_MS);
    return () => {
      clearInterval(timer);
      ctrl.abort();
    };
  }, [api, jobId, running, apply]);

  // A finished import changes the documents.
  const finished = job && job.status !== 'running' ? job.id : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload once per finished job
  useEffect(() => {
    if (finished) void documents.reload();
  }, [finished]);

  const addFiles = (list: FileList | null) => {
    if (!list) return;
    const picked = [...list];
    setTooLarge(picked.filter((f) => f.size > maxFileBytes).map((f) => f.name));
    const ok = picked.filter((f) => f.size <= maxFileBytes);
    setFiles((prev) => [...prev.filter((p) => !ok.some((f) => f.name === p.name)), ...ok]);
  };

  const onDrop = (e: DragEvent<HTMLFieldSetElement>) => {
    e.preventDefault();
    setDragging(false);
    if (canEdit && !busy) addFiles(e.dataTransfer.files);
  };

  const start = async () => {
    if (files.length === 0 || busy) return;
    setBusy(true);
    setError(null);
    try {
      const payload = await Promise.all(
        files.map(async (f) => ({ name: f.name, contentBase64: await readBase64(f), ...(f.type ? { mimeType: f.type } : {}) })),
      );
      const created = await knowledgeApi.startImport(api, { files: payload, audience });
      setJob(created);
      setFiles([]);
      setTooLarge([]);
      if (input.current) input.current.value = '';
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (doc: KnowledgeDocument) => {
    if (!window.confirm(t('kb.documents.deleteConfirm', { title: doc.title || doc.source, count: doc.chunkCount }))) return;
    setDeleting(doc.id);
    setError(null);
    try {
      await knowledgeApi.deleteDocument(api, doc.id);
      documents.setData((d) => (d ? { ...d, items: d.items.filter((x) => x.id !== doc.id) } : d));
    } catch (err) {
      setError(err);
    } finally {
      setDeleting(null);
    }
  };

  const errorMessage = (code: string, message: string) => {
    const key = `kb.importError.${code}`;
    return has(key) ? t(key as MessageKey) : message;
  };

  const items = documents.data?.items ?? [];
  const pct = job && job.total > 0 ? Math.round((job.processed / job.total) * 100) : job?.status === 'running' ? 0 : 100;

  return (
    <section className="kb-page" aria-labelledby="import-title">
      <KbPageHead id="import-title" title={t('kb.import.title')} subtitle={t('kb.import.subtitle')} />

      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}

      {canEdit ? (
        <form
          className="kb-card import-form"
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <fieldset
            className={`import-drop${dragging ? ' is-dragging' : ''}`}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
            data-testid="import-drop"
          >
            <legend className="sr-only">{t('kb.import.dropLabel')}</legend>
            <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
              <path
                d="M12 16V4m0 0l-5 5m5-5l5 5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.6"
                strokeLinecap="round"
              />
            </svg>
            <p>
              {t('kb.import.drop')}{' '}
              <label htmlFor={ids.input} className="btn-link import-choose">
                {t('kb.import.choose')}
              </label>
            </p>
            <input
              id={ids.input}
              ref={input}
              type="file"
              multiple
              className="sr-only"
              aria-describedby={ids.formats}
              onChange={(e) => addFiles(e.target.files)}
              disabled={busy}
              data-testid="import-input"
            />
            <p className="field-hint" id={ids.formats}>
              {t('kb.import.formats', { mb: maxFileMb })}
            </p>
          </fieldset>
          {tooLarge.length > 0 && <p className="field-error">{t('kb.import.tooLarge', { mb: maxFileMb, names: tooLarge.join(t('kb.listSeparator')) })}</p>}
          {files.length > 0 && (
            <ul className="import-files" aria-label={t('kb.import.selected', { count: files.length })} data-testid="import-files">
              {files.map((f) => (
                <li key={f.name} className="term">
                  {f.name}
                  <button
                    type="button"
                    className="chip-remove"
                    onClick={() => setFiles((prev) => prev.filter((p) => p !== f))}
                    aria-label={t('kb.chip.remove', { value: f.name })}
                  >
                    <svg viewBox="0 0 10 10" width="8" height="8" aria-hidden="true">
                      <path d="M1.5 1.5l7 7M8.5 1.5l-7 7" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
                    </svg>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="import-actions">
            <fieldset className="segmented" data-testid="import-audience">
              <legend className="sr-only">{t('kb.field.audience')}</legend>
              {(['public', 'internal'] as const).map((a) => (
                <label key={a} className={`segment segment-${a}${audience === a ? ' is-active' : ''}`} title={t(`kb.audienceHint.${a}`)}>
                  <input type="radio" name="import-audience" value={a} checked={audience === a} onChange={() => setAudience(a)} />
                  {t(`kb.audience.${a}`)}
                </label>
              ))}
            </fieldset>
            <button type="submit" className="btn btn-primary" disabled={busy || running || files.length === 0} data-testid="import-start">
              {busy ? t('kb.import.reading') : t('kb.import.start', { count: files.length })}
            </button>
          </div>
        </form>
      ) : (
        <p className="field-hint">{t('kb.readOnly')}</p>
      )}

      {job && (
        <section className="kb-card import-job" aria-labelledby="import-job-title" data-testid="import-job" data-status={job.status}>
          <div className="kb-card-head">
            <h2 id="import-job-title" className="kb-card-title">
              {t(`kb.import.status.${job.status}`)}
            </h2>
            <span className="muted small">{t('kb.import.progressText', { processed: job.processed, total: job.total })}</span>
          </div>
          <div
            className={`import-progress is-${job.status}`}
            role="progressbar"
            aria-label={t('kb.import.progress')}
            aria-valuemin={0}
            aria-valuemax={job.total}
            aria-valuenow={job.processed}
            aria-valuetext={t('kb.import.progressText', { processed: job.processed, total: job.total })}
            data-status={job.status}
            data-testid="import-progress"
          >
            <span style={{ width: `${pct}%` }} />
          </div>
          {job.status !== 'running' && (
            <>
              <dl className="import-summary" data-testid="import-summary">
                {SUMMARY_KEYS.map((k) => (
                  <div key={k} className={`import-stat import-stat-${k}`} data-key={k}>
                    <dt>{t(`kb.import.summary.${k}`)}</dt>
                    <dd>{job.summary[k]}</dd>
                  </div>
                ))}
              </dl>
              {job.errors.length > 0 && (
                <div className="import-errors">
                  <h3 className="kb-card-title">{t('kb.import.errors', { count: job.errors.length })}</h3>
                  <ul data-testid="import-errors">
                    {job.errors.map((e) => (
                      <li key={`${e.file}\n${e.code}\n${e.message}`} className="import-error" data-code={e.code}>
                        <span className="import-error-file">{e.file}</span>
                        <span className="import-error-message">{errorMessage(e.code, e.message)}</span>
                        {has(`kb.importError.${e.code}`) && e.message && <span className="muted small">{e.message}</span>}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </>
          )}
        </section>
      )}

      <section className="kb-card" aria-labelledby="documents-title">
        <div className="kb-card-head">
          <h2 id="documents-title" className="kb-card-title">
            {t('kb.documents.title')}
          </h2>
          <span className="muted small">{t('kb.documents.count', { count: items.length })}</span>
        </div>
        {documents.error ? <ErrorNotice error={documents.error} compact onDismiss={() => void documents.reload()} /> : null}
        {documents.loading && items.length === 0 && <p className="muted">{t('kb.loading')}</p>}
        {!documents.loading && items.length === 0 && <p className="kb-empty">{t('kb.documents.empty')}</p>}
        {items.length > 0 && (
          <div className="table-scroll">
            <table className="kb-table" data-testid="documents-table">
              <thead>
                <tr>
                  <th scope="col">{t('kb.documents.col.title')}</th>
                  <th scope="col">{t('kb.documents.col.format')}</th>
                  <th scope="col" className="num">
                    {t('kb.documents.col.chunks')}
                  </th>
                  <th scope="col">{t('kb.field.audience')}</th>
                  <th scope="col">{t('kb.documents.col.updated')}</th>
                  {canEdit && (
                    <th scope="col">
                      <span className="sr-only">{t('kb.delete')}</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {items.map((d) => (
                  <tr key={d.id} data-id={d.id}>
                    <td>
                      <div className="doc-title">{d.title || d.source}</div>
                      {d.title && d.title !== d.source && <div className="muted small">{d.source}</div>}
                    </td>
                    <td>
                      <span className="badge badge-muted">{d.format}</span>
                    </td>
                    <td className="num">{d.chunkCount}</td>
                    <td>
                      <AudienceBadge audience={d.audience} />
                    </td>
                    <td title={formatFull(d.updatedAt, locale)}>{formatRelative(d.updatedAt, locale)}</td>
                    {canEdit && (
                      <td className="num">
                        <button
                          type="button"
                          className="btn btn-small btn-danger-text"
                          onClick={() => void remove(d)}
                          disabled={deleting !== null}
                          aria-label={t('kb.documents.delete', { title: d.title || d.source })}
                        >
                          {t('kb.delete')}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}
