import type { ParseContext } from './parse-types';
import { parseIsoTime, wallTimeOf, wallToUtcMs, zoneResolver, type WallTime } from './time';
import { trackYear, withinYearMs } from './year-tracker';

/** The year and zone applied to timestamps that carry neither, and where each came from. */
export interface SyslogDefaults {
  year: number;
  zone: string;
  /** inferred: from the file's own timestamps (the latest within the past year, a year per New Year crossed). */
  yearSource: 'settings' | 'option' | 'default' | 'inferred';
  zoneSource: 'settings' | 'option' | 'default';
}

/**
 * What parseRecord assumes for syslog/CEF times without a year or zone under this context: the source's
 * settings when given, else the current year (rolled back when a time would land over a day ahead) and UTC.
 */
export function effectiveSyslogDefaults(ctx: ParseContext): SyslogDefaults {
  return {
    year: ctx.syslogYear ?? new Date(ctx.now).getUTCFullYear(),
    zone: ctx.syslogZone ?? 'UTC',
    yearSource: ctx.syslogYear === undefined ? 'default' : (ctx.syslogYearFrom ?? 'settings'),
    zoneSource: ctx.syslogZone === undefined ? 'default' : (ctx.syslogZoneFrom ?? 'settings'),
  };
}

/** True when the zone is usable as a source's syslog zone ('UTC', '+02:00', an IANA name). */
export function isValidZone(zone: string): boolean {
  return zoneResolver(zone) !== null;
}

const DAY_MS = 24 * 3600 * 1000;
interface CachedNotes {
  year: string;
  yearRolled: string;
  zone: string;
  /** Per year, for a file whose years are counted through its New Years. */
  tracked: Map<number, string>;
}
const noteCache = new WeakMap<ParseContext, CachedNotes>();

function trackedYearNote(year: number, d: SyslogDefaults, ctx: ParseContext): string {
  if (d.yearSource === 'inferred') {
    // One note for the whole file, whichever of its years a line falls in.
    // The file's years, not the line's: a CEF time read in its line's year says the same as the headers.
    const first = ctx.syslogFirstYear ?? d.year;
    const last = ctx.syslogLastYear ?? year;
    const years = last > first ? `years ${first}–${last}` : `year ${first}`;
    const basis = ctx.syslogYearBasis === 'dated-lines' ? 'the lines of the file that do carry a year' : "the file's dates (its latest within the past year, a year back per New Year it crosses)";
    return `${years} assumed: the timestamps have none; inferred from ${basis}`;
  }
  const given = d.yearSource === 'option' ? 'given for this import' : 'taken from the source settings';
  return year === d.year
    ? `year ${year} ${given} (the timestamp has none)`
    : `year ${year}: the file crosses a New Year after the year ${d.year} ${given} (the timestamp has none)`;
}

function notesFor(ctx: ParseContext, d: SyslogDefaults): CachedNotes {
  let n = noteCache.get(ctx);
  if (!n) {
    n = {
      year:
        d.yearSource === 'inferred'
          ? trackedYearNote(d.year, d, ctx)
          : d.yearSource === 'settings'
          ? `year ${d.year} taken from the source settings (the timestamp has none)`
          : d.yearSource === 'option'
            ? `year ${d.year} given for this import (the timestamp has none)`
            : `year ${d.year} assumed: the timestamp has none, so the current year was used`,
      yearRolled: `year ${d.year - 1} assumed: the timestamp has none, and with the current year it would be in the future`,
      zone:
        d.zoneSource === 'settings'
          ? `time zone ${d.zone} taken from the source settings (the timestamp has none)`
          : d.zoneSource === 'option'
            ? `time zone ${d.zone} given for this import (the timestamp has none)`
            : 'time zone UTC assumed: the timestamp has none',
      tracked: new Map(),
    };
    noteCache.set(ctx, n);
  }
  return n;
}

/** One note per zone and kind, whatever the number of times it concerns (notes are kept per batch, bounded). */
function clockChangeNote(zone: string, change: { kind: 'skipped' | 'repeated'; earlier: boolean }): string {
  return change.kind === 'skipped'
    ? `some times fall in the hour the clocks of ${zone} skipped (they never happened there): each was read with the offset before the change`
    : `some times fall in the hour the clocks of ${zone} went back over (it happened twice): each was read as the ${change.earlier ? 'first' : 'second'} of the two`;
}

/**
 * keyMs: set when the timestamp lacks a year or a zone: what the record itself says, for its dedup key
 * (the wall-clock time read as UTC; without a year, its place in the leap year 2000, withinYearMs).
 */
export type ResolvedTime = { ok: true; ms: number; notes: string[]; keyMs?: number } | { ok: false; reason: string };

/**
 * Turns wall-clock fields into UTC ms. `year` null means the timestamp had none; `zoned` true means the
 * fields are already UTC (an explicit offset was applied).
 */
export function resolveWallTime(w: Omit<WallTime, 'year'> & { year: number | null }, zoned: boolean, ctx: ParseContext): ResolvedTime {
  const d = effectiveSyslogDefaults(ctx);
  const notes: string[] = [];
  const n = notesFor(ctx, d);
  const resolver = zoned ? null : zoneResolver(d.zone);
  if (!zoned && resolver === null) return { ok: false, reason: `unknown time zone "${d.zone}" ${d.zoneSource === 'option' ? 'given for this import' : 'in the source settings'}` };
  const toUtc = (year: number): number | null => {
    const wall = wallToUtcMs({ ...w, year });
    if (wall === null) return null;
    return resolver ? resolver.toUtc(wall) : wall;
  };
  let year = w.year ?? d.year;
  let ms: number | null;
  if (w.year === null && ctx.yearTrack) {
    // Counted through the file's New Years (year-tracker.ts), from the year given or inferred for its start.
    year = trackYear(ctx.yearTrack, w);
    ms = toUtc(year);
    let note = n.tracked.get(year);
    if (note === undefined) {
      note = trackedYearNote(year, d, ctx);
      n.tracked.set(year, note);
    }
    notes.push(note);
  } else ms = toUtc(year);
  if (w.year === null && !ctx.yearTrack) {
    if (d.yearSource === 'default' && (ms === null || ms > ctx.now + DAY_MS)) {
      // Feb 29 or a December line read in January: last year is the reading that makes sense.
      const earlier = toUtc(year - 1);
      if (earlier !== null && (ms === null || ms > ctx.now + DAY_MS)) {
        year -= 1;
        ms = earlier;
        notes.push(n.yearRolled);
      } else notes.push(n.year);
    } else notes.push(n.year);
  }
  if (ms === null) return { ok: false, reason: `the timestamp is not a valid date in ${year}` };
  if (!zoned) notes.push(n.zone);
  const change = resolver?.clockChange?.(wallToUtcMs({ ...w, year }) ?? Number.NaN);
  if (change) notes.push(clockChangeNote(d.zone, change));
  // What the timestamp itself says, before any year or zone was assumed for it: the same however it is read.
  const keyMs = w.year === null ? withinYearMs(w) : !zoned ? wallToUtcMs({ ...w, year: w.year }) : null;
  return keyMs === null ? { ok: true, ms, notes } : { ok: true, ms, notes, keyMs };
}

/**
 * An ISO 8601 time (time.ts parseIsoTime): with an offset it is already UTC; without one its wall-clock
 * fields are read in the operator's zone, as for syslog. Null when the text is not ISO 8601.
 */
export function resolveIsoTime(text: string, ctx: ParseContext): ResolvedTime | null {
  const iso = parseIsoTime(text);
  if (!iso) return null;
  if (iso.zoned) return { ok: true, ms: iso.ms, notes: [] };
  return resolveWallTime(wallTimeOf(iso.ms), false, ctx);
}
