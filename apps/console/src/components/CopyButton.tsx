import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/i18n';

/**
 * Copies a text to the clipboard and says so for two seconds. `text` may be a function that fetches
 * it first (a secret read on demand). When the browser refuses the clipboard, the button says to copy
 * by hand and `onRefused` can select the text for it.
 */
export function CopyButton(props: {
  text: string | (() => Promise<string | null>);
  label?: string;
  disabled?: boolean;
  className?: string;
  testId?: string;
  onRefused?: () => void;
}) {
  const t = useT();
  const [state, setState] = useState<'idle' | 'copied' | 'refused'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);

  const copy = async () => {
    const text = typeof props.text === 'string' ? props.text : await props.text();
    if (text === null) return;
    let next: 'copied' | 'refused' = 'copied';
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      next = 'refused';
      props.onRefused?.();
    }
    setState(next);
    clearTimeout(timer.current ?? undefined);
    timer.current = setTimeout(() => setState('idle'), next === 'copied' ? 2000 : 5000);
  };

  return (
    <button
      type="button"
      className={props.className ?? 'btn btn-small'}
      onClick={() => void copy()}
      disabled={props.disabled}
      aria-live="polite"
      data-testid={props.testId}
    >
      {state === 'copied' ? t('copy.copied') : state === 'refused' ? t('copy.refused') : (props.label ?? t('copy.copy'))}
    </button>
  );
}
