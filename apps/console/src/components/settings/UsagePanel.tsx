import type { UsageReport } from '@kefu/protocol';
import { type MouseEvent, useMemo } from 'react';
import { settingsApi } from '../../api/settings';
import { useI18n } from '../../i18n/i18n';
import { dailyUsage, lastDays } from '../../lib/usage-chart';
import { navigateTo, settingsHref } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { KbPageHead } from '../knowledge/KbPageHead';
import { UsageChart } from './UsageChart';

const RANGES = [7, 30, 90] as const;

/** What the language model was used for, day by day: tokens by purpose, calls, failures and cost. */
export function UsagePanel({ params }: { params: URLSearchParams }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const requested = Number(params.get('days'));
  const days = RANGES.find((d) => d === requested) ?? 30;
  const range = useMemo(() => lastDays(days), [days]);
  const usage = useLoad((signal) => settingsApi.usage(api, range, signal), [api, range.from, range.to]);
  const report = usage.data;
  const daily = useMemo(() => (report ? dailyUsage(report) : []), [report]);
  const number = new Intl.NumberFormat(locale);

  const pick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
    e.preventDefault();
    navigateTo(e.currentTarget.getAttribute('href') ?? '', { replace: true });
  };

  return (
    <section className="kb-page" aria-labelledby="usage-title">
      <KbPageHead id="usage-title" title={t('usage.title')} subtitle={t('usage.subtitle')}>
        <nav className="view-switch" aria-label={t('usage.range')}>
          {RANGES.map((d) => (
            <a
              key={d}
              href={settingsHref('usage', { days: d === 30 ? null : String(d) })}
              className={`view-switch-link${d === days ? ' is-active' : ''}`}
              aria-current={d === days ? 'page' : undefined}
              onClick={pick}
            >
              {t('usage.days', { count: d })}
            </a>
          ))}
        </nav>
      </KbPageHead>
      {usage.error ? <ErrorNotice error={usage.error} onDismiss={() => void usage.reload()} /> : null}
      {!report && !usage.error && <p className="kb-empty">{t('usage.loading')}</p>}
      {report && (
        <>
          <Totals report={report} />
          <section className="kb-card usage-chart-card" aria-labelledby="usage-chart-title">
            <div className="kb-card-head">
              <h2 id="usage-chart-title" className="kb-card-title">
                {t('usage.chart.title')}
              </h2>
              <span className="muted small">{t('usage.chart.range', { from: report.from, to: report.to })}</span>
            </div>
            {report.totals.calls === 0 ? <p className="muted small usage-empty">{t('usage.empty')}</p> : null}
            <UsageChart days={daily} />
          </section>
          {report.rows.length > 0 && <ModelTable report={report} format={number.format} />}
        </>
      )}
    </section>
  );
}

function Totals({ report }: { report: UsageReport }) {
  const { t, locale } = useI18n();
  const number = new Intl.NumberFormat(locale);
  const money = moneyFormat(locale, report.currency);
  const { totals } = report;
  const failureRate = totals.calls ? totals.failures / totals.calls : 0;
  return (
    <dl className="usage-totals" data-testid="usage-totals">
      <div className="usage-total">
        <dt>{t('usage.total.calls')}</dt>
        <dd data-testid="usage-calls">{number.format(totals.calls)}</dd>
      </div>
      <div className={`usage-total${totals.failures ? ' has-failures' : ''}`}>
        <dt>{t('usage.total.failures')}</dt>
        <dd>
          {number.format(totals.failures)}
          {totals.calls > 0 && (
            <span className="muted small"> ({new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(failureRate)})</span>
          )}
        </dd>
      </div>
      <div className="usage-total">
        <dt>{t('usage.total.tokens')}</dt>
        <dd>{number.format(totals.inputTokens + totals.outputTokens)}</dd>
        <span className="muted small">
          {t('usage.total.tokensSplit', { input: number.format(totals.inputTokens), output: number.format(totals.outputTokens) })}
        </span>
      </div>
      <div className="usage-total">
        <dt>{t('usage.total.cost')}</dt>
        <dd>{money(totals.cost)}</dd>
        {totals.cost === 0 && totals.calls > 0 && <span className="muted small">{t('usage.total.noPrice')}</span>}
      </div>
    </dl>
  );
}

/** Totals by model and purpose over the range. */
function ModelTable({ report, format }: { report: UsageReport; format(n: number): string }) {
  const { t, locale } = useI18n();
  const money = moneyFormat(locale, report.currency);
  const groups = new Map<
    string,
    { model: string; purpose: UsageReport['rows'][number]['purpose']; calls: number; failures: number; tokens: number; cost: number }
  >();
  for (const r of report.rows) {
    const key = `${r.model}\u0000${r.purpose}`;
    const g = groups.get(key) ?? { model: r.model, purpose: r.purpose, calls: 0, failures: 0, tokens: 0, cost: 0 };
    g.calls += r.calls;
    g.failures += r.failures;
    g.tokens += r.inputTokens + r.outputTokens;
    g.cost += r.cost;
    groups.set(key, g);
  }
  const rows = [...groups.values()].sort((a, b) => b.tokens - a.tokens);
  return (
    <section className="kb-card nlu-table-card" aria-labelledby="usage-models-title">
      <h2 id="usage-models-title" className="kb-card-title usage-table-title">
        {t('usage.byModel')}
      </h2>
      <div className="table-scroll">
        <table className="kb-table" data-testid="usage-table">
          <thead>
            <tr>
              <th scope="col">{t('usage.col.model')}</th>
              <th scope="col">{t('usage.col.purpose')}</th>
              <th scope="col" className="num">
                {t('usage.total.calls')}
              </th>
              <th scope="col" className="num">
                {t('usage.total.failures')}
              </th>
              <th scope="col" className="num">
                {t('usage.total.tokens')}
              </th>
              <th scope="col" className="num">
                {t('usage.total.cost')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.model}-${r.purpose}`}>
                <td>
                  <code>{r.model}</code>
                </td>
                <td>
                  <span className={`usage-swatch is-${r.purpose}`} aria-hidden="true" />
                  {t(`usage.purpose.${r.purpose}`)}
                </td>
                <td className="num">{format(r.calls)}</td>
                <td className="num">{format(r.failures)}</td>
                <td className="num">{format(r.tokens)}</td>
                <td className="num">{money(r.cost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function moneyFormat(locale: string, currency: string) {
  try {
    const f = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 4 });
    return (n: number) => f.format(n);
  } catch {
    const f = new Intl.NumberFormat(locale, { maximumFractionDigits: 4 });
    return (n: number) => `${f.format(n)} ${currency}`;
  }
}
