/** Time windows the Overview offers; `ms` null means everything in the vault. */
export const OVERVIEW_RANGES = [
  { id: 'all', label: 'All time', ms: null },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
] as const;
export type OverviewRangeId = (typeof OVERVIEW_RANGES)[number]['id'];

/**
 * A preset's period, fixed when it is chosen: it ends then, so the charts and the events they link to
 * are one set (an open end let the explorer list events recorded after the charts were drawn).
 */
export function rangeRequest(id: OverviewRangeId, now: number = Date.now()): { since?: number; until?: number } {
  const range = OVERVIEW_RANGES.find((r) => r.id === id);
  return range?.ms ? { since: now - range.ms, until: now + 1 } : {};
}
