import { describe, expect, it } from 'vitest';
import { parseClass, parseFilter, parseTime } from '../../../electron/cli/parse-filters';

describe('CLI filter flags', () => {
  it('refuses a time of day without a zone, which Date.parse reads in the computer\'s zone', () => {
    // Outside probe (probe9): --since 2026-06-01T00:00:00 gave 127 events under UTC, 13 in New York, 202 in Kolkata.
    expect(() => parseTime('since', '2026-06-01T00:00:00')).toThrow(/--since "2026-06-01T00:00:00" has no time zone: add Z for UTC \(2026-06-01T00:00:00Z\)/);
    expect(() => parseTime('until', '2026-06-01 08:30')).toThrow(/has no time zone/);
    expect(parseTime('since', '2026-06-01T00:00:00Z')).toBe(Date.UTC(2026, 5, 1));
    expect(parseTime('since', '2026-06-01T02:00:00+02:00')).toBe(Date.UTC(2026, 5, 1));
    // A date alone is UTC midnight wherever it runs (ECMAScript reads date-only forms as UTC).
    expect(parseTime('since', '2026-06-01')).toBe(Date.UTC(2026, 5, 1));
    expect(parseTime('since', '24h', 1_000_000_000_000)).toBe(1_000_000_000_000 - 86_400_000);
  });

  it('takes 0 as the epoch, and says why a shorter number is refused (probe10: "not a time", though epoch ms was offered)', () => {
    expect(parseTime('since', '0')).toBe(0);
    expect(parseTime('since', '99999999999')).toBe(99_999_999_999);
    expect(() => parseTime('since', '1700000000')).toThrow(/--since "1700000000" is too short for epoch milliseconds .*if it is epoch seconds, add three zeros \(1700000000000\)/);
    expect(() => parseTime('until', '1')).toThrow(/too short for epoch milliseconds/);
  });

  it('takes --hide-own, and class 0 by its name', () => {
    expect(parseFilter({ hideOwn: true, status: 'failure' })).toEqual({ hideOwn: true, statusId: 2 });
    expect(parseFilter({})).toEqual({});
    expect(parseClass('Base Event')).toBe(0);
    expect(parseClass('authentication')).toBe(3002);
  });
});
