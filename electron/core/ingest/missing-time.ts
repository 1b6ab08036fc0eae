import type { ParseContext } from './parse-types';

/**
 * A time for records that carry none (a CEF record without rt/end/start or a syslog header, an OCSF
 * record without time): only when the operator asks for it, for an import or a quarantine retry. Such a
 * record is quarantined otherwise: an audit trail must not be given a time nobody chose.
 */
export interface TimeIfMissing {
  ms: number;
  /** import: when its file was imported (the time Attest received it, as CEF's rt means); given: a time the operator gave. */
  from: 'import' | 'given';
}

/** What an operator asks for: the import's own time, or a time (ms). */
export type TimeIfMissingChoice = 'import' | number;

export { NO_TIME_HINT } from '../../../shared/contract/events';

/** The time a choice stands for, for a file imported at `importedAt` (for a retry: its batch's start). */
export function timeIfMissingOf(choice: TimeIfMissingChoice, importedAt: number): TimeIfMissing {
  return choice === 'import' ? { ms: importedAt, from: 'import' } : { ms: choice, from: 'given' };
}

/** The choice in words, for the records of what was done (a retry's audit event, its note on the batch). */
export function describeTimeChoice(choice: TimeIfMissingChoice): string {
  return choice === 'import' ? 'records with no time of their own were given the time their file was imported' : `records with no time of their own were given the time ${new Date(choice).toISOString()}`;
}

/** The dedup key time of a record given a time: the same whichever time it was given, so a record imported
 * again (a grown file, a retry after an import that timed it) is still a duplicate. */
export const ASSIGNED_DEDUP_TIME = 0;

/** Key in the event's `unmapped` that says its time was assigned, not read from the record: 'import' | 'given'. */
export const TIME_ASSIGNED_KEY = 'attest_time_assigned';

/** The time a record without one takes under this context, with the note that says so; null when none is set. */
export function timeForUntimedRecord(ctx: ParseContext): { ms: number; note: string; from: TimeIfMissing['from'] } | null {
  const t = ctx.timeIfMissing;
  if (t === undefined) return null;
  const when = new Date(t.ms).toISOString();
  return {
    ms: t.ms,
    from: t.from,
    note: t.from === 'import' ? `the record has no time of its own: the time its file was imported (${when}) was used` : `the record has no time of its own: the time given for it (${when}) was used`,
  };
}
