import type { IngestFormat } from '../../../shared/contract/events';
import { datedLineForYears, yearlessHeaderTime } from './formats/syslog-header';
import type { ParseContext } from './parse-types';
import { openInput } from './read-records';
import { wallToUtcMs, zoneResolver } from './time';
import { latestOf, newYearTrack, trackYear } from './year-tracker';

const DAY_MS = 24 * 3600 * 1000;
/** How far back a year is looked for when the latest date does not exist in the current one (29 Feb). */
const YEARS_BACK = 8;
/** Enough of a line for its syslog header's timestamp. */
const HEADER_BYTES = 64;

export interface InferredYears {
  /** Year of the file's first timestamp without one. */
  first: number;
  /** Year of its latest: first + the New Years the file crosses. */
  last: number;
  /**
   * The earliest year a line is read in: first, or the year before it when a late-December line follows a
   * January one (the newest part of a rotated log written first: year-tracker.ts's stragglers).
   */
  earliest: number;
  /** The latest such timestamp, UTC ms. */
  latestMs: number;
  /** Where each New Year falls: [line, the year from there on, that line's place in its year (withinYearMs)]. */
  changes: Array<[number, number, number]>;
  /**
   * What the years rest on: the lines of the file that carry their year (RFC 5424, ISO, RFC 3164 with a
   * year), read on the same count of New Years; else the latest date, taken to be within the past year.
   */
  basis: 'dated-lines' | 'latest-date';
  /** Lines that carry their year, and how many of them put the file's start in another year (basis dated-lines). */
  datedLines: number;
  datedDisagreeing: number;
}

/** More New Years than this in one file are not listed for retries (the years of its lines still are counted). */
const MAX_CHANGES = 100;

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Called during the pass, at most every PROGRESS_INTERVAL_MS. */
export type ScanProgress = (bytesRead: number, bytesTotal: number) => void;
const PROGRESS_INTERVAL_MS = 100;

export interface ScanOptions {
  onProgress?: ScanProgress;
  /** A cancelled import stops the pass (the import then stops before it stores anything). */
  signal?: { readonly aborted: boolean };
  /** A gzip's damaged member (gzip-check.ts): the pass stops where it starts, as the import does. */
  gzipStopAtMember?: number;
}

/**
 * The years of a syslog file's timestamps that carry none, from a pass over the file before its import:
 * the latest is taken to be within the past year (at most a day ahead of now, for clocks a little fast),
 * and the first is that year less the New Years the file crosses (year-tracker.ts). Null when the file
 * has no such timestamp at its lines' start, or when the zone is unknown (the import reports that).
 */
export async function inferSyslogYears(filePath: string, name: string, format: IngestFormat, ctx: ParseContext, scan: ScanOptions = {}): Promise<InferredYears | null> {
  const { onProgress, signal } = scan;
  const resolver = zoneResolver(ctx.syslogZone ?? 'UTC');
  if (resolver === null) return null;
  const track = newYearTrack(0, true);
  // The file's first year as each line that carries its year puts it (its year less the New Years counted
  // before it), and how many lines say so.
  const anchors = new Map<number, number>();
  let datedLines = 0;
  let yearless = 0;
  // Year offsets (from the first) at which a 29 February was written: evidence of a leap year.
  const leapOffsets = new Set<number>();
  const changes: Array<[number, number, number]> = [];
  // Below 0 when a straggler is read in the year before the file's first (year-tracker.ts).
  let lowestOffset = 0;
  let input: Awaited<ReturnType<typeof openInput>>;
  try {
    input = await openInput(filePath, {
      format,
      name,
      ...(ctx.csvMapping !== undefined ? { csvMapping: ctx.csvMapping } : {}),
      ...(scan.gzipStopAtMember !== undefined ? { gzipStopAtMember: scan.gzipStopAtMember } : {}),
    });
  } catch {
    // The import reads through its own handle, already open: it goes on with each line's own year.
    return null;
  }
  let reported = 0;
  try {
    for await (const batch of input.recordBatches) {
      if (signal?.aborted) return null;
      if (onProgress && Date.now() - reported >= PROGRESS_INTERVAL_MS) {
        reported = Date.now();
        onProgress(input.bytesRead(), input.totalBytes);
      }
      for (const record of batch) {
        if (record.error !== undefined) continue;
        const head = record.raw.subarray(0, HEADER_BYTES).toString('latin1');
        const t = yearlessHeaderTime(head);
        const dated = t === null ? datedLineForYears(head, ctx.now) : null;
        if (t === null && dated === null) continue;
        const before = track.rollovers;
        const offset = trackYear(track, (t ?? dated)!);
        if (track.rollovers !== before && changes.length < MAX_CHANGES) changes.push([record.line, offset, track.latest ?? 0]);
        if (offset < lowestOffset) lowestOffset = offset;
        if (dated !== null) {
          datedLines++;
          anchors.set(dated.year - offset, (anchors.get(dated.year - offset) ?? 0) + 1);
        } else {
          yearless++;
          if (t!.month === 2 && t!.day === 29) leapOffsets.add(offset);
        }
      }
    }
  } catch {
    // A file that cannot be read to its end (corrupt gzip): the years are those of what could be read; the
    // import stops at the same place, with the same error, and keeps what came before it.
  } finally {
    await input.close();
  }
  const latest = latestOf(track);
  if (latest === null || yearless === 0) return null;
  const years = (first: number, basis: InferredYears['basis'], agreeing: number): InferredYears | null => {
    // A latest date of 29 February in a year without one (its line is quarantined as no date) is recorded
    // as the 28th: it must not void the years the file's other lines give.
    const year = first + track.rollovers;
    const wall = wallToUtcMs({ ...latest, year }) ?? wallToUtcMs({ ...latest, year, day: 28 });
    if (wall === null) return null;
    return {
      first,
      last: first + track.rollovers,
      earliest: first + lowestOffset,
      latestMs: resolver.toUtc(wall),
      changes: changes.map(([line, o, at]) => [line, first + o, at]),
      basis,
      datedLines,
      datedDisagreeing: datedLines - agreeing,
    };
  };
  // The lines that say their year outweigh any rule: the first year most of them point to.
  let anchor: [number, number] | null = null;
  for (const [first, count] of anchors) if (anchor === null || count > anchor[1] || (count === anchor[1] && first > anchor[0])) anchor = [first, count];
  if (anchor !== null) {
    const dated = years(anchor[0], 'dated-lines', anchor[1]);
    if (dated !== null) return dated;
  }
  const thisYear = new Date(ctx.now).getUTCFullYear();
  // A 29 February in the file must fall in a leap year: the latest date alone could put it in 2026. When
  // no year fits every one of them (two a year apart: one is wrong), the latest date decides alone.
  for (const leapYearsCount of [true, false]) {
    for (let year = thisYear; year >= thisYear - YEARS_BACK; year--) {
      const first = year - track.rollovers;
      if (leapYearsCount && [...leapOffsets].some((o) => !isLeapYear(first + o))) continue;
      const wall = wallToUtcMs({ ...latest, year });
      if (wall === null) continue;
      const ms = resolver.toUtc(wall);
      if (ms <= ctx.now + DAY_MS) return { first, last: year, earliest: first + lowestOffset, latestMs: ms, changes: changes.map(([line, o, at]) => [line, first + o, at]), basis: 'latest-date', datedLines, datedDisagreeing: 0 };
    }
  }
  return null;
}

/**
 * Sets up the counting of years through a syslog or CEF file's New Years (ParseContext.yearTrack): from
 * the year given for the file (the source's settings or this import), else from the year inferred by a
 * pass over the file (then returned, for the batch's record).
 */
export async function prepareYearTracking(ctx: ParseContext, filePath: string, name: string, format: IngestFormat, scan: ScanOptions = {}): Promise<InferredYears | null> {
  if (format !== 'syslog' && format !== 'cef') return null;
  if (ctx.syslogYear !== undefined) {
    ctx.yearTrack = newYearTrack(ctx.syslogYear);
    return null;
  }
  const inferred = await inferSyslogYears(filePath, name, format, ctx, scan);
  if (inferred === null) return null;
  ctx.syslogYear = inferred.first;
  ctx.syslogYearFrom = 'inferred';
  // For the note: the years lines are read in, a straggler's year before the first included.
  ctx.syslogFirstYear = inferred.earliest;
  ctx.syslogLastYear = inferred.last;
  if (inferred.basis === 'dated-lines') ctx.syslogYearBasis = 'dated-lines';
  // The import counts New Years on the same lines as the pass did.
  ctx.yearTrack = newYearTrack(inferred.first, true);
  return inferred;
}
