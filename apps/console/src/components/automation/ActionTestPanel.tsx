import { useEffect, useId, useMemo, useState } from 'react';
import { type Action, type ActionTestResult, actionsApi } from '../../api/automation';
import { useI18n } from '../../i18n/i18n';
import { argsFromRows, formFromAction, newRow, type Row, templateArgNames } from '../../lib/action-form';
import { formatMs } from '../../lib/format';
import { useSignedIn } from '../../state/session';
import { ErrorNotice } from '../ErrorNotice';
import { KeyValueRows } from './KeyValueRows';

/** How much of the answer's JSON is shown; the rest is cut with a note. */
const MAX_SHOWN_CHARS = 20_000;

/**
 * One real call of the saved action with arguments typed here (`{{args.x}}`): the HTTP status, the
 * time and attempts it took, the slots its response mapping filled and the answer's JSON, or why it failed.
 */
export function ActionTestPanel({ action, dirty }: { action: Action; dirty: boolean }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const names = useMemo(() => templateArgNames(formFromAction(action)), [action]);
  const [rows, setRows] = useState<Row[]>(() => names.map((n) => newRow(n, '')));
  const [result, setResult] = useState<ActionTestResult | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();

  // A save that makes the templates use another argument offers a row for it; typed values stay.
  useEffect(() => {
    setRows((current) => {
      const missing = names.filter((n) => !current.some((r) => r.key.trim() === n));
      return missing.length ? [...current, ...missing.map((n) => newRow(n, ''))] : current;
    });
  }, [names]);

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      setResult(await actionsApi.test(api, action.id, argsFromRows(rows)));
    } catch (err) {
      setError(err);
      setResult(null);
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="kb-card action-test" aria-labelledby={titleId} data-testid="action-test">
      <h2 id={titleId} className="kb-card-title">
        {t('actions.test.title')}
      </h2>
      <p className="field-hint">{t('actions.test.hint')}</p>
      {dirty && <p className="notice notice-warn notice-compact">{t('actions.test.savedOnly')}</p>}
      <KeyValueRows
        rows={rows}
        onChange={setRows}
        keyLabel={t('actions.test.arg')}
        valueLabel={t('actions.test.value')}
        keyPlaceholder="order_no"
        valuePlaceholder="YD2026111800456"
        joiner="="
        addLabel={t('actions.test.addArg')}
        removeLabel={(name) => t('actions.field.removeRow', { name })}
        testId="action-test-args"
      />
      <button type="button" className="btn btn-primary btn-block" onClick={() => void run()} disabled={running} data-testid="action-test-run">
        {running ? t('actions.test.running') : t('actions.test.run')}
      </button>
      {error ? <ErrorNotice error={error} compact onDismiss={() => setError(null)} /> : null}
      {result && (
        <div className={`action-result${result.ok ? ' is-ok' : ' is-failed'}`} data-testid="action-test-result" data-ok={String(result.ok)} aria-live="polite">
          <div className="action-result-head">
            <span className={`badge ${result.ok ? 'badge-resolved' : 'badge-queued'}`}>{t(result.ok ? 'actions.test.ok' : 'actions.test.failed')}</span>
            {result.status !== undefined && (
              <span className="action-result-fact" data-testid="action-test-status">
                {t('actions.test.status', { status: result.status })}
              </span>
            )}
            <span className="action-result-fact">{t('trace.ms', { ms: formatMs(result.ms, locale) })}</span>
            <span className="action-result-fact">{t('actions.test.attempts', { count: result.attempts })}</span>
          </div>
          {!result.ok && (
            <p className="action-result-error">
              {result.error && <code>{result.error}</code>} {result.message}
            </p>
          )}
          {result.slots && Object.keys(result.slots).length > 0 && (
            <>
              <h3 className="action-result-title">{t('actions.test.slots')}</h3>
              <dl className="action-slots" data-testid="action-test-slots">
                {Object.entries(result.slots).map(([slot, value]) => (
                  <div key={slot}>
                    <dt>
                      <code>{slot}</code>
                    </dt>
                    <dd>
                      <code>{JSON.stringify(value)}</code>
                    </dd>
                  </div>
                ))}
              </dl>
            </>
          )}
          {result.data !== undefined && (
            <>
              <h3 className="action-result-title">{t('actions.test.response')}</h3>
              <ResponseJson data={result.data} />
            </>
          )}
        </div>
      )}
    </section>
  );
}

function ResponseJson({ data }: { data: unknown }) {
  const t = useI18n().t;
  const text = JSON.stringify(data, null, 2) ?? String(data);
  const cut = text.length > MAX_SHOWN_CHARS;
  return (
    <>
      <pre className="action-json" data-testid="action-test-json">
        {cut ? text.slice(0, MAX_SHOWN_CHARS) : text}
      </pre>
      {cut && <p className="muted small">{t('actions.test.cut', { count: text.length - MAX_SHOWN_CHARS })}</p>}
    </>
  );
}
