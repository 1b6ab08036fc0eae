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
