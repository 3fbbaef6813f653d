import type { ComponentType } from 'react';
import { ChatwootSettings } from './ChatwootSettings';
import { WebhooksSettings } from './WebhooksSettings';

/** One section of the channels tab; each integration (webhooks, Chatwoot…) adds one line below. */
interface ChannelSection {
  id: string;
  Component: ComponentType<{ canEdit: boolean }>;
}

/** Chatwoot's settings are for admins only (its token is write-only, its webhook URL a secret). */
const Chatwoot = ({ canEdit }: { canEdit: boolean }) => (canEdit ? <ChatwootSettings /> : null);

const SECTIONS: readonly ChannelSection[] = [
  { id: 'chatwoot', Component: Chatwoot },
  { id: 'webhooks', Component: WebhooksSettings },
];

/** The channels tab: how other systems talk to kefu and hear from it. */
export function ChannelsSettings({ canEdit }: { canEdit: boolean }) {
  return (
    <div className="channels-settings" data-testid="channels-settings">
      {SECTIONS.map(({ id, Component }) => (
        <Component key={id} canEdit={canEdit} />
      ))}
    </div>
  );
}
