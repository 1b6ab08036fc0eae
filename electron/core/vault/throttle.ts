/**
 * Failed-unlock throttling: the first FREE_ATTEMPTS consecutive failures cost nothing; after that each
 * attempt must wait BASE_DELAY_MS doubling per further failure, capped at MAX_DELAY_MS, counted from the
 * last failure. The counter and time live in vault.json, so restarting the app does not reset them.
 */
export const FREE_ATTEMPTS = 5;
export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 15 * 60_000;

export function throttleDelayMs(consecutiveFailures: number): number {
  if (consecutiveFailures < FREE_ATTEMPTS) return 0;
  const exponent = Math.min(consecutiveFailures - FREE_ATTEMPTS, 30);
  return Math.min(BASE_DELAY_MS * 2 ** exponent, MAX_DELAY_MS);
}

/** Milliseconds until the next attempt is allowed (0 = now). */
export function retryAfterMs(consecutiveFailures: number, lastFailureAt: number | null, now: number): number {
  if (lastFailureAt === null) return 0;
  const delay = throttleDelayMs(consecutiveFailures);
  // A last-failure time in the future (clock moved back) still waits at most one full delay.
  const elapsed = Math.max(0, now - lastFailureAt);
  return Math.max(0, Math.min(delay, delay - elapsed));
}
