import type { ComponentType } from 'react';
import { useT } from '../../i18n/i18n';
import { KbPageHead } from '../knowledge/KbPageHead';
import { ChatwootSettings } from './ChatwootSettings';
import { WebhooksSettings } from './WebhooksSettings';
import { WidgetSettings } from './WidgetSettings';

/** One section of the channels tab; each channel or integration (widget, webhooks, Chatwoot…) adds one line below. */
interface ChannelSection {
  id: string;
  Component: ComponentType<{ canEdit: boolean }>;
}

/** Chatwoot's settings are for admins only (its token is write-only, its webhook URL a secret). */
const Chatwoot = ({ canEdit }: { canEdit: boolean }) => (canEdit ? <ChatwootSettings /> : null);

const SECTIONS: readonly ChannelSection[] = [
  { id: 'widget', Component: WidgetSettings },
  { id: 'chatwoot', Component: Chatwoot },
  { id: 'webhooks', Component: WebhooksSettings },
];

/** The channels tab: where customers meet kefu (the web widget), and how other systems talk to kefu and hear from it. */
export function ChannelsSettings({ canEdit }: { canEdit: boolean }) {
  const t = useT();
  return (
    <section className="kb-page channels-page" aria-labelledby="channels-title" data-testid="channels-settings">
      <KbPageHead id="channels-title" title={t('channels.title')} subtitle={t('channels.subtitle')} />
      {SECTIONS.map(({ id, Component }) => (
        <Component key={id} canEdit={canEdit} />
      ))}
    </section>
  );
}
