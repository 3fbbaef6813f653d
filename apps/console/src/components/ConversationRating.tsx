import type { Conversation } from '@kefu/protocol';
import { useI18n } from '../i18n/i18n';
import { formatFull } from '../lib/format';

type Rating = NonNullable<Conversation['rating']>;

/** Five stars, the given number of them filled; the words are for screen readers and the title. */
function Stars({ score }: { score: number }) {
  return (
    <span className="rating-stars" aria-hidden="true">
      {[1, 2, 3, 4, 5].map((n) => (
        <span key={n} className={n <= score ? 'is-on' : undefined}>
          ★
        </span>
      ))}
    </span>
  );
}

/**
 * The customer's satisfaction rating of the conversation (CSAT) in its header: stars, "4/5", when it
 * was given, and the customer's comment. Nothing until they rated it.
 */
export function ConversationRating({ rating }: { rating: Conversation['rating'] }) {
  const { t, locale } = useI18n();
  if (!rating) return null;
  return (
    <p className={`conv-rating score-${rating.score}`} data-testid="conversation-rating" data-score={rating.score}>
      <span className="conv-rating-label">{t('rating.label')}</span>
      <Stars score={rating.score} />
      <strong className="conv-rating-score" title={formatFull(rating.ratedAt, locale)}>
        <span aria-hidden="true">{t('rating.score', { score: rating.score })}</span>
        <span className="sr-only">{t('rating.scoreLong', { score: rating.score })}</span>
      </strong>
      {rating.comment && <q className="conv-rating-comment">{rating.comment}</q>}
    </p>
  );
}

/** A compact mark for a rated conversation in the list: ★ and the score. */
export function RatingMark({ rating }: { rating: Rating | null | undefined }) {
  const t = useI18n().t;
  if (!rating) return null;
  return (
    <span className={`conv-item-rating score-${rating.score}`} title={t('rating.scoreLong', { score: rating.score })} data-testid="conversation-item-rating">
      <span aria-hidden="true">★{rating.score}</span>
      <span className="sr-only">{t('rating.scoreLong', { score: rating.score })}</span>
    </span>
  );
}
