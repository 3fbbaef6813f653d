import type { Conversation, HandoffContext } from '@kefu/protocol';
import { type CSSProperties, useEffect, useId, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { formatFull, formatPercent, formatScore, formatTimestamp } from '../lib/format';
import { describeTrigger, formatWaiting, slotText, waitedMs, waitingLevel } from '../lib/handoff';
import { LanguageBadge } from './Badges';

const MAX_MESSAGES = 5;

/**
 * The context packet an agent reads before answering: why the conversation came to people and who
 * sent it, the note, what the customer wants (summary or their last messages), intents with their
 * confidence, the mood, what the bot already tried and from which entries, what a flow collected,
 * and how long the customer has been waiting. Open while people have the conversation; a one-line
 * summary otherwise, which opens on a click.
 */
export function HandoffCard({ conversation: c }: { conversation: Conversation }) {
  const { t, has, locale } = useI18n();
  const h = c.handoff;
  const withPeople = c.status === 'queued' || c.status === 'assigned';
  const [open, setOpen] = useState(() => withPeople && !isPhone());
  const bodyId = useId();

  // A conversation handed off while it is open unfolds the card; one handed back folds it.
  useEffect(() => setOpen(withPeople && !isPhone()), [withPeople]);

  if (!h) return null;
  const trigger = describeTrigger(h, t, has);
  return (
    <section className={`handoff-card${open ? ' is-open' : ''}`} aria-labelledby={`${bodyId}-title`} data-testid="handoff-card" data-trigger={h.trigger}>
      <header className="handoff-head">
        <button type="button" className="handoff-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen((o) => !o)}>
          <svg className="handoff-chevron" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
            <path d="M4 2.5 7.5 6 4 9.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <span id={`${bodyId}-title`} className="handoff-title">
            {t('handoffCard.title')}
          </span>
          <span className="sr-only">{open ? t('handoffCard.toggleHide') : t('handoffCard.toggleShow')}</span>
        </button>
        <p className="handoff-trigger" data-testid="handoff-trigger">
          <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
            <path d="M3 11V1.5M3 2h6l-1.5 2.25L9 6.5H3" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
          </svg>
          <span>{trigger.text}</span>
          {!trigger.text.includes(trigger.code) && <code className="handoff-code">{trigger.code}</code>}
        </p>
        <span className="handoff-by">
          {t(`handoffCard.by.${h.by}`)} ·{' '}
          <time dateTime={h.at} title={formatFull(h.at, locale)}>
            {formatTimestamp(h.at, locale)}
          </time>
        </span>
        {withPeople && c.queuedAt && <WaitingClock since={c.queuedAt} assigned={c.status === 'assigned'} />}
      </header>
      {open && (
        <div className="handoff-body" id={bodyId}>
          {h.note && (
            <p className="handoff-note">
              <strong>{t('handoffCard.note')}</strong> {h.note}
            </p>
          )}
          <div className="handoff-grid">
            <CustomerBlock h={h} />
            <IntentsBlock intents={h.intents} />
            <MoodBlock sentiment={h.sentiment} />
          </div>
          <TriedBlock tried={h.tried} />
          {h.flow && <FlowBlock flow={h.flow} />}
        </div>
      )}
    </section>
  );
}

/** The wait since the conversation joined the queue, ticking every second (only this clock re-renders). */
function WaitingClock({ since, assigned }: { since: string; assigned: boolean }) {
  const { t, locale } = useI18n();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const ms = waitedMs(since, now);
  if (ms === null) return null;
  const time = formatWaiting(ms, locale);
  return (
    <span className={`handoff-wait wait-${assigned ? 'ok' : waitingLevel(ms)}`} data-testid="handoff-waiting" title={formatFull(since, locale)}>
      <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
        <circle cx="6" cy="6" r="4.6" fill="none" stroke="currentColor" strokeWidth="1.3" />
        <path d="M6 3.4V6l1.8 1.2" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
      </svg>
      {assigned ? t('handoffCard.withPeople', { time }) : t('handoffCard.waiting', { time })}
    </span>
  );
}

function CustomerBlock({ h }: { h: HandoffContext }) {
  const { t } = useI18n();
  const messages = h.customerMessages.slice(-MAX_MESSAGES);
  return (
    <div className="handoff-block handoff-customer">
      {h.summary && (
        <>
          <h3 className="handoff-block-title">{t('handoffCard.summary')}</h3>
          <p className="handoff-summary">{h.summary}</p>
        </>
      )}
      {messages.length > 0 && (
        <>
          <h3 className="handoff-block-title">
            {t('handoffCard.customerSaid')}
            <LanguageBadge language={h.language} compact />
          </h3>
          <ol className="handoff-said" data-testid="handoff-customer-messages">
            {messages.map((m, i) => (
              // The same words can come twice; their place in the list tells them apart.
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed snapshot, never reordered
              <li key={i}>{m}</li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function IntentsBlock({ intents }: { intents: HandoffContext['intents'] }) {
  const { t, locale } = useI18n();
  return (
    <div className="handoff-block">
      <h3 className="handoff-block-title">{t('handoffCard.intents')}</h3>
      {intents.length === 0 ? (
        <p className="muted small">{t('handoffCard.noIntents')}</p>
      ) : (
        <ul className="handoff-bars">
          {intents.map((i) => (
            <li key={i.name} className="handoff-bar-row">
              <span className="handoff-bar-name" title={i.name}>
                {i.name}
              </span>
              <span className="handoff-bar-track" aria-hidden="true">
                <span className="handoff-bar" style={{ width: pct(i.probability) }} />
              </span>
              <span className="handoff-bar-value">{formatPercent(i.probability, locale)}</span>
              <meter className="sr-only" min={0} max={1} value={i.probability} aria-label={i.name} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function MoodBlock({ sentiment: s }: { sentiment: HandoffContext['sentiment'] }) {
  const { t, has, locale } = useI18n();
  if (!s) {
    return (
      <div className="handoff-block">
        <h3 className="handoff-block-title">{t('mood.label')}</h3>
        <p className="muted small">{t('handoffCard.noMood')}</p>
      </div>
    );
  }
  const labelKey = `nlu.sentiment.${s.label}`;
  const emotionKey = s.primary ? `nlu.emotion.${s.primary}` : '';
  return (
    <div className="handoff-block handoff-mood">
      <h3 className="handoff-block-title">
        {t('mood.label')}
        <span className={`mood-chip mood-${s.label}`}>
          {has(labelKey) ? t(labelKey) : s.label} {formatScore(s.polarity, locale)}
        </span>
      </h3>
      <dl className="handoff-facts">
        {s.primary && (
          <div>
            <dt>{t('handoffCard.primary')}</dt>
            <dd>{has(emotionKey) ? t(emotionKey) : s.primary}</dd>
          </div>
        )}
        <div>
          <dt>{t('handoffCard.streak')}</dt>
          <dd className={s.negativeStreak > 1 ? 'is-warn' : ''}>{s.negativeStreak}</dd>
        </div>
        <div>
          <dt>{t('handoffCard.average')}</dt>
          <dd>
            <Polarity value={s.average} />
          </dd>
        </div>
        <div>
          <dt>{t('handoffCard.angerPeak')}</dt>
          <dd className="handoff-anger">
            <span className="handoff-bar-track" aria-hidden="true">
              <span className="handoff-bar is-anger" style={{ width: pct(s.angerPeak) }} />
            </span>
            {formatScore(s.angerPeak, locale)}
          </dd>
        </div>
      </dl>
    </div>
  );
}

/** Polarity from −1 to 1 as a marker on a red-to-green scale, with the number. */
function Polarity({ value }: { value: number }) {
  const { locale } = useI18n();
  const x = Math.max(-1, Math.min(1, value));
  return (
    <span className="polarity">
      <span className="polarity-scale" aria-hidden="true">
        <span className="polarity-mark" style={{ left: `${((x + 1) / 2) * 100}%` } as CSSProperties} />
      </span>
      {formatScore(value, locale)}
    </span>
  );
}

function TriedBlock({ tried }: { tried: HandoffContext['tried'] }) {
  const { t, has, locale } = useI18n();
  return (
    <div className="handoff-block handoff-tried">
      <h3 className="handoff-block-title">{t('handoffCard.tried')}</h3>
      {tried.length === 0 ? (
        <p className="muted small">{t('handoffCard.triedNone')}</p>
      ) : (
        <ol className="tried-list" data-testid="handoff-tried">
          {tried.map((r, i) => {
            const reasonKey = r.reason ? `reason.${r.reason}` : '';
            const decisionKey = `decision.${r.kind}`;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed snapshot, never reordered
              <li key={i} className="tried-item">
                <div className="tried-head">
                  <span className={`decision-chip decision-${r.kind}`}>{has(decisionKey) ? t(decisionKey) : r.kind}</span>
                  {r.reason && <span className="tried-reason">{has(reasonKey) ? t(reasonKey) : r.reason}</span>}
                  {r.confidence !== null && <span className="tried-confidence">{formatScore(r.confidence, locale)}</span>}
                </div>
                <p className="tried-text">{r.text}</p>
                {r.sources.length > 0 ? (
                  <ul className="tried-sources" aria-label={t('message.sources')}>
                    {r.sources.map((s) => (
                      <li key={s.id} className="source-chip" title={s.title}>
                        {s.title}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="muted small">{t('handoffCard.noSources')}</span>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}

function FlowBlock({ flow }: { flow: NonNullable<HandoffContext['flow']> }) {
  const { t } = useI18n();
  const slots = Object.entries(flow.slots);
  return (
    <div className="handoff-block handoff-flow" data-testid="handoff-flow">
      <h3 className="handoff-block-title">
        {t('handoffCard.flow')} <code>{flow.key}</code>
        <span className="muted">{t('handoffCard.flowStep', { step: flow.step })}</span>
      </h3>
      {slots.length === 0 ? (
        <p className="muted small">{t('handoffCard.noSlots')}</p>
      ) : (
        <dl className="slot-list">
          {slots.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{slotText(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

/** On a phone the open card would leave no room for the conversation; it starts folded there. */
const isPhone = () => typeof matchMedia === 'function' && matchMedia('(max-width: 640px)').matches;

const pct = (n: number) => `${Math.min(100, Math.max(0, n * 100))}%`;
