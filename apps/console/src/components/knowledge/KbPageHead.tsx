import type { ReactNode } from 'react';

/** The heading of a knowledge page: title, one line of explanation, and the page's actions on the right. */
export function KbPageHead({ id, title, subtitle, children }: { id: string; title: string; subtitle: string; children?: ReactNode }) {
  return (
    <div className="kb-page-head">
      <div>
        <h1 id={id} className="kb-title">
          {title}
        </h1>
        <p className="muted">{subtitle}</p>
      </div>
      {children}
    </div>
  );
}
