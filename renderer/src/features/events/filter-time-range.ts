/**
 * The instants a time filter may name, wherever it comes from (the filter bar, the address): from the
 * epoch to the end of year 9999. The contract takes any integer, but a negative time or a year the
 * date picker cannot show would filter by a value the bar cannot display or apply again.
 */
export const FIRST_FILTER_MS = Date.UTC(1970, 0, 1);
export const LAST_FILTER_MS = Date.UTC(10000, 0, 1) - 1;

export function isFilterTime(ms: number): boolean {
  return Number.isSafeInteger(ms) && ms >= FIRST_FILTER_MS && ms <= LAST_FILTER_MS;
}
