import { useId, useRef, useState } from 'react';
import { INTENT_FILE_FORMATS, type IntentFileFormat, intentsApi } from '../../api/intents';
import { useI18n } from '../../i18n/i18n';
import { detectIntentFormat } from '../../lib/intents';
import { useSignedIn } from '../../state/session';
import { ErrorNotice } from '../ErrorNotice';

/** The server takes at most 5 MB of file text. */
const MAX_CHARS = 5_000_000;
const FORMAT_LABEL: Record<IntentFileFormat, string> = { csv: 'CSV', jsonl: 'JSONL', yaml: 'YAML' };

/** Import intents from a file or pasted text (CSV, JSONL, YAML or Rasa NLU YAML) and export them. */
export function IntentTransfer({ canEdit, onImported }: { canEdit: boolean; onImported(): void }) {
  return (
    <div className={`nlu-transfer${canEdit ? '' : ' is-readonly'}`}>
      {canEdit && <ImportCard onImported={onImported} />}
      <ExportCard />
    </div>
  );
}

function ImportCard({ onImported }: { onImported(): void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const [file, setFile] = useState<{ name: string; content: string } | null>(null);
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<IntentFileFormat | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [tooLarge, setTooLarge] = useState(false);
  const [result, setResult] = useState<{ created: number; updated: number } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const ids = { file: useId(), text: useId(), hint: useId() };
  const content = file?.content ?? text;
  const detected = content.trim() ? detectIntentFormat(file?.name ?? '', content) : null;
  const format = picked ?? detected;

  const choose = async (list: FileList | null) => {
    const f = list?.[0];
    if (!f) return;
    setResult(null);
    setError(null);
    setTooLarge(f.size > MAX_CHARS);
    if (f.size > MAX_CHARS) return;
    try {
      setFile({ name: f.name, content: await f.text() });
      setPicked(null);
    } catch (err) {
      setError(err);
    }
  };

  const clearFile = () => {
    setFile(null);
    setPicked(null);
    if (input.current) input.current.value = '';
  };

  const submit = async () => {
    if (!content.trim() || !format || busy) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await intentsApi.import(api, { format, content });
      setResult(r);
      clearFile();
      setText('');
      onImported();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="kb-card nlu-import"
      aria-labelledby="intent-import-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      data-testid="intent-import"
    >
      <h2 id="intent-import-title" className="kb-card-title">
        {t('nlu.import.title')}
      </h2>
      <p className="field-hint" id={ids.hint}>
        {t('nlu.import.hint')}
      </p>
      <div className="nlu-import-source">
        <label htmlFor={ids.file} className="btn btn-small">
          <svg viewBox="0 0 24 24" width="15" height="15" aria-hidden="true">
            <path
              d="M12 16V4m0 0l-5 5m5-5l5 5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
              strokeLinecap="round"
            />
          </svg>
          {t('nlu.import.choose')}
        </label>
        <input
          id={ids.file}
          ref={input}
          type="file"
          className="sr-only"
          accept=".csv,.tsv,.jsonl,.ndjson,.json,.yaml,.yml,.txt,text/csv,application/x-ndjson,application/yaml,text/yaml,text/plain"
          aria-describedby={ids.hint}
          onChange={(e) => void choose(e.target.files)}
          disabled={busy}
          data-testid="intent-import-file"
        />
        {file ? (
          <span className="term nlu-import-file" data-testid="intent-import-filename">
            {file.name}
            <button type="button" className="chip-remove" onClick={clearFile} aria-label={t('kb.chip.remove', { value: file.name })}>
              <svg viewBox="0 0 10 10" width="8" height="8" aria-hidden="true">
                <path d="M1.5 1.5l7 7M8.5 1.5l-7 7" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
              </svg>
            </button>
          </span>
        ) : (
          <span className="muted small">{t('nlu.import.orPaste')}</span>
        )}
      </div>
      {tooLarge && <p className="field-error">{t('nlu.import.tooLarge')}</p>}
      {!file && (
        <div className="kb-field">
          <label htmlFor={ids.text} className="sr-only">
            {t('nlu.import.paste')}
          </label>
          <textarea
            id={ids.text}
            className="kb-input kb-mono nlu-import-text"
            rows={6}
            value={text}
            maxLength={MAX_CHARS}
            spellCheck={false}
            placeholder={t('nlu.import.pastePlaceholder')}
            onChange={(e) => {
              setText(e.target.value);
              setResult(null);
            }}
            data-testid="intent-import-text"
          />
        </div>
      )}
      <div className="import-actions">
        <fieldset className="segmented" data-testid="intent-import-format">
          <legend className="sr-only">{t('nlu.import.format')}</legend>
          {INTENT_FILE_FORMATS.map((f) => (
            <label key={f} className={`segment${format === f ? ' is-active' : ''}`}>
              <input type="radio" name="intent-import-format" value={f} checked={format === f} onChange={() => setPicked(f)} />
              {FORMAT_LABEL[f]}
            </label>
          ))}
        </fieldset>
        <span className="muted small nlu-import-detected">
          {content.trim() && !format ? t('nlu.import.formatUnknown') : picked === null && detected ? t('nlu.import.detected') : ''}
        </span>
        <button type="submit" className="btn btn-primary" disabled={busy || !content.trim() || !format} data-testid="intent-import-submit">
          {busy ? t('nlu.import.importing') : t('nlu.import.submit')}
        </button>
      </div>
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      {result && (
        <div className="notice notice-success" role="status" data-testid="intent-import-result">
          <div className="notice-body">
            <strong className="notice-message">{t('nlu.import.done', { created: result.created, updated: result.updated })}</strong>
            <span>{t('nlu.import.trainHint')}</span>
          </div>
          <button type="button" className="btn-icon" onClick={() => setResult(null)} aria-label={t('error.dismiss')} title={t('error.dismiss')}>
            ×
          </button>
        </div>
      )}
    </form>
  );
}

function ExportCard() {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const [busy, setBusy] = useState<IntentFileFormat | null>(null);
  const [error, setError] = useState<unknown>(null);

  const download = async (format: IntentFileFormat) => {
    setBusy(format);
    setError(null);
    try {
      const { blob, filename } = await intentsApi.export(api, format);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename ?? `intents.${format}`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="kb-card nlu-export" aria-labelledby="intent-export-title" data-testid="intent-export">
      <h2 id="intent-export-title" className="kb-card-title">
        {t('nlu.export.title')}
      </h2>
      <p className="field-hint">{t('nlu.export.hint')}</p>
      <div className="nlu-export-buttons">
        {INTENT_FILE_FORMATS.map((f) => (
          <button
            key={f}
            type="button"
            className="btn btn-small"
            onClick={() => void download(f)}
            disabled={busy !== null}
            aria-label={t('nlu.export.button', { format: FORMAT_LABEL[f] })}
            data-format={f}
          >
            <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
              <path
                d="M12 4v12m0 0l-5-5m5 5l5-5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.8"
                strokeLinecap="round"
              />
            </svg>
            {busy === f ? t('nlu.export.downloading') : FORMAT_LABEL[f]}
          </button>
        ))}
      </div>
      {error ? <ErrorNotice error={error} compact onDismiss={() => setError(null)} /> : null}
    </section>
  );
}
