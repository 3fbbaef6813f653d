import type { Analysis } from '@kefu/protocol';
import { type CSSProperties, type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { intentsApi } from '../../api/intents';
import { type MessageKey, useI18n } from '../../i18n/i18n';
import { formatPercent, formatScore } from '../../lib/format';
import { formatEntityValue, highlightSegments } from '../../lib/intents';
import { followLink, navigateTo, understandingHref } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { useFaqTitles } from '../../state/use-faq-titles';
import { ErrorNotice } from '../ErrorNotice';
import { type Example, ExampleChips } from '../knowledge/ExampleChips';
import { KbPageHead } from '../knowledge/KbPageHead';
import { IntentActionLabel } from './IntentActionLabel';

/** Messages that show each part at work: an intent with a date, a threat, anger with an emoji, and English entities. */
const EXAMPLES: Example[] = [
  { text: '我的快递到哪了？明天能到吗', lang: 'zh-CN', kind: 'zh-CN' },
  { text: '再不退款我就打12315投诉', lang: 'zh-CN', kind: 'zh-CN' },
  { text: '你們的客服爛透了😡', lang: 'zh-TW', kind: 'zh-TW' },
  { text: 'I was charged twice on card 4111 1111 1111 1111, can you refund $25 by next Friday?', lang: 'en', kind: 'en' },
];

const EMOTIONS = ['anger', 'anxiety', 'dissatisfaction', 'satisfaction', 'confusion'] as const;
const MAX_CHARS = 4000;

/**
 * What the bot understands in one message: the top intents with calibrated probabilities against the
 * threshold, the entities highlighted in the text, and the sentiment with the cues behind it. The
 * message lives in the address (`?q=`), so a link can open a test of it.
 */
export function TryIt({ params }: { params: URLSearchParams }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const routeQuery = params.get('q') ?? '';
  const [text, setText] = useState(routeQuery);
  const [result, setResult] = useState<{ text: string; data: Analysis } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);
  const inputId = useId();

  const run = useCallback(
    async (message: string) => {
      const m = message.trim();
      if (!m) return;
      const mine = ++seq.current;
      setBusy(true);
      setError(null);
      try {
        const data = await intentsApi.analyze(api, m);
        if (mine === seq.current) setResult({ text: m, data });
      } catch (err) {
        if (mine === seq.current) setError(err);
      } finally {
        if (mine === seq.current) setBusy(false);
      }
    },
    [api],
  );

  // The address is the source of truth: a link, the back button or a submit all land here.
  useEffect(() => {
    setText(routeQuery);
    if (routeQuery.trim()) void run(routeQuery);
    else setResult(null);
  }, [routeQuery, run]);

  const submit = (message: string) => {
    const href = understandingHref('try', { query: { q: message.trim() } });
    if (href === location.pathname + location.search) void run(message);
    else navigateTo(href);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit(text);
  };

  const a = result?.data;
  const announce = a
    ? t('nlu.try.announce', {
        intent: a.intent ? a.intent.name : a.modelVersion === null ? t('nlu.try.noModel') : t('nlu.try.outOfScope'),
        entities: a.entities.length,
        sentiment: t(`nlu.sentiment.${a.sentiment.label}`),
      })
    : '';

  return (
    <section className="kb-page nlu-try" aria-labelledby="try-title">
      <KbPageHead id="try-title" title={t('nlu.try.title')} subtitle={t('nlu.try.subtitle')} />

      <form className="kb-card test-form" onSubmit={onSubmit}>
        <div className="test-query-row">
          <label htmlFor={inputId} className="sr-only">
            {t('nlu.try.label')}
          </label>
          <input
            id={inputId}
            className="kb-input kb-input-lg"
            value={text}
            maxLength={MAX_CHARS}
            placeholder={t('nlu.try.placeholder')}
            onChange={(e) => setText(e.target.value)}
            data-testid="try-input"
          />
          <button type="submit" className="btn btn-primary" disabled={!text.trim() || busy} data-testid="try-run">
            {busy ? t('nlu.try.running') : t('nlu.try.run')}
          </button>
        </div>
        <ExampleChips examples={EXAMPLES} onPick={submit} />
      </form>

      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}

      {result ? (
        <div className={`nlu-try-results${busy ? ' is-stale' : ''}`} data-testid="try-results" aria-busy={busy}>
          <EntitiesCard analysis={result.data} text={result.text} />
          <IntentCard analysis={result.data} />
          <SentimentCard analysis={result.data} />
        </div>
      ) : (
        !busy && (
          <div className="kb-empty test-placeholder">
            <svg viewBox="0 0 64 64" width="64" height="64" aria-hidden="true">
              <rect x="6" y="16" width="52" height="24" rx="12" fill="#dbeafe" />
              <rect x="14" y="25" width="14" height="6" rx="3" fill="#2563eb" />
              <rect x="32" y="25" width="18" height="6" rx="3" fill="#f59e0b" />
              <path d="M18 40l-4 10 12-10" fill="#dbeafe" />
            </svg>
            <p>{t('nlu.try.empty')}</p>
          </div>
        )
      )}
      <span className="sr-only" role="status" aria-live="polite">
        {result && !busy ? announce : ''}
      </span>
    </section>
  );
}

function IntentCard({ analysis: a }: { analysis: Analysis }) {
  const { t, locale, has } = useI18n();
  const faqTitles = useFaqTitles(a.intent?.action?.kind === 'faq' ? [a.intent.action.faqId] : []);
  const noModel = a.modelVersion === null;
  const state = noModel ? 'no-model' : a.intent ? 'recognised' : 'out-of-scope';
  const languageKey = `language.${a.language}`;
  const pct = (n: number) => `${Math.min(100, Math.max(0, n * 100))}%`;
  return (
    <section className={`kb-card verdict nlu-intent-card is-${state}`} aria-labelledby="try-intent-title" data-testid="try-intent" data-state={state}>
      <h2 id="try-intent-title" className="kb-card-title">
        {t('nlu.try.intent')}
      </h2>
      <p className="verdict-line">
        <span className="verdict-icon" aria-hidden="true">
          {state === 'recognised' ? (
            <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
              <circle cx="10" cy="10" r="9" fill="currentColor" />
              <path d="m6 10.5 2.6 2.5L14 7.5" fill="none" stroke="#fff" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
          ) : (
            <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
              <circle cx="10" cy="10" r="9" fill="currentColor" />
              <path d="M6.5 10h7" stroke="#fff" strokeWidth="2" strokeLinecap="round" />
            </svg>
          )}
        </span>
        <strong data-testid="try-verdict">
          {state === 'recognised' && a.intent ? (
            <>
              {t('nlu.try.recognised')} <code className="nlu-intent-name">{a.intent.name}</code>
            </>
          ) : state === 'no-model' ? (
            t('nlu.try.noModel')
          ) : (
            t('nlu.try.outOfScope')
          )}
        </strong>
      </p>
      <p className="muted small">
        {state === 'recognised' ? t('nlu.try.recognisedHint') : state === 'no-model' ? t('nlu.try.noModelHint') : t('nlu.try.outOfScopeHint')}
        {state === 'no-model' && (
          <>
            {' '}
            <a href={understandingHref('training')} onClick={followLink}>
              {t('nlu.try.trainLink')}
            </a>
          </>
        )}
      </p>
      {a.intent && (
        <p className="nlu-then">
          <span className="muted small">{t('nlu.try.then')}</span>{' '}
          <IntentActionLabel action={a.intent.action} faqTitle={a.intent.action?.kind === 'faq' ? faqTitles.get(a.intent.action.faqId) : undefined} />
        </p>
      )}
      {a.intents.length > 0 && (
        <div className="nlu-probs">
          <h3 className="sr-only">{t('nlu.try.probabilities')}</h3>
          <ol className="nlu-prob-list" aria-label={t('nlu.try.probabilities')} data-testid="try-intents">
            {a.intents.map((p, i) => {
              const pass = p.probability >= a.threshold;
              return (
                <li
                  key={p.name}
                  className={`nlu-prob${pass ? ' is-pass' : ''}${i === 0 ? ' is-top' : ''}`}
                  data-intent={p.name}
                  style={{ '--i': i } as CSSProperties}
                >
                  <span className="nlu-prob-name">{p.name}</span>
                  <span className="nlu-prob-track" aria-hidden="true">
                    <span className="nlu-prob-bar" style={{ width: pct(p.probability) }} />
                    <span className="nlu-prob-threshold" style={{ left: pct(a.threshold) }} />
                  </span>
                  <span className="nlu-prob-value">{formatPercent(p.probability, locale)}</span>
                </li>
              );
            })}
          </ol>
          <p className="nlu-prob-scale" aria-hidden="true">
            <span>0</span>
            <span className="nlu-prob-scale-threshold" style={{ left: pct(a.threshold) }}>
              {t('nlu.try.threshold', { value: formatScore(a.threshold, locale) })}
            </span>
            <span>1</span>
          </p>
          <p className="sr-only">{t('nlu.try.threshold', { value: formatScore(a.threshold, locale) })}</p>
        </div>
      )}
      <dl className="test-facts">
        <div>
          <dt>{t('nlu.try.model')}</dt>
          <dd>{a.modelVersion === null ? '—' : t('kb.version', { version: a.modelVersion })}</dd>
        </div>
        <div>
          <dt>{t('nlu.try.thresholdLabel')}</dt>
          <dd>{formatScore(a.threshold, locale)}</dd>
        </div>
        <div>
          <dt>{t('trace.detectedLanguage')}</dt>
          <dd>{has(languageKey) ? t(languageKey) : a.language}</dd>
        </div>
      </dl>
    </section>
  );
}

/** The message as typed with its entities marked, and a table of each entity's type, value and confidence. */
function EntitiesCard({ analysis: a, text }: { analysis: Analysis; text: string }) {
  const { t, locale, has } = useI18n();
  const segments = highlightSegments(text, a.entities);
  const typeLabel = (type: string) => {
    const key = `nlu.entity.${type}`;
    return has(key) ? t(key as MessageKey) : type;
  };
  return (
    <section className="kb-card nlu-entities" aria-labelledby="try-entities-title" data-testid="try-entities">
      <div className="kb-card-head">
        <h2 id="try-entities-title" className="kb-card-title">
          {t('nlu.try.entities')}
        </h2>
        <span className="muted small">{t('nlu.try.entityCount', { count: a.entities.length })}</span>
      </div>
      <p className="nlu-message" data-testid="try-message">
        {segments.map((s) =>
          s.entity === null ? (
            <span key={s.start}>{s.text}</span>
          ) : (
            <mark
              key={s.start}
              className={`nlu-entity entity-${a.entities[s.entity]!.type}`}
              data-type={a.entities[s.entity]!.type}
              title={t('nlu.try.entityTitle', {
                type: typeLabel(a.entities[s.entity]!.type),
                value: formatEntityValue(a.entities[s.entity]!.value, locale),
                confidence: formatPercent(a.entities[s.entity]!.confidence, locale),
              })}
            >
              {s.text}
              <span className="nlu-entity-type">{typeLabel(a.entities[s.entity]!.type)}</span>
            </mark>
          ),
        )}
      </p>
      {a.entities.length === 0 ? (
        <p className="muted small">{t('nlu.try.noEntities')}</p>
      ) : (
        <div className="table-scroll">
          <table className="kb-table nlu-entity-table">
            <thead>
              <tr>
                <th scope="col">{t('nlu.try.col.type')}</th>
                <th scope="col">{t('nlu.try.col.text')}</th>
                <th scope="col">{t('nlu.try.col.value')}</th>
                <th scope="col">{t('nlu.try.col.confidence')}</th>
              </tr>
            </thead>
            <tbody>
              {a.entities.map((e) => (
                <tr key={`${e.type}:${e.start}:${e.end}`} data-type={e.type}>
                  <td>
                    <span className={`nlu-entity-chip entity-${e.type}`}>{typeLabel(e.type)}</span>
                    {e.name && <span className="muted small"> {e.name}</span>}
                  </td>
                  <td className="nlu-entity-text">{e.text}</td>
                  <td className="kb-mono nlu-entity-value">{formatEntityValue(e.value, locale)}</td>
                  <td className="nlu-confidence">
                    <span className="nlu-mini-bar" aria-hidden="true">
                      <span className="nlu-mini-fill" style={{ width: `${e.confidence * 100}%` }} />
                    </span>
                    {formatPercent(e.confidence, locale)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** −1 … 1 on a half-circle: red on the left, green on the right, the needle at the polarity. */
function PolarityGauge({ polarity, label }: { polarity: number; label: string }) {
  const { t, locale } = useI18n();
  const p = Math.max(-1, Math.min(1, polarity));
  const angle = Math.PI * (1 - (p + 1) / 2);
  const cx = 60;
  const cy = 58;
  const r = 46;
  const point = (a: number, radius = r) => `${cx + radius * Math.cos(a)} ${cy - radius * Math.sin(a)}`;
  const arc = (from: number, to: number) => `M ${point(from)} A ${r} ${r} 0 0 1 ${point(to)}`;
  return (
    <div className="nlu-gauge">
      <svg viewBox="0 0 120 70" width="180" height="105" role="img" aria-label={t('nlu.try.polarityValue', { value: formatScore(p, locale), label })}>
        <path d={arc(Math.PI, (Math.PI * 2) / 3)} className="nlu-gauge-neg" />
        <path d={arc((Math.PI * 2) / 3, Math.PI / 3)} className="nlu-gauge-mid" />
        <path d={arc(Math.PI / 3, 0)} className="nlu-gauge-pos" />
        <line x1={cx} y1={cy} x2={cx + (r - 8) * Math.cos(angle)} y2={cy - (r - 8) * Math.sin(angle)} className="nlu-gauge-needle" />
        <circle cx={cx} cy={cy} r={4} className="nlu-gauge-hub" />
        <text x={cx - r} y={cy + 11} className="nlu-gauge-tick" textAnchor="middle">
          −1
        </text>
        <text x={cx} y={cy - r - 3} className="nlu-gauge-tick" textAnchor="middle">
          0
        </text>
        <text x={cx + r} y={cy + 11} className="nlu-gauge-tick" textAnchor="middle">
          1
        </text>
      </svg>
      <meter className="sr-only" min={-1} max={1} low={-0.2} high={0.2} optimum={1} value={p} aria-label={t('nlu.try.polarity')} />
      <strong className="nlu-gauge-value" data-testid="try-polarity">
        {formatScore(p, locale)}
      </strong>
    </div>
  );
}

function SentimentCard({ analysis: a }: { analysis: Analysis }) {
  const { t, locale, has } = useI18n();
  const s = a.sentiment;
  const label = t(`nlu.sentiment.${s.label}`);
  const emotionKey = (e: string) => `nlu.emotion.${e}`;
  const emotionLabel = (e: string) => (has(emotionKey(e)) ? t(emotionKey(e) as MessageKey) : e);
  const cueKey = (k: string) => `nlu.cue.${k}`;
  return (
    <section className={`kb-card nlu-sentiment is-${s.label}`} aria-labelledby="try-sentiment-title" data-testid="try-sentiment" data-label={s.label}>
      <div className="kb-card-head">
        <h2 id="try-sentiment-title" className="kb-card-title">
          {t('nlu.try.sentiment')}
        </h2>
        <span className={`badge nlu-label nlu-label-${s.label}`} data-testid="try-sentiment-label">
          {label}
        </span>
      </div>
      <div className="nlu-sentiment-top">
        <PolarityGauge polarity={s.polarity} label={label} />
        <dl className="nlu-sentiment-facts">
          <div>
            <dt>{t('nlu.try.polarity')}</dt>
            <dd>{formatScore(s.polarity, locale)}</dd>
          </div>
          <div>
            <dt>{t('nlu.try.intensity')}</dt>
            <dd>{formatPercent(s.intensity, locale)}</dd>
          </div>
          <div>
            <dt>{t('nlu.try.primary')}</dt>
            <dd>{emotionLabel(s.primary)}</dd>
          </div>
        </dl>
      </div>
      <h3 className="kb-subtitle">{t('nlu.try.emotions')}</h3>
      <ul className="nlu-emotions" data-testid="try-emotions">
        {EMOTIONS.map((e, i) => {
          const v = s.emotions[e] ?? 0;
          return (
            <li key={e} className={`nlu-emotion emotion-${e}${s.primary === e ? ' is-primary' : ''}`} data-emotion={e} style={{ '--i': i } as CSSProperties}>
              <span className="nlu-emotion-name">{emotionLabel(e)}</span>
              <span className="nlu-emotion-track" aria-hidden="true">
                <span className="nlu-emotion-fill" style={{ width: `${Math.min(1, v) * 100}%` }} />
              </span>
              <span className="nlu-emotion-value">{formatScore(v, locale)}</span>
            </li>
          );
        })}
      </ul>
      <ul className="nlu-flags">
        <li className={`nlu-flag${s.regulatorThreat ? ' is-on' : ''}`} data-flag="regulatorThreat" data-on={s.regulatorThreat}>
          <FlagIcon on={s.regulatorThreat} />
          {t('nlu.try.regulatorThreat')}
          <span className="nlu-flag-state">{s.regulatorThreat ? t('trace.yes') : t('trace.no')}</span>
        </li>
        <li className={`nlu-flag${s.repeatedComplaint ? ' is-on' : ''}`} data-flag="repeatedComplaint" data-on={s.repeatedComplaint}>
          <FlagIcon on={s.repeatedComplaint} />
          {t('nlu.try.repeatedComplaint')}
          <span className="nlu-flag-state">{s.repeatedComplaint ? t('trace.yes') : t('trace.no')}</span>
        </li>
      </ul>
      <h3 className="kb-subtitle">{t('nlu.try.cues')}</h3>
      {s.cues.length === 0 ? (
        <p className="muted small">{t('nlu.try.noCues')}</p>
      ) : (
        <ul className="nlu-cues" data-testid="try-cues">
          {s.cues.map((c, i) => (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: the same word can be a cue twice; the order is the identity
              key={i}
              className={`nlu-cue cue-${c.kind}${c.weight < 0 ? ' is-neg' : c.weight > 0 ? ' is-pos' : ''}`}
              data-kind={c.kind}
            >
              <span className="nlu-cue-text">{c.text}</span>
              <span className="nlu-cue-kind">{has(cueKey(c.kind)) ? t(cueKey(c.kind) as MessageKey) : c.kind}</span>
              {c.weight !== 0 && (
                <span className="nlu-cue-weight">
                  {c.weight > 0 ? '+' : '−'}
                  {formatScore(Math.abs(c.weight), locale, 1)}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function FlagIcon({ on }: { on: boolean }) {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      {on ? (
        <path d="M3 14V2.5h8.5l-1.8 3 1.8 3H3" fill="currentColor" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
      ) : (
        <path d="M3 14V2.5h8.5l-1.8 3 1.8 3H3" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
      )}
    </svg>
  );
}
