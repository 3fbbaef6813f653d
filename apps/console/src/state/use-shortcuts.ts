import { useEffect, useRef } from 'react';
import { type ShortcutAction, shortcutFor } from '../lib/shortcuts';

/**
 * Calls `handle` for the inbox's keyboard shortcuts (lib/shortcuts.ts), pressed anywhere outside a
 * text field. `handle` answers whether it acted; only then is the key's default (typing "/" into
 * the page's find bar, say) prevented. The latest `handle` is used without re-registering.
 */
export function useShortcuts(handle: (action: ShortcutAction) => boolean) {
  const ref = useRef(handle);
  ref.current = handle;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const action = shortcutFor(e);
      if (action && ref.current(action)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
