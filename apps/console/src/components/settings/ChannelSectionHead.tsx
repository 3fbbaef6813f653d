import type { ReactNode } from 'react';

/** The heading of one channel on the channels tab (web widget, Chatwoot, webhooks): its name, what it is for, its actions. */
export function ChannelSectionHead({ id, title, subtitle, children }: { id: string; title: string; subtitle: string; children?: ReactNode }) {
  return (
    <div className="channel-section-head">
      <div>
        <h2 id={id} className="channel-section-title">
          {title}
        </h2>
        <p className="muted">{subtitle}</p>
      </div>
      {children}
    </div>
  );
}
