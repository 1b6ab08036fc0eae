/**
 * The time cell of a CSV row: ISO 8601 (also "2024/03/08", and "2024-03-08 09:14:22" as Entra writes it),
 * epoch seconds or milliseconds, or a spreadsheet-style "3/15/2024 9:14:22 AM" when its day and month
 * cannot be mistaken for each other. A date whose day and month could be either is refused, not guessed.
 */

import type { ParseContext } from './parse-types';
import { resolveIsoTime, resolveWallTime } from './syslog-time';
import { fixedOffsetMinutes, parseIsoTime, wallToUtcMs, type WallTime } from './time';

/** What the header says about the time column: its name, the zone the name states, date-like neighbours. */
export interface CsvTimeColumn {
  name: string;
  /** Minutes east of UTC stated by the name ("Date (UTC)", "Date (UTC+01:00)"); null when it states none. */
  zoneMinutes: number | null;
  zoneLabel: string;
  /** Set when the name states an offset no zone has ("Date (UTC+19)"): its times cannot be read in it. */
  impossibleZone?: string;
  /** Other columns whose names look like parts of a date (Month, Date, Day, Year). */
  dateParts: string[];
}

const MAX_NAME_CHARS = 64;
const DATE_PART_NAMES = new Set(['month', 'mon', 'date', 'day', 'dayofmonth', 'year', 'yr']);
// Bounded and anchored: the zone is "UTC"/"GMT" as a word, with an optional fixed offset.
const ZONE_IN_NAME = /(?:^|[^a-z])(utc|gmt)\s{0,2}([+-]\d{1,2}(?::?\d{2})?)?(?![a-z])/i;

function quoteName(name: string): string {
  return `"${name.length > MAX_NAME_CHARS ? `${name.slice(0, MAX_NAME_CHARS)}…` : name}"`;
}

/** The time column's description from the header (computed once per file). */
export function describeTimeColumn(header: string[], index: number): CsvTimeColumn {
  const name = header[index] ?? '';
  let zoneMinutes: number | null = null;
  let zoneLabel = '';
  const m = name.length <= 256 ? ZONE_IN_NAME.exec(name) : null;
  if (m) {
    const offset = m[2] ?? '';
    const padded = offset.replace(/^([+-])(\d)(?!\d)/, '$10$2');
    zoneMinutes = offset === '' ? 0 : fixedOffsetMinutes(padded);
    zoneLabel = `${(m[1] ?? 'UTC').toUpperCase()}${offset}`;
  }
  const dateParts = header.filter((h, i) => i !== index && DATE_PART_NAMES.has(h.toLowerCase().replace(/[^a-z]/g, ''))).slice(0, 4);
  // The name states a zone, but no zone has that offset: reading the times in another would be a guess.
  if (m && zoneMinutes === null) return { name, zoneMinutes, zoneLabel, impossibleZone: zoneLabel, dateParts };
  return { name, zoneMinutes, zoneLabel, dateParts };
}

export type CsvTime = { ms: number; notes: string[]; keyMs?: number } | string;

const TIME_OF_DAY = /^\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:\s?[AaPp][Mm])?$/;
const SLASH_DATE = /^(\d{1,4})([/.])(\d{1,2})\2(\d{1,4})(?:[ T]{1,3}(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s?([AaPp])\.?[Mm]\.?)?)?$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Wall-clock fields of a "3/15/2024 9:14:22 AM" / "15.03.2024 09:14" / "2024/3/15" cell; a reason when unusable; null when not this shape. */
function slashDate(s: string): WallTime | string | null {
  const m = SLASH_DATE.exec(s);
  if (!m) return null;
  const [a, b, c] = [m[1]!, m[3]!, m[4]!];
  let year: number;
  let month: number;
  let day: number;
  if (a.length === 4) {
    if (c.length > 2) return null;
    [year, month, day] = [Number(a), Number(b), Number(c)];
  } else {
    if (a.length > 2) return null;
    if (c.length !== 4) return `the date "${s.slice(0, 40)}" has a two-digit year: export the time as ISO 8601 (2024-01-31T12:00:00Z)`;
    const first = Number(a);
    const second = Number(b);
    year = Number(c);
    if (first <= 12 && second <= 12 && first !== second) {
      return `the date "${s.slice(0, 40)}" could be ${MONTHS[first - 1] ?? first} ${second} or ${MONTHS[second - 1] ?? second} ${first} (the file does not say whether the day or the month comes first): export the time as ISO 8601 (2024-01-31T12:00:00Z)`;
    }
    // The one over 12 is the day; equal numbers read the same either way.
    [month, day] = first > 12 ? [second, first] : [first, second];
  }
  let hour = m[5] === undefined ? 0 : Number(m[5]);
  const half = m[9]?.toLowerCase();
  if (half !== undefined) {
    if (hour < 1 || hour > 12) return `the time "${s.slice(0, 40)}" has an hour that does not fit AM/PM`;
    hour = (hour % 12) + (half === 'p' ? 12 : 0);
  }
  const frac = m[8] ?? '';
  const wall: WallTime = { year, month, day, hour, minute: Number(m[6] ?? 0), second: Number(m[7] ?? 0), ms: frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0 };
  if (wallToUtcMs(wall) === null) return `the time "${s.slice(0, 40)}" is not a valid date`;
  return wall;
}

function timeOfDayReason(s: string, col: CsvTimeColumn | undefined): string {
  const where = col ? `the column ${quoteName(col.name)}` : 'the time column';
  const parts = col && col.dateParts.length > 0 ? ` (the date seems to be in the column${col.dateParts.length > 1 ? 's' : ''} ${col.dateParts.map(quoteName).join(', ')})` : '';
  return `the time "${s.slice(0, 40)}" is only a time of day: ${where} holds no date${parts}, and Attest reads the time from one column; export a column with the date and time together (2024-01-31T12:00:00Z)`;
}

/**
 * The zone the column's name states, applied to wall-clock fields read as UTC. The dedup key keeps what
 * the cell says (keyMs), as when the zone comes from the source: the same row read either way is one event.
 */
function inColumnZone(wallAsUtcMs: number, col: CsvTimeColumn & { zoneMinutes: number }): { ms: number; notes: string[]; keyMs: number } {
  return { ms: wallAsUtcMs - col.zoneMinutes * 60_000, notes: [`time zone ${col.zoneLabel} taken from the column name ${quoteName(col.name)} (the times carry none)`], keyMs: wallAsUtcMs };
}

function hasZone(col: CsvTimeColumn | undefined): col is CsvTimeColumn & { zoneMinutes: number } {
  return col !== undefined && col.zoneMinutes !== null;
}

/** A CSV time cell to UTC ms, with the notes on what was assumed; a reason when it cannot be read. */
export function csvTime(v: string, ctx: ParseContext, col?: CsvTimeColumn): CsvTime {
  const s = v.trim();
  if (col?.impossibleZone !== undefined && !/[zZ]$|[+-]\d{2}:?\d{2}$/.test(s) && !/^\d{10}(\d{3})?$/.test(s)) {
    return `the column name ${quoteName(col.name)} states the zone ${col.impossibleZone}, which no place has (offsets run from -12:00 to +14:00): fix the header or map another column`;
  }
  if (/^\d{10}$/.test(s)) return { ms: Number(s) * 1000, notes: ['the time column was read as seconds since 1970'] };
  if (/^\d{13}$/.test(s)) return { ms: Number(s), notes: [] };
  const isoText = s.replace(/^(\d{4})\/(\d{2})\/(\d{2})/, '$1-$2-$3');
  if (hasZone(col)) {
    const iso = parseIsoTime(isoText);
    if (iso && !iso.zoned) return inColumnZone(iso.ms, col);
  }
  const iso = resolveIsoTime(isoText, ctx);
  if (iso) {
    if (!iso.ok) return iso.reason;
    return iso.keyMs === undefined ? { ms: iso.ms, notes: iso.notes } : { ms: iso.ms, notes: iso.notes, keyMs: iso.keyMs };
  }
  if (s.length <= 64) {
    const local = slashDate(s);
    if (typeof local === 'string') return local;
    if (local !== null) {
      if (hasZone(col)) return inColumnZone(wallToUtcMs(local)!, col);
      const r = resolveWallTime(local, false, ctx);
      if (!r.ok) return r.reason;
      return r.keyMs === undefined ? { ms: r.ms, notes: r.notes } : { ms: r.ms, notes: r.notes, keyMs: r.keyMs };
    }
    if (TIME_OF_DAY.test(s)) return timeOfDayReason(s, col);
  }
  return `the time "${s.slice(0, 40)}" is not ISO 8601 (2024-01-31T12:00:00Z) or epoch seconds/milliseconds`;
}
