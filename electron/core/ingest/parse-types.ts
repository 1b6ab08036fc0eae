import type { CanonicalEvent } from '../../../shared/domain/canonical-event';
import type { TimeIfMissing } from './missing-time';
import type { YearTrack } from './year-tracker';

export interface ParseContext {
  /** Year for timestamps that carry none (RFC 3164, CEF "MMM dd HH:mm:ss"); default: the current year. */
  syslogYear?: number;
  /** Zone for timestamps that carry none: 'UTC' | '+02:00' | IANA name; default UTC. */
  syslogZone?: string;
  /** Where syslogYear / syslogZone came from: the source's settings (default) or this import's options. */
  syslogYearFrom?: 'settings' | 'option' | 'inferred';
  /** Inferred years: the first and last year of the file (syslogYear moves with a CEF line's year), and
   * whether they rest on its lines that carry a year. */
  syslogFirstYear?: number;
  syslogLastYear?: number;
  syslogYearBasis?: 'dated-lines';
  /**
   * When set, timestamps without a year are read in file order from syslogYear (the year of the file's
   * first one) on, a year later at each New Year the file crosses. Mutable: one per file, in one thread.
   */
  yearTrack?: YearTrack;

  /**
   * The last syslog line read, for the "last message repeated N times" after it (syslog-repeats.ts). Set by
   * the syslog parser; mutable and in file order like yearTrack.
   */
  syslogPrevious?: { host?: string; app?: string; msg: string };

  syslogZoneFrom?: 'settings' | 'option';
  csvMapping?: Record<string, string> | null;
  csvHeader?: string[];
  /** CSV field delimiter found in the header (default ','). */
  csvDelimiter?: string;
  /** The time of a record that carries none (missing-time.ts); unset: such a record is quarantined. */
  timeIfMissing?: TimeIfMissing;
  /** Current time, ms: the plausibility window and the default year are relative to it. */
  now: number;
}

/**
 * dedupTimes, aligned with events: the time part of an event's dedup key when its time rests on an
 * assumption rather than on the record (a year or zone it does not carry, a time assigned to it), so that
 * the same record read under other assumptions is still known as a duplicate (DEDUP_TIME in event-log.ts).
 */
export type ParseOutcome =
  | {
      ok: true;
      events: CanonicalEvent[];
      notes?: string[];
      dedupTimes?: number[];
      /**
       * Set when a record holds several events (a CloudTrail Records object, an Okta event hook delivery):
       * the byte range [start, end) of each event's own element in the record, its raw bytes (rawOf).
       */
      rawSlices?: Array<[number, number]>;
      /**
       * The record as the JSON parser read it, when its bytes are valid UTF-8: the parse thread compares
       * the event's serialisation with it (serialisesTo) instead of decoding the bytes a second time.
       */
      text?: string;
    }
  | { ok: false; reason: string };

export function failed(reason: string): ParseOutcome {
  return { ok: false, reason };
}

/** The raw bytes event i keeps: its own element of the record (ParseOutcome.rawSlices), else the record. */
export function rawOf(outcome: { rawSlices?: Array<[number, number]> }, i: number, raw: Buffer): Buffer {
  const slice = outcome.rawSlices?.[i];
  return slice === undefined ? raw : raw.subarray(slice[0], slice[1]);
}

/** The dedup time an event's parse gave it (ParseOutcome.dedupTimes), as NewEvent takes it. */
export function dedupTimeOf(outcome: { dedupTimes?: number[] }, i: number): { dedupTime?: number } {
  const t = outcome.dedupTimes?.[i];
  return t === undefined ? {} : { dedupTime: t };
}
