import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n';

/** A labelled form field: the label (with a required mark), the control, a hint, and its problems. */
export function Field(props: {
  id: string;
  label: string;
  required?: boolean;
  messages: readonly string[];
  hint?: string;
  className?: string;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <div className={`kb-field${props.messages.length ? ' is-invalid' : ''}${props.className ? ` ${props.className}` : ''}`}>
      <label htmlFor={props.id}>
        {props.label}
        {props.required && (
          <span className="kb-required" title={t('kb.required')}>
            *
          </span>
        )}
      </label>
      {props.children}
      {props.hint && (
        <span className="field-hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
      <FieldMessages id={`${props.id}-msg`} messages={props.messages} />
    </div>
  );
}

export function FieldMessages({ id, messages }: { id?: string; messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <p className="field-error" id={id}>
      {messages.join(' · ')}
    </p>
  );
}
