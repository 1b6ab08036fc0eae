import type { ParseContext } from '../parse-types';
import { resolveWallTime } from '../syslog-time';
import { fixedOffsetMinutes, implausibleTime, monthNumber, parseIsoTime, wallTimeOf, wallToUtcMs } from '../time';
import { trackYear, yearAt, type YearlessTime } from '../year-tracker';

/** What a syslog header says, whichever RFC it follows. */
export interface SyslogHeader {
  /** Facility*8 + severity, when the line has a <PRI>. */
  pri?: number;
  /** UTC ms; null when the line has no usable timestamp (then `timeProblem` says why). */
  time: number | null;
  /** Dedup key time when the timestamp has no year (ParseOutcome.dedupTimes). */
  keyTime?: number;
  timeProblem?: string;
  notes: string[];
  host?: string;
  app?: string;
  pid?: string;
  msgId?: string;
  structuredData?: string;
  msg: string;
  rfc: '5424' | '3164' | 'none';
}

const RFC5424 = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+)(?: |$)/;
const RFC3164 = /^(?:<(\d{1,3})>)?([A-Za-z]{3}) {1,2}(\d{1,2}) (?:(\d{4}) )?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?: ([+-]\d{2}:?\d{2}))?(?: |$)/;
const ISO_LEAD = /^(?:<(\d{1,3})>)?(\d{4}-\d{2}-\d{2}T[0-9:.,]+(?:Z|[+-]\d{2}:?\d{2})?)(?: |$)/;
const TAG = /^([^\s[\]:]{1,128})(?:\[([^\]\s]{0,32})\])?:(?: |$)/;

function pri(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  return n <= 191 ? n : undefined;
}

/** Parses a syslog line's header. Never throws; a line with no recognisable header has rfc 'none'. */
export function parseSyslogHeader(line: string, ctx: ParseContext): SyslogHeader {
  // Lines that carry their year move the count of New Years on too, as they did in the pass that inferred
  // the years from them (syslog-years.ts): the two must count alike.
  const givenYearNote = ctx.yearTrack ? countDatedLine(line, ctx) : null;
  let m = RFC5424.exec(line);
  if (m) {
    const h: SyslogHeader = { rfc: '5424', pri: pri(m[1]), time: null, notes: [], msg: '' };
    const ts = m[3] as string;
    if (ts === '-') {
      h.timeProblem = 'the syslog line has no timestamp (-)';
    } else {
      const t = parseIsoTime(ts);
      if (!t) h.timeProblem = 'the RFC 5424 timestamp is not valid';
      else if (!t.zoned) {
        const r = resolveWallTime(wallTimeOf(t.ms), false, ctx);
        if (r.ok) {
          h.time = r.ms;
          if (r.keyMs !== undefined) h.keyTime = r.keyMs;
          h.notes.push(...r.notes);
        } else h.timeProblem = r.reason;
      } else h.time = t.ms;
    }
    if (m[4] !== '-') h.host = m[4];
    if (m[5] !== '-') h.app = m[5];
    if (m[6] !== '-') h.pid = m[6];
    if (m[7] !== '-') h.msgId = m[7];
    const rest = line.slice(m[0].length);
    const sdEnd = structuredDataEnd(rest);
    if (sdEnd > 0 && rest[0] === '[') h.structuredData = rest.slice(0, sdEnd);
    let msg = rest.slice(sdEnd).replace(/^ /, '');
    if (msg.charCodeAt(0) === 0xfeff) msg = msg.slice(1);
    h.msg = msg;
    if (givenYearNote !== null) h.notes.push(givenYearNote);
    return h;
  }

  let rest: string;
  const h: SyslogHeader = { rfc: '3164', time: null, notes: [], msg: '' };
  m = RFC3164.exec(line);
  if (m) {
    h.pri = pri(m[1]);
    const month = monthNumber(m[2] as string);
    const frac = m[8] ?? '';
    const zone = m[9];
    const wall = {
      year: m[4] ? Number(m[4]) : null,
      month: month ?? 0,
      day: Number(m[3]),
      hour: Number(m[5]),
      minute: Number(m[6]),
      second: Number(m[7]),
      ms: frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0,
    };
    if (month === null) {
      h.timeProblem = `"${(m[2] as string).slice(0, 3)}" is not a month`;
    } else {
      const offset = zone ? fixedOffsetMinutes(zone) : null;
      const r = resolveWallTime(wall, offset !== null, ctx);
      if (r.ok) {
        h.time = r.ms - (offset ?? 0) * 60_000;
        if (r.keyMs !== undefined) h.keyTime = r.keyMs;
        h.notes.push(...r.notes);
      } else h.timeProblem = r.reason;
    }
    rest = line.slice(m[0].length);
  } else {
    m = ISO_LEAD.exec(line);
    if (!m) return { rfc: 'none', time: null, timeProblem: 'not a syslog line: no RFC 5424 or RFC 3164 timestamp at its start', notes: [], msg: line };
    h.pri = pri(m[1]);
    const t = parseIsoTime(m[2] as string);
    if (!t) h.timeProblem = 'the timestamp is not a valid ISO 8601 time';
    else if (t.zoned) h.time = t.ms;
    else {
      const r = resolveWallTime(wallTimeOf(t.ms), false, ctx);
      if (r.ok) {
        h.time = r.ms;
        if (r.keyMs !== undefined) h.keyTime = r.keyMs;
        h.notes.push(...r.notes);
      } else h.timeProblem = r.reason;
    }
    rest = line.slice(m[0].length);
  }

  // HOST TAG[PID]: MSG — some local logs omit the host, so a first word that is itself a tag is not a host.
  let tag = TAG.exec(rest);
  if (!tag && rest.startsWith(' ')) {
    // An empty host between two spaces ("Feb 22 10:21:43  sshd[1332]: ...", Ubuntu's rsyslog).
    tag = TAG.exec(rest.slice(1));
    if (tag) rest = rest.slice(1);
  }
  if (!tag) {
    const sp = rest.indexOf(' ');
    const first = sp === -1 ? rest : rest.slice(0, sp);
    if (first.length > 0 && first.length <= 255) {
      h.host = first;
      rest = sp === -1 ? '' : rest.slice(sp + 1);
      tag = TAG.exec(rest);
    }
  }
  if (tag) {
    h.app = tag[1];
    if (tag[2] !== undefined && tag[2] !== '') h.pid = tag[2];
    rest = rest.slice(tag[0].length);
  }
  h.msg = rest;
  if (givenYearNote !== null) h.notes.push(givenYearNote);
  return h;
}

/**
 * A line that carries its year, in a file whose yearless lines are counted in years (ctx.yearTrack):
 * with years inferred from such lines, it moves the count on as it did in that pass (syslog-years.ts);
 * with a year given, it is checked against it, and a note says when they disagree (the year given may be
 * wrong). Dates the import refuses (a clock reset to 1970, one years ahead) are no evidence either way.
 */
function countDatedLine(line: string, ctx: ParseContext): string | null {
  const track = ctx.yearTrack!;
  const dated = datedLineForYears(line, ctx.now);
  if (dated === null) return null;
  if (track.countsDated) {
    trackYear(track, dated);
    return null;
  }
  return yearAt(track, dated) === dated.year ? null : givenYearDisagreement(ctx);
}

function givenYearDisagreement(ctx: ParseContext): string {
  const given = ctx.syslogYearFrom === 'option' ? 'given for this import' : 'taken from the source settings';
  return `lines that carry their own year disagree with the year ${given} for the lines without one (counted on at each New Year): that year may be wrong`;
}

/** datedHeaderTime, when the date is one the import accepts (implausibleTime): evidence for the years. */
export function datedLineForYears(line: string, now: number): (YearlessTime & { year: number }) | null {
  const dated = datedHeaderTime(line);
  if (dated === null) return null;
  const ms = wallToUtcMs(dated);
  return ms !== null && implausibleTime(ms, now) === null ? dated : null;
}

/**
 * The month, day and time of an RFC 3164 header that has no year, as parseSyslogHeader reads it; null for
 * any other line. The pass that infers a file's years (syslog-years.ts) reads only this.
 */
export function yearlessHeaderTime(line: string): YearlessTime | null {
  const m = RFC3164.exec(line);
  if (!m || m[4] !== undefined) return null;
  const month = monthNumber(m[2] as string);
  if (month === null) return null;
  const frac = m[8] ?? '';
  return { month, day: Number(m[3]), hour: Number(m[5]), minute: Number(m[6]), second: Number(m[7]), ms: frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0 };
}

/** The timestamp of an RFC 5424 header, without the rest of the header (which may lie past DATED_PREFIX). */
const RFC5424_TIME = /^<\d{1,3}>\d{1,2} (\S{1,48}) /;
/** Where a header's timestamp must lie for datedHeaderTime: the same in the year pass and the import. */
const DATED_PREFIX = 64;

/**
 * The date of a syslog header that carries its year (RFC 5424, an ISO time at the line's start, RFC 3164
 * with a year), as written: its own wall-clock fields, or UTC's when it has an offset. Null for any other
 * line. In a file that mixes such lines with yearless ones, their years anchor the others (syslog-years.ts).
 */
export function datedHeaderTime(line: string): (YearlessTime & { year: number }) | null {
  const head = line.slice(0, DATED_PREFIX);
  const iso = RFC5424_TIME.exec(head)?.[1] ?? ISO_LEAD.exec(head)?.[2];
  if (iso !== undefined) {
    const t = parseIsoTime(iso);
    return t ? wallTimeOf(t.ms) : null;
  }
  const m = RFC3164.exec(head);
  if (!m || m[4] === undefined) return null;
  const month = monthNumber(m[2] as string);
  if (month === null) return null;
  const frac = m[8] ?? '';
  const fields = { year: Number(m[4]), month, day: Number(m[3]), hour: Number(m[5]), minute: Number(m[6]), second: Number(m[7]), ms: frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0 };
  const zone = m[9];
  const offset = zone ? fixedOffsetMinutes(zone) : 0;
  if (offset === null) return null;
  const wall = wallToUtcMs(fields);
  return wall === null ? null : wallTimeOf(wall - offset * 60_000);
}

/** Length of RFC 5424 STRUCTURED-DATA at the start of `s` ("-" or one or more [id k="v"] elements). */
function structuredDataEnd(s: string): number {
  if (s[0] === '-') return 1;
  let i = 0;
  while (s[i] === '[') {
    let inQuote = false;
    i++;
    for (; i < s.length; i++) {
      const c = s[i];
      if (c === '\\') i++;
      else if (c === '"') inQuote = !inQuote;
      else if (c === ']' && !inQuote) break;
    }
    if (i >= s.length) return s.length;
    i++;
  }
  return i;
}
