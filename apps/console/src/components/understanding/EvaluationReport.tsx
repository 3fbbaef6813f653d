import type { IntentModelRun } from '@kefu/protocol';
import type { CSSProperties } from 'react';
import { useI18n } from '../../i18n/i18n';
import { formatPercent, formatScore } from '../../lib/format';
import { confusionRows, runReport } from '../../lib/intents';

// Colours for the intents an intent was mistaken for; one intent keeps its colour in every row.
const CONFUSION_COLOURS = ['#ea580c', '#db2777', '#9333ea', '#ca8a04', '#0891b2', '#dc2626', '#7c3aed', '#65a30d'];

function colourOf(name: string) {
  let h = 0;
  for (const ch of name) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return CONFUSION_COLOURS[h % CONFUSION_COLOURS.length]!;
}

/**
 * How a model did on examples it did not see while training: overall accuracy and calibration, and
 * per intent (worst first) a bar split into the examples it recognised and those it took for another
 * intent, coloured by that intent.
 */
export function EvaluationReport({ run }: { run: IntentModelRun }) {
  const { t, locale } = useI18n();
  const report = runReport(run);
  const heldOut = report.heldOut;
  const titleId = `eval-title-${run.id}`;

  return (
    <section className="kb-card nlu-eval" aria-labelledby={titleId} data-testid="evaluation" data-run={run.id}>
      <div className="kb-card-head">
        <h2 id={titleId} className="kb-card-title">
          {t('nlu.eval.title', { version: run.version })}
        </h2>
        {run.serving && <span className="badge nlu-serving">{t('nlu.runs.serving')}</span>}
      </div>
      {!heldOut ? (
        <p className="muted">{t('nlu.eval.none')}</p>
      ) : (
        <>
          <p className="field-hint">{t('nlu.eval.subtitle')}</p>
          <dl className="nlu-eval-stats">
            <div className="nlu-stat nlu-stat-accuracy">
              <dt>{t('nlu.eval.accuracy')}</dt>
              <dd data-testid="eval-accuracy">{formatPercent(heldOut.accuracy, locale)}</dd>
              <span className="nlu-stat-bar" aria-hidden="true">
                <span className="nlu-stat-fill" style={{ width: `${heldOut.accuracy * 100}%` }} />
              </span>
            </div>
            <div className="nlu-stat" title={t('nlu.runs.eceHint')}>
              <dt>{t('nlu.eval.ece')}</dt>
              <dd>{formatScore(heldOut.ece, locale, 3)}</dd>
              <span className="nlu-stat-bar is-ece" aria-hidden="true">
                <span className="nlu-stat-fill" style={{ width: `${Math.min(1, heldOut.ece / 0.25) * 100}%` }} />
              </span>
            </div>
            <div className="nlu-stat">
              <dt>{t('nlu.eval.examples')}</dt>
              <dd>{heldOut.examples}</dd>
            </div>
            <div className="nlu-stat">
              <dt>{t('nlu.eval.intents')}</dt>
              <dd>{heldOut.perIntent.length}</dd>
            </div>
          </dl>
          {report.c !== null && report.temperature !== null && (
            <p className="muted small nlu-eval-model">
              {t('nlu.eval.model', { c: report.c, temperature: formatScore(report.temperature, locale), features: report.features ?? 0 })}
            </p>
          )}
          <ConfusionReport run={run} />
        </>
      )}
    </section>
  );
}

function ConfusionReport({ run }: { run: IntentModelRun }) {
  const { t, locale } = useI18n();
  const heldOut = runReport(run).heldOut;
  if (!heldOut) return null;
  const rows = confusionRows(heldOut);
  const titleId = `confusion-title-${run.id}`;
  return (
    <section className="nlu-confusion" aria-labelledby={titleId} data-testid="confusion-report">
      <div className="kb-card-head">
        <h3 id={titleId} className="kb-card-title">
          {t('nlu.eval.perIntent')}
        </h3>
        <ul className="nlu-legend" aria-hidden="true">
          <li className="nlu-legend-key is-correct">{t('nlu.eval.legendCorrect')}</li>
          <li className="nlu-legend-key is-wrong">{t('nlu.eval.legendWrong')}</li>
        </ul>
      </div>
      <ol className="nlu-confusion-rows">
        {rows.map((r, i) => (
          <li
            key={r.intent}
            className={`nlu-confusion-row${r.mistakes === 0 ? ' is-perfect' : ''}`}
            data-intent={r.intent}
            data-accuracy={r.accuracy.toFixed(3)}
            style={{ '--i': i } as CSSProperties}
          >
            <div className="nlu-confusion-head">
              <span className="nlu-confusion-name">{r.intent}</span>
              <span className="nlu-confusion-score">
                <strong>{formatPercent(r.accuracy, locale)}</strong>{' '}
                <span className="muted small">{t('nlu.eval.correct', { correct: r.correct, examples: r.examples })}</span>
              </span>
            </div>
            <div className="nlu-confusion-bar" aria-hidden="true">
              <span className="nlu-seg is-correct" style={{ width: `${r.examples ? (r.correct / r.examples) * 100 : 100}%` }} />
              {r.confusedWith.map((c) => (
                <span
                  key={c.intent}
                  className="nlu-seg is-wrong"
                  style={{ width: `${c.share * 100}%`, background: colourOf(c.intent) }}
                  title={t('nlu.eval.mistake', { intent: c.intent, count: c.count })}
                />
              ))}
            </div>
            {r.confusedWith.length > 0 ? (
              <p className="nlu-mistakes">
                <span className="muted small">{t('nlu.eval.mistakenFor')}</span>
                <span className="nlu-mistake-list">
                  {r.confusedWith.map((c) => (
                    <span key={c.intent} className="nlu-mistake" data-intent={c.intent}>
                      <span className="nlu-swatch" style={{ background: colourOf(c.intent) }} aria-hidden="true" />
                      {t('nlu.eval.mistake', { intent: c.intent, count: c.count })}
                    </span>
                  ))}
                </span>
              </p>
            ) : (
              <p className="muted small nlu-mistakes">{t('nlu.eval.perfect')}</p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
