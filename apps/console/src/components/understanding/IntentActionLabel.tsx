import type { IntentAction } from '@kefu/protocol';
import { useT } from '../../i18n/i18n';
import { followLink, knowledgeHref } from '../../state/route';

/** What a recognised intent leads to, as a small coloured label; an FAQ answer links to its entry. */
export function IntentActionLabel({ action, faqTitle }: { action: IntentAction | null; faqTitle?: string | null | undefined }) {
  const t = useT();
  if (!action) return <span className="intent-action is-none">{t('nlu.actionShort.none')}</span>;
  if (action.kind === 'faq') {
    return (
      <span className="intent-action is-faq" data-action="faq">
        <span className="intent-action-kind">{t('nlu.actionShort.faq')}</span>
        <a href={knowledgeHref('faq', { faqId: action.faqId })} onClick={followLink} className="intent-action-faq">
          {faqTitle ?? (faqTitle === null ? t('nlu.action.faqMissing') : t('nlu.action.faqEntry'))}
        </a>
      </span>
    );
  }
  if (action.kind === 'tag') {
    return (
      <span className="intent-action is-tag" data-action="tag">
        <span className="intent-action-kind">{t('nlu.actionShort.tag')}</span>
        <span className="tag-chip">{action.tag}</span>
      </span>
    );
  }
  if (action.kind === 'flow') {
    return (
      <span className="intent-action is-flow" data-action="flow">
        <span className="intent-action-kind">{t('nlu.actionShort.flow')}</span>
        <code>{action.flowId}</code>
      </span>
    );
  }
  return (
    <span className="intent-action is-handoff" data-action="handoff">
      <span className="intent-action-kind">{t('nlu.actionShort.handoff')}</span>
    </span>
  );
}
