/**
 * Event times to the millisecond: an auditor must tell 23:59:59.999 from the midnight after it, and the
 * locale's medium style stops at seconds.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The zone the screens' times are shown in, named beside them (the CLI and exports use UTC). */
export const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';

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

const zoneFormat = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' });

/**
 * "2026-11-22 23:59:59.999 UTC": the table's time with the zone named (the locale's short name for it, which
 * can change with daylight saving). The same instant reads the same in the table and in the detail panel.
 */
export function formatPreciseDateTime(ms: number): string {
  const table = formatTableTime(ms);
  if (table === '—') return table;
  const zone = zoneFormat.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value;
  return zone ? `${table} ${zone}` : table;
}
