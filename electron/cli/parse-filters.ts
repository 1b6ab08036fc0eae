import { isIP } from 'node:net';
import { AttestError } from '../../shared/result';
import { OCSF_CLASS_NAMES, STATUS } from '../../shared/domain/canonical-event';
import type { EventFilter } from '../../shared/contract/events';

export interface FilterFlags {
  since?: string;
  until?: string;
  class?: string;
  status?: string;
  actor?: string;
  ip?: string;
  source?: string;
  batch?: string;
  hideOwn?: boolean;
}

const RELATIVE = /^(\d+)(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** ISO 8601 as the flags take it: a date, optionally a time and a zone. */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:([T ])\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A time flag: ISO 8601, epoch milliseconds, or a span back from now such as 24h, 7d, 30m. */
export function parseTime(flag: string, value: string, now = Date.now()): number {
  const rel = RELATIVE.exec(value);
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS];
  if (/^\d{11,16}$/.test(value)) return Number(value);
  // 0 is the epoch itself: "from the start". Any other number under 11 digits is before 1973 in ms, or more
  // likely epoch seconds (1700000000): taken as ms it would silently mean January 1970, so it is refused.
  if (value === '0') return 0;
  if (/^\d{1,10}$/.test(value)) {
    throw new AttestError(
      'BAD_REQUEST',
      `--${flag} "${value}" is too short for epoch milliseconds (11 digits or more from March 1973 on); if it is epoch seconds, add three zeros (${value}000), or give ISO 8601 such as 2026-11-01T00:00Z.`,
    );
  }
  const iso = ISO_TIME.exec(value.trim());
  const t = iso ? Date.parse(value.trim()) : Number.NaN;
  // Date.parse rolls 2026-02-30 over into March and reads "-5" as a year: neither is what was meant.
  if (!iso || Number.isNaN(t) || !isCalendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]))) {
    throw new AttestError('BAD_REQUEST', `--${flag} "${value}" is not a time: use ISO 8601 (2026-11-01 or 2026-11-01T00:00Z), epoch ms, or 24h / 7d.`);
  }
  // Date.parse reads a time of day without a zone in this computer's zone (a date alone in UTC): the same
  // command would give other events on another laptop. Refused, as --time-if-missing refuses it.
  if (iso[4] !== undefined && iso[5] === undefined) {
    throw new AttestError('BAD_REQUEST', `--${flag} "${value}" has no time zone: add Z for UTC (${value.trim()}Z) or an offset such as +02:00.`);
  }
  return t;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseClass(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const wanted = value.trim().toLowerCase();
  for (const [uid, name] of Object.entries(OCSF_CLASS_NAMES)) if (name.toLowerCase() === wanted) return Number(uid);
  throw new AttestError('BAD_REQUEST', `--class "${value}" is not a known OCSF class: give its number (3002) or name (Authentication).`);
}

export function parseStatus(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const id = (STATUS as Record<string, number>)[value.trim().toLowerCase()];
  if (id === undefined) throw new AttestError('BAD_REQUEST', `--status "${value}" is not an outcome: use success, failure, other or unknown.`);
  return id;
}

export function parseFilter(flags: FilterFlags): EventFilter {
  const filter: EventFilter = {};
  if (flags.since !== undefined) filter.since = parseTime('since', flags.since);
  if (flags.until !== undefined) filter.until = parseTime('until', flags.until);
  if (flags.class !== undefined) filter.classUid = parseClass(flags.class);
  if (flags.status !== undefined) filter.statusId = parseStatus(flags.status);
  if (flags.actor !== undefined) filter.actor = flags.actor;
  if (flags.ip !== undefined) {
    // Only addresses are indexed as source IPs (a host name is kept as the endpoint's hostname).
    if (isIP(flags.ip) === 0) throw new AttestError('BAD_REQUEST', `--ip "${flags.ip}" is not an IP address.`);
    filter.ip = flags.ip;
  }
  if (flags.source !== undefined) filter.source = flags.source;
  if (flags.batch !== undefined) {
    if (!/^\d+$/.test(flags.batch)) throw new AttestError('BAD_REQUEST', '--batch takes a batch number.');
    filter.batchId = Number(flags.batch);
  }
  if (flags.hideOwn === true) filter.hideOwn = true;
  return filter;
}

/** --limit N: a whole number, 0 meaning all (as Infinity, for counting down). */
export function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new AttestError('BAD_REQUEST', '--limit takes a whole number (0 = all).');
  return n === 0 ? Number.POSITIVE_INFINITY : n;
}

/** A --syslog-year value as a number, NaN unless it is four digits: Number() also read "2e3" and "0x7e8" as years. */
export function fourDigitYear(value: string): number {
  const v = value.trim();
  return /^\d{4}$/.test(v) ? Number(v) : Number.NaN;
}
