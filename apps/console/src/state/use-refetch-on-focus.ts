import { useEffect, useRef } from 'react';

/** Calls `refetch` when the window regains focus or the tab becomes visible again: work done elsewhere shows up. */
export function useRefetchOnFocus(refetch: () => void) {
  const fn = useRef(refetch);
  fn.current = refetch;
  useEffect(() => {
    const onFocus = () => {
      if (document.visibilityState === 'visible') fn.current();
    };
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onFocus);
    return () => {
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onFocus);
    };
  }, []);
}
