import type { IngestFormat } from '../../../shared/contract/events';
import { parseRecord } from './parse-record';
import type { ParseContext, ParseOutcome } from './parse-types';

/**
 * parseRecord made total: a parser that throws on hostile input quarantines that record instead of
 * stopping the import, and a record that yields no event is reported rather than silently dropped.
 */
export function parseSafely(format: IngestFormat, raw: Buffer, ctx: ParseContext): ParseOutcome {
  let outcome: ParseOutcome;
  try {
    outcome = parseRecord(format, raw, ctx);
  } catch (err) {
    return { ok: false, reason: `the ${format} parser failed on this record: ${(err instanceof Error ? err.message : String(err)).slice(0, 200)}` };
  }
  if (outcome.ok && outcome.events.length === 0) return { ok: false, reason: 'the record holds no event' };
  return outcome;
}

/** Reasons are shown to operators and exported: keep them one bounded line. */
export function boundedReason(reason: string): string {
  const oneLine = reason.replace(/[\r\n]+/g, ' ');
  return oneLine.length > 500 ? `${oneLine.slice(0, 497)}...` : oneLine;
}
