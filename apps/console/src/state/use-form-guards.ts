import { type KeyboardEvent, type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/i18n';
import { setNavigationGuard } from './route';

/**
 * While a form has unsaved changes, leaving it (in-app navigation, reload, closing the tab) asks first.
 * `onDirtyChange` hears every change of `dirty`.
 */
export function useUnsavedChangesGuard(dirty: boolean, onDirtyChange: (dirty: boolean) => void) {
  const t = useT();
  useEffect(() => {
    onDirtyChange(dirty);
    if (!dirty) return;
    setNavigationGuard(() => window.confirm(t('kb.editor.leaveConfirm')));
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      setNavigationGuard(null);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [dirty, onDirtyChange, t]);
}

/**
 * Returns a function that, once the next render has marked the fields, moves focus to the first
 * field with `aria-invalid="true"` in the form: after a failed save, the person lands where they are needed.
 */
export function useFocusFirstInvalid(formRef: RefObject<HTMLFormElement | null>): () => void {
  const focusTick = useRef(0);
  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    if (focusRequest === focusTick.current) return;
    focusTick.current = focusRequest;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequest, formRef]);
  return useCallback(() => setFocusRequest((n) => n + 1), []);
}

/**
 * The form's key handling: Ctrl/⌘+S saves; Enter in a one-line box does not submit the whole form by
 * accident (the browser's implicit submit), unless an input method is composing.
 */
export function saveShortcutHandler(save: () => unknown) {
  return (e: KeyboardEvent<HTMLFormElement>) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
      e.preventDefault();
      void save();
      return;
    }
    if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type !== 'submit' && !e.nativeEvent.isComposing) e.preventDefault();
  };
}
