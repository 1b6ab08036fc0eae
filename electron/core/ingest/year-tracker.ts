import { wallTimeOf } from './time';

/**
 * Years for timestamps that carry none (RFC 3164 "Nov 22 10:00:00"), read in file order.
 *
 * A log is written in time order, so when a line's month-and-day falls well before the latest one seen,
 * the file has crossed a New Year and the year moves on. Reading each line on its own (the current year,
 * rolled back when in the future) gets any archive that spans a New Year wrong: read on 22 Nov 2026, a
 * file from Oct 2025 to Jan 2026 would put its October in 2026, after its January.
 *
 * The state is plain data, because the parse context it travels in is copied into the parse thread.
 */
export interface YearTrack {
  /** Year of the latest timestamp so far. */
  year: number;
  /** Latest time so far within its year, as ms into the leap year 2000 (so 29 Feb has a place); null before the first. */
  latest: number | null;
  /** New Years crossed so far. */
  rollovers: number;
  /** Whether lines that carry their own year move the count on too (years inferred from them). */
  countsDated?: boolean;
}

export interface YearlessTime {
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

const DAY_MS = 24 * 3600 * 1000;
/** A line this much before the latest one in the same year is after a New Year (a month's disorder is tolerated). */
const NEW_YEAR_BACKSTEP_MS = 30 * DAY_MS;
/** A line this much after the latest one (a late December line just after New Year) belongs to the year before. */
const STRAGGLER_AHEAD_MS = 335 * DAY_MS;

export function newYearTrack(startYear: number, countsDated = false): YearTrack {
  return countsDated ? { year: startYear, latest: null, rollovers: 0, countsDated } : { year: startYear, latest: null, rollovers: 0 };
}

/** Position in the (leap) year 2000, or null for a date no year has (31 Apr, a month 13). */
export function withinYearMs(t: YearlessTime): number | null {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31) return null;
  const ms = Date.UTC(2000, t.month - 1, t.day, t.hour, t.minute, Math.min(t.second, 59), t.ms);
  const check = new Date(ms);
  return check.getUTCMonth() === t.month - 1 && check.getUTCDate() === t.day ? ms : null;
}

/** The year of the next timestamp in file order; moves the track on. */
export function trackYear(track: YearTrack, t: YearlessTime): number {
  const at = withinYearMs(t);
  if (at === null) return track.year;
  if (track.latest === null) {
    track.latest = at;
    return track.year;
  }
  if (at < track.latest - NEW_YEAR_BACKSTEP_MS) {
    track.year += 1;
    track.rollovers += 1;
    track.latest = at;
    return track.year;
  }
  if (at > track.latest + STRAGGLER_AHEAD_MS) return track.year - 1;
  if (at > track.latest) track.latest = at;
  return track.year;
}

/** The year trackYear would give a timestamp at this point of the file, without moving the track on. */
export function yearAt(track: YearTrack, t: YearlessTime): number {
  return trackYear({ year: track.year, latest: track.latest, rollovers: track.rollovers }, t);
}

/** The latest timestamp of a track as wall-clock fields (its year included), or null before the first. */
export function latestOf(track: YearTrack): (YearlessTime & { year: number }) | null {
  if (track.latest === null) return null;
  return { ...wallTimeOf(track.latest), year: track.year };
}
