/**
 * Event times to the millisecond: an auditor must tell 23:59:59.999 from the midnight after it, and the
 * locale's medium style stops at seconds.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * "2026-11-22 23:59:59.999" in the local zone (the one the explorer names above the table): fixed width
 * in every locale, so the table's time column fits it whole, and it reads like the logs it came from.
 */
export function formatTableTime(ms: number): string {
  const d = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime())) return '—';
  const year = d.getFullYear();
  const y = year >= 0 && year <= 9999 ? pad(year, 4) : String(year);
  return `${y}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

const preciseFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  timeZoneName: 'short',
});

/** "Nov 22, 2026, 11:59:59.999 PM UTC": the operator's locale, with milliseconds and the zone named. */
export function formatPreciseDateTime(ms: number): string {
  return Number.isFinite(ms) && !Number.isNaN(new Date(ms).getTime()) ? preciseFormat.format(new Date(ms)) : '—';
}
