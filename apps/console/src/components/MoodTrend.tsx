import type { Message } from '@kefu/protocol';
import { useI18n } from '../i18n/i18n';
import { formatScore } from '../lib/format';
import { moodOf } from '../lib/mood';

const W = 84;
const H = 22;

/**
 * The customer's mood across the conversation, drawn: one dot per customer message (red negative,
 * grey neutral, green positive) on a line around the neutral middle, with the direction in words.
 */
export function MoodTrend({ messages }: { messages: readonly Message[] }) {
  const { t, locale } = useI18n();
  const mood = moodOf(messages);
  if (!mood) return null;
  const n = mood.points.length;
  const x = (i: number) => (n === 1 ? W / 2 : 4 + (i * (W - 8)) / (n - 1));
  const y = (p: number) => H / 2 - p * (H / 2 - 3);
  const words = [t(`mood.${mood.direction}`), mood.negativeStreak > 1 ? t('mood.streak', { count: mood.negativeStreak }) : null].filter(Boolean).join(' · ');
  const last = mood.points.at(-1)!;
  const title = `${t('mood.label')}: ${words} (${t(`nlu.sentiment.${last.label}`)} ${formatScore(last.polarity, locale)})`;
  return (
    <span className={`mood mood-${mood.direction}`} data-testid="mood-trend" data-direction={mood.direction} title={title}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={title}>
        <line x1="0" x2={W} y1={H / 2} y2={H / 2} className="mood-axis" />
        {n > 1 && <polyline points={mood.points.map((p, i) => `${x(i)},${y(p.polarity)}`).join(' ')} className="mood-line" />}
        {mood.points.map((p, i) => (
          <circle key={p.messageId} cx={x(i)} cy={y(p.polarity)} r={i === n - 1 ? 2.8 : 2} className={`mood-dot mood-${p.label}`} />
        ))}
      </svg>
      <span className="mood-words">{words}</span>
    </span>
  );
}
