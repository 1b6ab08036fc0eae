/** Time handling shared by the formats: strict ISO parsing, zones, and the plausibility window. */

const MIN_TIME = Date.UTC(1990, 0, 1);
const YEAR_MS = 366 * 24 * 3600 * 1000;

/** Why a time is not plausible for an audit event, or null when it is. */
export function implausibleTime(ms: number, now: number, written: 'number' | 'text' = 'number'): string | null {
  if (!Number.isFinite(ms)) return 'time is not a finite number';
  if (ms < MIN_TIME) {
    // Only a number can be seconds taken for milliseconds; a syslog date of 1970 is a clock that was reset.
    const hint = written === 'number' && ms > 0 && ms < 1e11 ? ' (it looks like seconds; milliseconds are expected)' : '';
    return `time ${describe(ms)} is before 1990-01-01${hint}`;
  }
  if (ms > now + YEAR_MS) return `time ${describe(ms)} is more than one year in the future`;
  return null;
}

function describe(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/** Wall-clock fields of a timestamp that carries no zone (RFC 3164, CSV "2024-01-02 10:00:00"). */
export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** The wall-clock fields of a UTC instant (its reading on a clock set to UTC). */
export function wallTimeOf(utcMs: number): WallTime {
  const d = new Date(utcMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
  };
}

/**
 * Date.UTC, except that years 0–99 are those years: Date.UTC reads them as 1900–1999, which stored
 * "0095-06-01" as 1995 (past the plausibility check) and quarantined "0026-…" as "1926".
 */
export function utcMs(year: number, monthIndex: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  if (year < 0 || year > 99) return Date.UTC(year, monthIndex, day, hour, minute, second, ms);
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

/** Date.UTC of the fields, or null when a field is out of range (Feb 30, hour 25). */
export function wallToUtcMs(w: WallTime): number | null {
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.day > 31 || w.hour > 23 || w.minute > 59 || w.second > 60) return null;
  const t = utcMs(w.year, w.month - 1, w.day, w.hour, w.minute, Math.min(w.second, 59), w.ms);
  const check = new Date(t);
  if (check.getUTCDate() !== w.day || check.getUTCMonth() !== w.month - 1) return null;
  return t;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

export type IsoTime = { ms: number; zoned: boolean } | null;

/**
 * Strict ISO 8601 / RFC 3339 (also with a space instead of T). Without a zone the fields are read as
 * UTC and `zoned` is false, so the caller can apply the operator's zone instead.
 */
export function parseIsoTime(s: string): IsoTime {
  if (s.length > 64) return null;
  const m = ISO_RE.exec(s.trim());
  if (!m) return null;
  const frac = m[7] ?? '';
  const wall: WallTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    ms: frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0,
  };
  const base = wallToUtcMs(wall);
  if (base === null) return null;
  const zone = m[8];
  if (!zone) return { ms: base, zoned: false };
  const offset = fixedOffsetMinutes(zone);
  if (offset === null) return null;
  return { ms: base - offset * 60_000, zoned: true };
}

/** "Z", "+02:00", "+0200", "-05" → minutes east of UTC; null when not a fixed offset. */
export function fixedOffsetMinutes(zone: string): number | null {
  if (zone === 'Z' || zone === 'z' || zone === 'UTC' || zone === 'GMT' || zone === 'UT') return 0;
  const m = /^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return null;
  const h = Number(m[2]);
  const min = Number(m[3] ?? 0);
  if (h > 18 || min > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + min);
}

/** Converts wall-clock times in one zone (fixed offset or IANA name) to UTC. */
export interface ZoneResolver {
  readonly name: string;
  toUtc(wallAsUtcMs: number): number;
  /**
   * Whether a wall-clock time falls where the zone's clocks changed: 'skipped' (it never happened: the
   * clocks went forward over it; toUtc reads it with the offset before the change) or 'repeated' (it
   * happened twice: the clocks went back; toUtc picks one). Null for any other time and fixed offsets.
   */
  clockChange?(wallAsUtcMs: number): { kind: 'skipped' | 'repeated'; earlier: boolean } | null;
}

const resolvers = new Map<string, ZoneResolver | null>();

/** A resolver for 'UTC', '+02:00' or an IANA name like 'Europe/Berlin'; null if the zone is unknown. */
export function zoneResolver(zone: string): ZoneResolver | null {
  const cached = resolvers.get(zone);
  if (cached !== undefined) return cached;
  let resolver: ZoneResolver | null = null;
  const fixed = fixedOffsetMinutes(zone.trim());
  if (fixed !== null) {
    const offsetMs = fixed * 60_000;
    resolver = { name: zone, toUtc: (wall) => wall - offsetMs };
  } else if (zone.length <= 64) {
    resolver = ianaResolver(zone);
  }
  if (resolvers.size > 256) resolvers.clear();
  resolvers.set(zone, resolver);
  return resolver;
}

const DAY_MS = 86_400_000;

function ianaResolver(zone: string): ZoneResolver | null {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null;
  }
  // Offsets change at most a few times a year: cache them per 15 minutes of UTC.
  const offsets = new Map<number, number>();
  const offsetAt = (instant: number): number => {
    const bucket = Math.floor(instant / 900_000);
    const hit = offsets.get(bucket);
    if (hit !== undefined) return hit;
    const probe = bucket * 900_000;
    const parts: Record<string, number> = {};
    for (const p of fmt.formatToParts(new Date(probe))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
    const offset = asUtc - probe;
    if (offsets.size > 4096) offsets.clear();
    offsets.set(bucket, offset);
    return offset;
  };
  const toUtc = (wall: number): number => {
    const first = offsetAt(wall);
    const guess = wall - first;
    const second = offsetAt(guess);
    return second === first ? guess : wall - second;
  };
  return {
    name: zone,
    toUtc,
    clockChange(wall: number) {
      // The offsets a day either side: equal (nearly always), no change is near this time.
      const before = offsetAt(wall - DAY_MS);
      const after = offsetAt(wall + DAY_MS);
      if (before === after) return null;
      const valid = [wall - before, wall - after].filter((t) => offsetAt(t) === wall - t);
      if (valid.length === 0) return { kind: 'skipped', earlier: false };
      if (valid.length === 2 && valid[0] !== valid[1]) return { kind: 'repeated', earlier: toUtc(wall) === Math.min(valid[0]!, valid[1]!) };
      return null;
    },
  };
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

export function monthNumber(name: string): number | null {
  return MONTHS[name.toLowerCase()] ?? null;
}
