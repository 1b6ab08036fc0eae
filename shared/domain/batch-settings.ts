/**
 * Batch settings that hold a time as epoch ms (import-file.ts records them so): the app and the CLI show
 * the instant, not a 13-digit number an officer cannot read.
 */
const TIME_SETTINGS = new Set(['syslogLatest', 'timeIfMissing']);

/** The recorded setting as a UTC time ("2026-01-01 00:00:00Z"), or null when it is not a time setting. */
export function settingTimeText(name: string, value: unknown): string | null {
  if (!TIME_SETTINGS.has(name) || typeof value !== 'number' || !Number.isFinite(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().replace('T', ' ').replace(/\.000Z$/, 'Z');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * syslogYearChanges ([line, year, place in the year as ms into the leap year 2000]) in words: "line 3:
 * 2022 from 1 Jan 10:00:00". The place is a day and time of no particular year, so it is not shown as an
 * instant in 2000 (probe6: the bare numbers read as dates in 2000). Null for any other setting.
 */
export function yearChangesText(name: string, value: unknown): string | null {
  if (name !== 'syslogYearChanges' || !Array.isArray(value)) return null;
  const parts: string[] = [];
  for (const change of value) {
    if (!Array.isArray(change) || change.length !== 3 || !change.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
    const [line, year, at] = change as [number, number, number];
    const d = new Date(at);
    const time = d.toISOString().slice(11, 19);
    parts.push(`line ${line}: ${year} from ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${time}`);
  }
  return parts.length === 0 ? 'none' : parts.join('; ');
}
