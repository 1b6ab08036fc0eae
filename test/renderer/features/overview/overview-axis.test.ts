import { describe, expect, it } from 'vitest';
import { axisCount, tickFormatFor } from '../../../../renderer/src/features/overview/OutcomeChart';

const at = (iso: string) => Date.parse(iso);

describe('Overview time axis labels', () => {
  it('shows the date as well as the time when hourly buckets span several days', () => {
    const f = tickFormatFor({ bucketMs: 3_600_000, series: [{ t: at('2026-11-14T00:00Z'), success: 1, failure: 0, other: 0 }, { t: at('2026-11-21T00:00Z'), success: 1, failure: 0, other: 0 }] });
    expect(f.resolvedOptions().day).toBeDefined();
    expect(f.resolvedOptions().hour).toBeDefined();
  });
  it('shows only the time within one day and only the date for daily buckets', () => {
    const oneDay = tickFormatFor({ bucketMs: 60_000, series: [{ t: at('2026-11-14T00:00Z'), success: 1, failure: 0, other: 0 }, { t: at('2026-11-14T10:00Z'), success: 1, failure: 0, other: 0 }] });
    expect(oneDay.resolvedOptions().day).toBeUndefined();
    const daily = tickFormatFor({ bucketMs: 86_400_000, series: [] });
    expect(daily.resolvedOptions().hour).toBeUndefined();
  });
  it('shows the year once the series spans more than one calendar year', () => {
    const f = tickFormatFor({ bucketMs: 7 * 86_400_000, series: [{ t: at('2019-06-01T00:00Z'), success: 1, failure: 0, other: 0 }, { t: at('2026-11-01T00:00Z'), success: 1, failure: 0, other: 0 }] });
    expect(f.resolvedOptions().year).toBeDefined();
  });
  it('writes axis counts compactly, so a seven-digit tick cannot be clipped into a smaller number', () => {
    expect(axisCount(1_200_000)).toMatch(/^1\.2\s?M$/);
    expect(axisCount(900_000)).toMatch(/^900\s?K$/);
    expect(axisCount(12)).toBe('12');
  });
});
