import type { FaqEntry } from '@kefu/protocol';
import { useI18n } from '../../i18n/i18n';
import { formatFull } from '../../lib/format';
import { RichText } from '../RichText';
import { faqLanguageLabel } from './KnowledgeBadges';

/** The entry for people who may read but not edit it (viewers, agents). */
export function FaqReadView({ entry: e }: { entry: FaqEntry }) {
  const { t, locale } = useI18n();
  const when = (iso: string | null) => (iso ? formatFull(iso, locale) : t('kb.diff.unset'));
  return (
    <div className="faq-read" data-testid="faq-read">
      <p className="notice notice-info">{t('kb.readOnly')}</p>
      <section className="kb-card">
        <h2 className="kb-card-title">{t('kb.editor.questions')}</h2>
        <p className="faq-read-question">{e.question}</p>
        {e.similar.length > 0 && (
          <>
            <h3 className="kb-subtitle">{t('kb.field.similar')}</h3>
            <ul className="faq-read-similar">
              {e.similar.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section className="kb-card">
        <h2 className="kb-card-title">{t('kb.field.answer')}</h2>
        <div className="answer-bubble">
          <RichText text={e.answer} />
        </div>
      </section>
      <section className="kb-card">
        <h2 className="kb-card-title">{t('kb.editor.settings')}</h2>
        <dl className="faq-read-facts">
          <div>
            <dt>{t('kb.field.status')}</dt>
            <dd>{t(`kb.status.${e.status}`)}</dd>
          </div>
          <div>
            <dt>{t('kb.field.audience')}</dt>
            <dd>{t(`kb.audience.${e.audience}`)}</dd>
          </div>
          <div>
            <dt>{t('kb.field.language')}</dt>
            <dd>{faqLanguageLabel(e.language, t) ?? t('kb.diff.unset')}</dd>
          </div>
          <div>
            <dt>{t('kb.field.category')}</dt>
            <dd>{e.category ?? t('kb.diff.unset')}</dd>
          </div>
          <div>
            <dt>{t('kb.field.tags')}</dt>
            <dd>
              {e.tags.length ? (
                <span className="tag-chips">
                  {e.tags.map((tag) => (
                    <span key={tag} className="tag-chip">
                      {tag}
                    </span>
                  ))}
                </span>
              ) : (
                t('kb.diff.unset')
              )}
            </dd>
          </div>
          <div>
            <dt>{t('kb.field.validFrom')}</dt>
            <dd>{when(e.validFrom)}</dd>
          </div>
          <div>
            <dt>{t('kb.field.validUntil')}</dt>
            <dd>{when(e.validUntil)}</dd>
          </div>
          {e.externalId && (
            <div>
              <dt>{t('kb.field.externalId')}</dt>
              <dd>
                <code>{e.externalId}</code>
              </dd>
            </div>
          )}
        </dl>
      </section>
      {e.variants.length > 0 && (
        <section className="kb-card">
          <h2 className="kb-card-title">{t('kb.field.variants')}</h2>
          <ul className="faq-read-variants">
            {e.variants.map((v, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: variants have no id
              <li key={i}>
                <span className="faq-read-target">{[faqLanguageLabel(v.language, t), v.channel].filter(Boolean).join(' · ')}</span>
                <RichText text={v.answer} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
