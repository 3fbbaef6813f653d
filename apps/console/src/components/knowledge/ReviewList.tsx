import { knowledgeApi } from '../../api/knowledge';
import { useI18n } from '../../i18n/i18n';
import { formatPercent } from '../../lib/format';
import { followLink, knowledgeHref } from '../../state/route';
import { useSignedIn } from '../../state/session';
import { useLoad } from '../../state/use-load';
import { ErrorNotice } from '../ErrorNotice';
import { KbPageHead } from './KbPageHead';
import { AudienceBadge, FaqStatusBadge } from './KnowledgeBadges';

/** FAQ entries the server flags for a look: rated unhelpful, never used, or past their validity. */
export function ReviewList() {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const review = useLoad((signal) => knowledgeApi.review(api, signal), [api]);
  const items = review.data?.items ?? [];

  return (
    <section className="kb-page" aria-labelledby="review-title">
      <KbPageHead id="review-title" title={t('kb.review.title')} subtitle={t('kb.review.subtitle')} />

      {review.error ? <ErrorNotice error={review.error} onDismiss={() => void review.reload()} /> : null}
      {review.loading && items.length === 0 && <p className="muted">{t('kb.loading')}</p>}
      {!review.loading && !review.error && items.length === 0 && (
        <p className="kb-empty" data-testid="review-empty">
          {t('kb.review.empty')}
        </p>
      )}
      {items.length > 0 && (
        <ul className="review-list" data-testid="review-list">
          {items.map((e) => {
            const q = e.quality;
            return (
              <li key={e.id} className="kb-card review-item" data-id={e.id}>
                <div className="review-head">
                  <a href={knowledgeHref('faq', { faqId: e.id })} onClick={followLink} className="review-question">
                    {e.question}
                  </a>
                  <span className="review-badges">
                    {q?.flags.map((f) => (
                      <span key={f} className={`badge review-flag review-flag-${f}`} title={t(`kb.review.flagHint.${f}`)}>
                        {t(`kb.review.flag.${f}`)}
                      </span>
                    ))}
                    <FaqStatusBadge status={e.status} />
                    {e.audience === 'internal' && <AudienceBadge audience="internal" />}
                  </span>
                </div>
                <dl className="review-stats">
                  <div>
                    <dt>{t('kb.review.hits')}</dt>
                    <dd>{q?.hits ?? 0}</dd>
                  </div>
                  <div>
                    <dt>{t('kb.review.helpful')}</dt>
                    <dd>{q?.helpful ?? 0}</dd>
                  </div>
                  <div>
                    <dt>{t('kb.review.notHelpful')}</dt>
                    <dd>{q?.notHelpful ?? 0}</dd>
                  </div>
                  <div>
                    <dt>{t('kb.review.score')}</dt>
                    <dd title={t('kb.review.scoreHint')}>{q?.score == null ? t('kb.review.noScore') : formatPercent(q.score, locale)}</dd>
                  </div>
                </dl>
                <a href={knowledgeHref('faq', { faqId: e.id })} onClick={followLink} className="btn btn-small">
                  {t('kb.review.open')}
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
