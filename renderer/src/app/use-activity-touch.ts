import { useEffect } from 'react';
import type { ApiClient } from '../api';

export const TOUCH_INTERVAL_MS = 60_000;

/**
 * Keeps the vault's idle timer alive while the operator works: keyboard or pointer activity calls
 * vault:touch at most once a minute. Failures are ignored here (a LOCKED answer locks the UI elsewhere).
 */
export function useActivityTouch(api: ApiClient, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    let last = Date.now();
    const onActivity = () => {
      const now = Date.now();
      if (now - last < TOUCH_INTERVAL_MS) return;
      last = now;
      api.call('vault:touch', {}).catch(() => undefined);
    };
    window.addEventListener('keydown', onActivity, { passive: true });
    window.addEventListener('pointerdown', onActivity, { passive: true });
    window.addEventListener('wheel', onActivity, { passive: true });
    return () => {
      window.removeEventListener('keydown', onActivity);
      window.removeEventListener('pointerdown', onActivity);
      window.removeEventListener('wheel', onActivity);
    };
  }, [api, enabled]);
}
