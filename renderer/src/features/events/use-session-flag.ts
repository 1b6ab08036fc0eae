import { useCallback, useState } from 'react';

/** A yes/no choice kept for this tab's session (sessionStorage): it survives moving between pages and reloads. */
export function useSessionFlag(key: string, initial: boolean): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState<boolean>(() => {
    try {
      const stored = window.sessionStorage.getItem(key);
      return stored === null ? initial : stored === 'true';
    } catch {
      return initial;
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
