/** Display formatting in the operator's locale. Pure functions: easy to test, no React. */

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const numberFormat = new Intl.NumberFormat();

export const formatNumber = (n: number): string => numberFormat.format(n);

export function formatDateTime(ms: number): string {
  return Number.isFinite(ms) ? dateTimeFormat.format(new Date(ms)) : '—';
}

export function formatDate(ms: number): string {
  return Number.isFinite(ms) ? dateFormat.format(new Date(ms)) : '—';
}

export function formatTime(ms: number): string {
  return Number.isFinite(ms) ? timeFormat.format(new Date(ms)) : '—';
}

export function toIso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** "1 h 04 min", "3 min 05 s", "12 s". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
  return `${s} s`;
}

/** Whole days between an ISO time and now, as words. */
export function formatAge(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '—';
  const days = Math.floor((now - then) / 86_400_000);
  if (days <= 0) return 'created today';
  if (days === 1) return '1 day old';
  return `${formatNumber(days)} days old`;
}

// Hidden characters and look-alike letters are marked the same way in the app and the CLI.
export { revealHidden, revealHiddenLine } from '../../../shared/domain/hidden-characters';
