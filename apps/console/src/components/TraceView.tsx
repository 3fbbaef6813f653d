import type { TurnTrace } from '@kefu/protocol';
import { type CSSProperties, useEffect, useId, useRef, useState } from 'react';
import { type MessageKey, useI18n } from '../i18n/i18n';
import { formatMs, formatPercent, formatScore } from '../lib/format';
import { scrollBehavior } from '../lib/motion';
import { detectedLanguageOf, handoffRequestedOf, LANES, type Lane, type Retrieval, retrievalOf, thresholdOf, uniqueTerms } from '../lib/trace';
import { ConfidenceGauge } from './ConfidenceGauge';

const MAX_HITS = 5;
const MAX_TERMS = 14;

/**
 * Why the bot said what it said, drawn: a timeline of the pipeline stages, the decision with its
 * confidence against the answer threshold, and the ranked knowledge hits with their matched terms.
 */
export function TraceView({ trace, defaultOpen = false }: { trace: TurnTrace; defaultOpen?: boolean }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(defaultOpen);
  const panelId = useId();
  const panel = useRef<HTMLElement>(null);
  const opened = useRef(false);
  const confidence = trace.decision.confidence;

  useEffect(() => {
    // Bring a panel the agent just opened into view; not on first render, which would jump the log.
    if (open && opened.current) panel.current?.scrollIntoView({ block: 'nearest', behavior: scrollBehavior() });
    opened.current = true;
  }, [open]);
  return (
    <div className={`trace${open ? ' is-open' : ''}`}>
      <button type="button" className="trace-toggle" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
        <svg className="trace-chevron" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
          <path d="M4 2.5 7.5 6 4 9.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <span className="trace-toggle-label">{open ? t('trace.hide') : t('trace.show')}</span>
        <span className={`trace-toggle-summary decision-${trace.decision.kind}`}>
          {t('trace.summary', {
            decision: t(`decision.${trace.decision.kind}`),
            confidence: confidence === null ? '—' : formatScore(confidence, locale),
            ms: formatMs(trace.totalMs, locale),
          })}
        </span>
      </button>
      {open && (
        <section id={panelId} ref={panel} className="trace-panel" aria-label={t('trace.title')}>
          <StageTimeline trace={trace} />
          <div className="trace-columns">
            <DecisionGauge trace={trace} />
            <RetrievalChart retrieval={retrievalOf(trace)} />
          </div>
        </section>
      )}
    </div>
  );
}

function stageLabel(name: string, has: (k: string) => k is MessageKey, t: (k: MessageKey) => string) {
  const key = `stage.${name}`;
  return has(key) ? t(key) : name;
}

function StageTimeline({ trace }: { trace: TurnTrace }) {
  const { t, has, locale } = useI18n();
  const sum = trace.stages.reduce((a, s) => a + Math.max(0, s.ms), 0);
  const scale = Math.max(trace.totalMs, sum, 0.001);
  let offset = 0;
  const rows = trace.stages.map((s, i) => {
    const ms = Math.max(0, s.ms);
    const row = { s, i, left: (offset / scale) * 100, width: (ms / scale) * 100 };
    offset += ms;
    return row;
  });
  const total = formatMs(trace.totalMs, locale);
  return (
    <figure className="trace-block trace-timeline">
      <figcaption className="trace-block-title">
        <span>{t('trace.timeline')}</span>
        <span className="trace-total">{t('trace.total', { ms: total })}</span>
      </figcaption>
      <ol className="timeline" aria-label={t('trace.timelineLabel', { ms: total })}>
        {rows.map(({ s, i, left, width }) => (
          <li className="timeline-row" key={`${s.stage}-${i}`} title={s.summary ?? ''} data-stage={s.stage}>
            <span className="timeline-name">
              <span className="timeline-label">{stageLabel(s.stage, has, t)}</span>
              <code className="timeline-id">{s.stage}</code>
            </span>
            <span className="timeline-track">
              <span className={`timeline-bar stage-${s.stage}`} style={{ left: `${left}%`, width: `${width}%`, '--i': i } as CSSProperties} />
            </span>
            <span className="timeline-ms">{t('trace.ms', { ms: formatMs(s.ms, locale) })}</span>
          </li>
        ))}
      </ol>
      <div className="timeline-axis" aria-hidden="true">
        <span />
        <span className="timeline-ticks">
          <span>0</span>
          <span>{formatMs(scale / 2, locale)}</span>
          <span>{t('trace.ms', { ms: formatMs(scale, locale) })}</span>
        </span>
        <span />
      </div>
      <StageFacts trace={trace} />
    </figure>
  );
}

function StageFacts({ trace }: { trace: TurnTrace }) {
  const { t, has, locale } = useI18n();
  const lang = detectedLanguageOf(trace);
  const handoff = handoffRequestedOf(trace);
  if (!lang && handoff === null) return null;
  const langKey = lang ? `language.${lang.language}` : '';
  return (
    <dl className="trace-facts">
      {lang && (
        <div>
          <dt>{t('trace.detectedLanguage')}</dt>
          <dd>
            {has(langKey) ? t(langKey) : lang.language}
            {lang.confidence !== null && <span className="muted"> · {formatScore(lang.confidence, locale)}</span>}
          </dd>
        </div>
      )}
      {handoff !== null && (
        <div>
          <dt>{t('trace.handoffRequest')}</dt>
          <dd className={handoff ? 'is-warn' : ''}>{handoff ? t('trace.yes') : t('trace.no')}</dd>
        </div>
      )}
    </dl>
  );
}

function DecisionGauge({ trace }: { trace: TurnTrace }) {
  const { t, has } = useI18n();
  const { kind, reason, confidence } = trace.decision;
  const threshold = thresholdOf(trace);
  const reasonKey = `reason.${reason}`;
  return (
    <div className="trace-block trace-decision">
      <div className="trace-block-title">
        <span>{t('trace.decision')}</span>
      </div>
      <div className="decision-head">
        <span className={`decision-chip decision-${kind}`}>{t(`decision.${kind}`)}</span>
        <span className="decision-reason">
          {has(reasonKey) ? t(reasonKey) : reason}
          <code className="decision-reason-id">{reason}</code>
        </span>
      </div>
      {confidence === null ? <p className="muted small">{t('trace.noConfidence')}</p> : <ConfidenceGauge confidence={confidence} threshold={threshold} />}
    </div>
  );
}

function RetrievalChart({ retrieval }: { retrieval: Retrieval | null | undefined }) {
  const { t, locale } = useI18n();
  if (retrieval === undefined) return null;
  const hits = retrieval?.hits.slice(0, MAX_HITS) ?? [];
  const max = Math.max(...hits.map((h) => h.score), 0.0001);
  const lanesUsed = new Set(hits.flatMap((h) => h.matched.map((m) => m.lane)));
  return (
    <figure className="trace-block trace-hits">
      <figcaption className="trace-block-title">
        <span>{t('trace.hits')}</span>
        {lanesUsed.size > 0 && (
          <ul className="lane-legend" aria-label={t('trace.lanes')}>
            {LANES.filter((l) => lanesUsed.has(l)).map((l) => (
              <li key={l} className={`lane-key lane-${l}`}>
                {t(`lane.${l}`)}
              </li>
            ))}
          </ul>
        )}
      </figcaption>
      {retrieval === null ? (
        <p className="muted small">{t('trace.retrievalSkipped')}</p>
      ) : hits.length === 0 ? (
        <p className="muted small">{t('trace.noHits')}</p>
      ) : (
        <ol className="hits" aria-label={t('trace.hitsLabel')}>
          {hits.map((h, i) => (
            <li key={h.id} className={`hit${i === 0 ? ' is-top' : ''}`}>
              <span className="hit-rank" aria-hidden="true">
                {i + 1}
              </span>
              <div className="hit-body">
                <div className="hit-head">
                  <span className="hit-question" title={h.question}>
                    {h.question}
                  </span>
                  {h.externalId && <code className="hit-id">{h.externalId}</code>}
                </div>
                <div className="hit-bar-row">
                  <span className="hit-track">
                    <span className="hit-bar" style={{ width: `${(h.score / max) * 100}%` }} />
                    <span
                      className="hit-coverage"
                      style={{ width: `${Math.min(1, h.coverage) * 100}%` }}
                      title={t('trace.coverage', { pct: formatPercent(h.coverage, locale) })}
                    />
                  </span>
                  <span className="hit-score">
                    <span className="sr-only">{t('trace.score')} </span>
                    {formatScore(h.score, locale)}
                  </span>
                  <span className="hit-cov">{t('trace.coverage', { pct: formatPercent(h.coverage, locale) })}</span>
                </div>
                <TermChips terms={uniqueTerms(h.matched)} />
              </div>
            </li>
          ))}
        </ol>
      )}
    </figure>
  );
}

function TermChips({ terms }: { terms: ReturnType<typeof uniqueTerms> }) {
  const { t } = useI18n();
  if (terms.length === 0) return null;
  const shown = terms.slice(0, MAX_TERMS);
  return (
    <ul className="terms" aria-label={t('trace.matched')}>
      {shown.map((m) => (
        <li
          key={`${m.lane}:${m.term}`}
          className={`term lane-${m.lane}${m.field === 'answer' ? ' in-answer' : ''}`}
          title={`${t(`lane.${m.lane as Lane}`)}${m.field === 'answer' ? ` · ${t('trace.inAnswer')}` : ''}`}
        >
          {m.term}
        </li>
      ))}
      {terms.length > shown.length && <li className="term term-more">{t('trace.moreTerms', { count: terms.length - shown.length })}</li>}
    </ul>
  );
}
