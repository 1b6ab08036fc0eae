import { useCallback, useState } from 'react';

/**
 * A yes/no choice kept for this tab's session (sessionStorage): it survives moving between pages and reloads.
 * `initial` (or the function giving it) applies until the first choice.
 */
export function useSessionFlag(key: string, initial: boolean | (() => boolean)): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState<boolean>(() => {
    const fallback = typeof initial === 'function' ? initial() : initial;
    try {
      const stored = window.sessionStorage.getItem(key);
      return stored === null ? fallback : stored === 'true';
    } catch {
      return fallback;
    }
  });
  const set = useCallback(
    (next: boolean) => {
      setValue(next);
      try {
        window.sessionStorage.setItem(key, String(next));
      } catch {
        // Storage can be disabled: the choice then lasts while the page is open.
      }
    },
    [key],
  );
  return [value, set];
}
