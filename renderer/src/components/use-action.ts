import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '../api';

export interface ActionState {
  busy: boolean;
  error: string | null;
  done: string | null;
  /** Runs `work`; records its error message or the success line. Resolves true on success. */
  run(work: () => Promise<string | void>): Promise<boolean>;
  reset(): void;
}

/** Busy / error / success bookkeeping for one button or form. */
export function useAction(): ActionState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const running = useRef(false);
  const run = useCallback(async (work: () => Promise<string | void>) => {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const message = await work();
      setDone(message || null);
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  const reset = useCallback(() => {
    setError(null);
    setDone(null);
  }, []);
  return { busy, error, done, run, reset };
}
