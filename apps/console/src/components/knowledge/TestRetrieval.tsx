import { type CSSProperties, type FormEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { knowledgeApi, type SearchResult, type SynonymGroup } from '../../api/knowledge';
import { useI18n } from '../../i18n/i18n';
import { formatMs, formatPercent, formatScore } from '../../lib/format';
import { groupsContaining, isLane, parseQueryTerm } from '../../lib/query-terms';
import { plainText } from '../../lib/rich-text';
import { LANES, type MatchedTerm, uniqueTerms } from '../../lib/trace';
import { followLink, knowledgeHref, navigateTo } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { ConfidenceGauge } from '../ConfidenceGauge';
import { ErrorNotice } from '../ErrorNotice';
import { type Example, ExampleChips } from './ExampleChips';
import { KbPageHead } from './KbPageHead';
import { AudienceBadge } from './KnowledgeBadges';

type Audience = 'public' | 'all';

/** One example per kind of query the analyser treats differently. */
const EXAMPLES: Example[] = [
  { text: '运费多少钱', lang: 'zh-CN', kind: 'zh-CN' },
  { text: '退貨運費誰出？', lang: 'zh-TW', kind: 'zh-TW' },
  { text: 'How much is shipping?', lang: 'en', kind: 'en' },
  { text: 'GX199', lang: 'en', kind: 'code' },
];

const K = 10;
const PREVIEW_CHARS = 140;

/**
 * Ask the knowledge base what the bot would find: ranked hits with their scores and matched terms,
 * the confidence against the answer threshold, and the terms the query became. The query lives in the
 * address (`?q=&audience=`), so a synonym change can link straight to a test of it.
 */
export function TestRetrieval({ params }: { params: URLSearchParams }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const routeQuery = params.get('q') ?? '';
  const routeAudience: Audience = params.get('audience') === 'all' ? 'all' : 'public';
  const [text, setText] = useState(routeQuery);
  const [audience, setAudience] = useState<Audience>(routeAudience);
  const [result, setResult] = useState<{ query: string; audience: Audience; data: SearchResult } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);
  const inputId = useId();
  const synonyms = useLoad((signal) => knowledgeApi.synonyms(api, signal), [api]);

  const run = useCallback(
    async (query: string, aud: Audience) => {
      const q = query.trim();
      if (!q) return;
      const mine = ++seq.current;
      setBusy(true);
      setError(null);
      try {
        const data = await knowledgeApi.search(api, { query: q, k: K, audience: aud });
        if (mine === seq.current) setResult({ query: q, audience: aud, data });
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
    setAudience(routeAudience);
    if (routeQuery.trim()) void run(routeQuery, routeAudience);
    else setResult(null);
  }, [routeQuery, routeAudience, run]);

  const submit = (query: string, aud: Audience) => {
    const href = knowledgeHref('test', { query: { q: query.trim(), audience: aud === 'all' ? 'all' : null } });
    // The same address again (testing after a synonym change): search again anyway.
    if (href === location.pathname + location.search) void run(query, aud);
    else navigateTo(href);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit(text, audience);
  };

  return (
    <section className="kb-page kb-test" aria-labelledby="kb-test-title">
      <KbPageHead id="kb-test-title" title={t('kb.test.title')} subtitle={t('kb.test.subtitle')} />

      <form className="kb-card test-form" onSubmit={onSubmit}>
        <div className="test-query-row">
          <label htmlFor={inputId} className="sr-only">
            {t('kb.test.query')}
          </label>
          <input
            id={inputId}
            className="kb-input kb-input-lg"
            value={text}
            maxLength={1000}
            placeholder={t('kb.test.placeholder')}
            onChange={(e) => setText(e.target.value)}
            data-testid="test-query"
          />
          <fieldset className="segmented test-audience" data-testid="test-audience">
            <legend className="sr-only">{t('kb.test.audienceLabel')}</legend>
            {(['public', 'all'] as const).map((a) => (
              <label key={a} className={`segment${audience === a ? ' is-active' : ''}`} title={t(`kb.test.audienceHint.${a}`)}>
                <input
                  type="radio"
                  name="test-audience"
                  value={a}
                  checked={audience === a}
                  onChange={() => {
                    setAudience(a);
                    if (text.trim()) submit(text, a);
                  }}
                />
                {t(`kb.test.audience.${a}`)}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="btn btn-primary" disabled={!text.trim() || busy} data-testid="test-run">
            {busy ? t('kb.test.searching') : t('kb.test.run')}
          </button>
        </div>
        <ExampleChips examples={EXAMPLES} onPick={(text) => submit(text, audience)} />
      </form>

      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}

      {result ? (
        <div className={`test-results${busy ? ' is-stale' : ''}`} data-testid="test-results" aria-busy={busy}>
          <div className="test-side">
            <Verdict result={result.data} audience={result.audience} />
            <QueryTerms result={result.data} groups={synonyms.data?.items ?? []} />
          </div>
          <HitChart result={result.data} />
        </div>
      ) : (
        !busy && (
          <div className="kb-empty test-placeholder">
            <svg viewBox="0 0 64 64" width="64" height="64" aria-hidden="true">
              <rect x="8" y="14" width="48" height="8" rx="4" fill="#dbeafe" />
              <rect x="8" y="28" width="36" height="8" rx="4" fill="#93b4f5" />
              <rect x="8" y="42" width="22" height="8" rx="4" fill="#2563eb" opacity=".85" />
            </svg>
            <p>{t('kb.test.empty')}</p>
          </div>
        )
      )}
      <span className="sr-only" role="status" aria-live="polite">
        {result && !busy ? t('kb.test.announce', { count: result.data.hits.length, ms: formatMs(result.data.tookMs, locale) }) : ''}
      </span>
    </section>
  );
}

function Verdict({ result, audience }: { result: SearchResult; audience: Audience }) {
  const { t, locale } = useI18n();
  const { confidence, threshold, answerable } = result;
  return (
    <section className={`kb-card verdict ${answerable ? 'is-answer' : 'is-handoff'}`} aria-labelledby="verdict-title" data-testid="test-verdict">
      <h2 id="verdict-title" className="kb-card-title">
        {t('kb.test.verdict')}
      </h2>
      <p className="verdict-line" data-answerable={answerable}>
        <span className="verdict-icon" aria-hidden="true">
          {answerable ? (
            <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
              <circle cx="10" cy="10" r="9" fill="currentColor" />
              <path d="m6 10.5 2.6 2.5L14 7.5" fill="none" stroke="#fff" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
          ) : (
            <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
              <circle cx="10" cy="10" r="9" fill="currentColor" />
              <circle cx="10" cy="7.5" r="2.3" fill="#fff" />
              <path d="M5.8 14.8c.7-2 2.3-3.1 4.2-3.1s3.5 1.1 4.2 3.1" fill="#fff" />
            </svg>
          )}
        </span>
        <strong>{answerable ? t('kb.test.wouldAnswer') : t('kb.test.wouldHandoff')}</strong>
      </p>
      <p className="muted small">{answerable ? t('kb.test.wouldAnswerHint') : result.hits.length ? t('kb.test.wouldHandoffHint') : t('kb.test.noHitsHint')}</p>
      <ConfidenceGauge confidence={confidence} threshold={threshold} />
      <dl className="test-facts">
        <div>
          <dt>{t('kb.test.took')}</dt>
          <dd data-testid="test-took">{t('trace.ms', { ms: formatMs(result.tookMs, locale) })}</dd>
        </div>
        <div>
          <dt>{t('kb.test.hitCount')}</dt>
          <dd>{result.hits.length}</dd>
        </div>
        <div>
          <dt>{t('kb.test.searched')}</dt>
          <dd>{t(`kb.test.audience.${audience}`)}</dd>
        </div>
      </dl>
      <Lanes result={result} />
      {audience === 'all' && <p className="field-hint">{t('kb.test.allNote')}</p>}
    </section>
  );
}

/** Which retrieval lanes ran: BM25 always; vectors and the reranker when configured, and how they fared. */
function Lanes({ result }: { result: SearchResult }) {
  const { t, locale } = useI18n();
  const lanes = [
    ['dense', result.dense],
    ['rerank', result.rerank],
  ] as const;
  return (
    <ul className="retrieval-lanes" aria-label={t('kb.test.lanes')} data-testid="test-lanes">
      <li className="retrieval-lane is-used">{t('kb.test.lane.bm25')}</li>
      {lanes.map(([name, lane]) => {
        if (!lane || lane.status === 'off') {
          return (
            <li key={name} className="retrieval-lane is-off" title={t(`kb.test.lane.${name}.offHint`)}>
              {t(`kb.test.lane.${name}`)} · {t('kb.test.lane.off')}
            </li>
          );
        }
        const detail = lane.status === 'used' ? t('trace.ms', { ms: formatMs(lane.ms ?? 0, locale) }) : t(`kb.test.lane.failed.${lane.reason ?? 'error'}`);
        return (
          <li
            key={name}
            className={`retrieval-lane is-${lane.status}`}
            title={[lane.model, lane.message].filter(Boolean).join(' · ')}
            data-lane={name}
            data-status={lane.status}
          >
            {t(`kb.test.lane.${name}`)} · {detail}
          </li>
        );
      })}
    </ul>
  );
}

function QueryTerms({ result, groups }: { result: SearchResult; groups: readonly SynonymGroup[] }) {
  const t = useI18n().t;
  const expanded = useMemo(() => (result.expandedTerms ? new Set(result.expandedTerms) : null), [result.expandedTerms]);
  const terms = result.queryTerms.map(parseQueryTerm);
  return (
    <section className="kb-card" aria-labelledby="query-terms-title" data-testid="test-query-terms">
      <div className="kb-card-head">
        <h2 id="query-terms-title" className="kb-card-title">
          {t('kb.test.queryTerms')}
        </h2>
        <span className="muted small">{terms.length}</span>
      </div>
      {terms.length === 0 ? (
        <p className="muted small">{t('kb.test.noTerms')}</p>
      ) : (
        <ul className="terms query-terms">
          {terms.map((q) => {
            const inGroups = groupsContaining(q.term, groups);
            const viaSynonym = expanded ? expanded.has(q.key) : false;
            const title = [
              q.lane ? t(`lane.${q.lane}`) : null,
              viaSynonym ? t('kb.test.viaSynonym') : null,
              inGroups.length ? t('kb.test.inGroup', { terms: inGroups[0]!.terms.join(' = ') }) : null,
            ]
              .filter(Boolean)
              .join(' · ');
            return (
              <li
                key={q.key}
                className={`term${q.lane ? ` lane-${q.lane}` : ''}${viaSynonym ? ' is-expansion' : ''}${inGroups.length ? ' in-group' : ''}`}
                title={title}
                data-term={q.term}
              >
                {inGroups.length > 0 && (
                  <span className="term-synonym" aria-hidden="true">
                    ≈
                  </span>
                )}
                {q.term}
                {title && <span className="sr-only"> ({title})</span>}
              </li>
            );
          })}
        </ul>
      )}
      <p className="field-hint">{expanded ? t('kb.test.termsHintExpanded') : t('kb.test.termsHint')}</p>
    </section>
  );
}

function HitChart({ result }: { result: SearchResult }) {
  const { t, locale } = useI18n();
  const hits = result.hits;
  const max = Math.max(...hits.map((h) => h.score), 0.0001);
  const lanesUsed = new Set(hits.flatMap((h) => h.matched.map((m) => m.lane)));
  return (
    <section className="kb-card test-hits" aria-labelledby="test-hits-title">
      <div className="kb-card-head">
        <h2 id="test-hits-title" className="kb-card-title">
          {t('kb.test.hits')}
        </h2>
        <ul className="lane-legend" aria-label={t('trace.lanes')} data-testid="lane-legend">
          {LANES.map((l) => (
            <li key={l} className={`lane-key lane-${l}${lanesUsed.has(l) ? '' : ' is-unused'}`}>
              {t(`lane.${l}`)}
            </li>
          ))}
          <li className="lane-key lane-answer">{t('trace.inAnswer')}</li>
        </ul>
      </div>
      {hits.length === 0 ? (
        <p className="muted">{t('trace.noHits')}</p>
      ) : (
        <ol className="hits test-hit-list" aria-label={t('trace.hitsLabel')}>
          {hits.map((h, i) => {
            const terms = uniqueTerms(h.matched.filter((m): m is MatchedTerm => isLane(m.lane)) as MatchedTerm[]);
            const preview = plainText(h.entry.answer);
            return (
              <li key={h.entry.id} className={`hit${i === 0 ? ' is-top' : ''}`} data-hit-id={h.entry.id} style={{ '--i': i } as CSSProperties}>
                <span className="hit-rank" aria-hidden="true">
                  {i + 1}
                </span>
                <div className="hit-body">
                  <div className="hit-head">
                    <a className="hit-question" href={knowledgeHref('faq', { faqId: h.entry.id })} onClick={followLink} title={h.entry.question}>
                      {h.entry.question}
                    </a>
                    {h.entry.audience === 'internal' && <AudienceBadge audience="internal" />}
                    {h.entry.category && <span className="faq-category">{h.entry.category}</span>}
                    {h.entry.externalId && <code className="hit-id">{h.entry.externalId}</code>}
                  </div>
                  <div className="hit-bar-row">
                    <span className="hit-track">
                      <span className="hit-bar" style={{ width: `${(h.score / max) * 100}%` }} />
                      <span className="hit-coverage" style={{ width: `${Math.min(1, h.coverage) * 100}%` }} />
                    </span>
                    <span className="hit-score">
                      <span className="sr-only">{t('trace.score')} </span>
                      {formatScore(h.score, locale)}
                    </span>
                    <span className="hit-cov" title={t('kb.test.questionCoverage', { pct: formatPercent(h.questionCoverage, locale) })}>
                      {t('trace.coverage', { pct: formatPercent(h.coverage, locale) })}
                    </span>
                  </div>
                  {(h.similarity !== undefined || h.rerankScore !== undefined) && (
                    <p className="hit-lanes small muted" data-testid="hit-lanes">
                      {h.ranks?.lexical ? t('kb.test.rank.lexical', { rank: h.ranks.lexical }) : t('kb.test.rank.lexicalNone')}
                      {h.ranks?.dense ? ` · ${t('kb.test.rank.dense', { rank: h.ranks.dense, similarity: formatScore(h.similarity ?? 0, locale) })}` : ''}
                      {h.rerankScore !== undefined ? ` · ${t('kb.test.rank.rerank', { score: formatScore(h.rerankScore, locale) })}` : ''}
                    </p>
                  )}
                  {terms.length > 0 && (
                    <ul className="terms" aria-label={t('trace.matched')}>
                      {terms.map((m) => (
                        <li
                          key={`${m.lane}:${m.term}`}
                          className={`term lane-${m.lane}${m.field === 'answer' ? ' in-answer' : ''}`}
                          title={`${t(`lane.${m.lane}`)}${m.field === 'answer' ? ` · ${t('trace.inAnswer')}` : ''}`}
                        >
                          {m.term}
                        </li>
                      ))}
                    </ul>
                  )}
                  <p className="hit-answer" title={preview}>
                    {preview.length > PREVIEW_CHARS ? `${preview.slice(0, PREVIEW_CHARS)}…` : preview}
                  </p>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      <p className="field-hint">{t('kb.test.chartHint')}</p>
    </section>
  );
}
