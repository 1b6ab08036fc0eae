import type { Db } from '../vault/database';
import { DIM, OUTCOME, SUMMARY_OWN_DIM } from './dimensions';
import { bumpNested, type SummaryTallyData } from './summary-tally';

export type { SummaryTallyData } from './summary-tally';

/**
 * The Overview's charts read event_summary (per-minute counts by outcome, and failures per actor and per
 * IP), written at import time (event-log.ts). verify tallies the same counts from the chained events
 * (each thread its own range) and compares the merged tally with the table, so a chart cannot be made to
 * hide failures that the chain still holds.
 */
const MINUTE_MS = 60_000;

/**
 * event_summary held against the threads' tallies. The table is read while the threads walk the chain
 * (loadTable: the main thread is idle then, and reading ~200,000 rows per million events costs as much as
 * a thread's whole postings check), then each thread's tally is subtracted and any count left over
 * reported. Held as one small integer per row (stored minus tallied): ~40 bytes per row, where a pair per
 * row had cost ~350.
 */
export class SummaryComparison {
  /** dim * 4 + outcome -> minute -> key id -> stored n minus tallied n. */
  private readonly diffs = new Map<number, Map<number, Map<number, number>>>();
  private malformed: string | null = null;
  private db: Db | null = null;

  loadTable(db: Db): void {
    this.db = db;
    const rows = db.prepare<[], unknown[]>('SELECT dim, outcome, minute, key_id, n FROM event_summary').raw(true);
    for (const [dim, outcome, minute, key, n] of rows.iterate() as IterableIterator<unknown[]>) {
      if (!(isInt(dim) && isInt(outcome) && isInt(minute) && isInt(key) && isInt(n))) {
        this.malformed ??= describe(dim, outcome, minute, Number.NaN, 0);
        continue;
      }
      // Only the rows the writer makes: totals (dim 0, any outcome, key 0), failures per actor or IP.
      const known =
        dim === 0 || dim === SUMMARY_OWN_DIM
          ? outcome >= 0 && outcome <= 2 && key === 0
          : (dim === DIM.actor || dim === DIM.ip) && outcome === OUTCOME.failure && key >= 1;
      if (!known) {
        this.malformed ??= describe(Number.NaN, outcome, minute, n, 0);
        continue;
      }
      this.add(dim, outcome, minute, key, n);
    }
  }

  addTally(t: SummaryTallyData): void {
    for (let i = 0; i < t.totals.length; i += 3) this.add(0, t.totals[i + 1]!, t.totals[i]!, 0, -t.totals[i + 2]!);
    for (let i = 0; i < t.failures.length; i += 4) this.add(t.failures[i + 1]!, OUTCOME.failure, t.failures[i]!, t.failures[i + 2]!, -t.failures[i + 3]!);
    for (let i = 0; i < t.own.length; i += 3) this.add(SUMMARY_OWN_DIM, t.own[i + 1]!, t.own[i]!, 0, -t.own[i + 2]!);
  }

  /** The first difference between the table and the tallies, or null. */
  problem(): string | null {
    if (this.malformed !== null) return this.malformed;
    for (const [dimOutcome, byMinute] of this.diffs) {
      for (const [minute, byKey] of byMinute) {
        for (const [key, diff] of byKey) {
          if (diff === 0) continue;
          const dim = Math.floor(dimOutcome / 4);
          const outcome = dimOutcome - dim * 4;
          const stored = this.db?.prepare<number[], { n: number }>('SELECT n FROM event_summary WHERE dim = ? AND outcome = ? AND minute = ? AND key_id = ?').get(dim, outcome, minute, key)?.n ?? 0;
          return describe(dim, outcome, minute, stored, stored - diff);
        }
      }
    }
    return null;
  }

  private add(dim: number, outcome: number, minute: number, key: number, n: number): void {
    let byMinute = this.diffs.get(dim * 4 + outcome);
    if (byMinute === undefined) this.diffs.set(dim * 4 + outcome, (byMinute = new Map()));
    bumpNested(byMinute, minute, key, n);
  }
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

function describe(dim: unknown, outcome: unknown, minute: unknown, stored: number, want: number): string {
  const at = typeof minute === 'number' && Number.isSafeInteger(minute) && Math.abs(minute) < 1e10 ? new Date(minute * MINUTE_MS).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : 'an unknown minute';
  const kind = outcome === OUTCOME.failure ? 'failed events' : outcome === OUTCOME.success ? 'successful events' : 'other events';
  const what =
    dim === 0
      ? kind
      : dim === SUMMARY_OWN_DIM
        ? `Attest's own ${kind}`
        : dim === DIM.actor
          ? 'failures by one actor'
          : dim === DIM.ip
            ? 'failures from one IP'
            : 'counts of an unknown kind';
  return `The Overview's per-minute counts were altered: ${what} at ${at} are recorded as ${Number.isNaN(stored) ? 'a malformed value' : stored}, the chain holds ${want}. Its charts would misreport them.`;
}

