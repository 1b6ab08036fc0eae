import type { ParseContext } from './parse-types';
import { parseIsoTime, wallToUtcMs, zoneResolver, type WallTime } from './time';

/** The year and zone applied to timestamps that carry neither, and where each came from. */
export interface SyslogDefaults {
  year: number;
  zone: string;
  yearSource: 'settings' | 'option' | 'default';
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
const noteCache = new WeakMap<ParseContext, { year: string; yearRolled: string; zone: string }>();

function notesFor(ctx: ParseContext, d: SyslogDefaults): { year: string; yearRolled: string; zone: string } {
  let n = noteCache.get(ctx);
  if (!n) {
    n = {
      year:
        d.yearSource === 'settings'
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
    };
    noteCache.set(ctx, n);
  }
  return n;
}

export type ResolvedTime = { ok: true; ms: number; notes: string[] } | { ok: false; reason: string };

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
  let ms = toUtc(year);
  if (w.year === null) {
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
  return { ok: true, ms, notes };
}

/**
 * An ISO 8601 time (time.ts parseIsoTime): with an offset it is already UTC; without one its wall-clock
 * fields are read in the operator's zone, as for syslog. Null when the text is not ISO 8601.
 */
export function resolveIsoTime(text: string, ctx: ParseContext): ResolvedTime | null {
  const iso = parseIsoTime(text);
  if (!iso) return null;
  if (iso.zoned) return { ok: true, ms: iso.ms, notes: [] };
  const d = new Date(iso.ms);
  return resolveWallTime(
    { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), ms: d.getUTCMilliseconds() },
    false,
    ctx,
  );
}
