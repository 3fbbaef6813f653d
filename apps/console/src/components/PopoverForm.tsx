import type { FormEvent, ReactNode } from 'react';

interface Props {
  /** Extra class beside `popover` (sizing per form). */
  className: string;
  /** Prefix of the ids inside the form (from useId); the title is `<id>-title`. */
  id: string;
  title: ReactNode;
  onSubmit(e: FormEvent): void;
  /** Esc (and the form's Cancel) closes it without doing anything. */
  onClose(): void;
  testId: string;
  children: ReactNode;
}

/** The small forms that open beside a conversation's actions (hand off, transfer, snooze, create ticket). */
export function PopoverForm({ className, id, title, onSubmit, onClose, testId, children }: Props) {
  return (
    <form
      className={`popover ${className}`}
      aria-labelledby={`${id}-title`}
      onSubmit={onSubmit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
      data-testid={testId}
    >
      <h3 id={`${id}-title`} className="popover-title">
        {title}
      </h3>
      {children}
    </form>
  );
}
