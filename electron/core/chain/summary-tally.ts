import { DIM, OUTCOME, SUMMARY_OWN_DIM, outcomeOf } from './dimensions';

/**
 * The Overview's counts (event_summary): per minute, events by outcome, and failures per actor and per
 * IP; Attest's own audit events apart (SUMMARY_OWN_DIM). One tally for everyone who counts them: the writer
 * per appended chunk (event-log.ts), migrations rebuilding the table, and verify re-counting the chain
 * (verify-summary.ts), so they cannot drift.
 */
const MINUTE_MS = 60_000;

/** One thread's tally, flattened for the trip back from a worker. */
export interface SummaryTallyData {
  /** minute, outcome, n; repeated. */
  totals: number[];
  /** minute, dim, key, n; repeated. */
  failures: number[];
  /** Attest's own events (SUMMARY_OWN_DIM): minute, outcome, n; repeated. */
  own: number[];
}

/** Counts events into the Overview's rows; data() flattens them (also for the trip back from a worker). */
export class SummaryTally {
  private readonly totals = new Map<number, number>(); // minute * 4 + outcome
  /** minute * 4 + dim -> key id -> failures (numeric keys: string keys cost most of this check). */
  private readonly failures = new Map<number, Map<number, number>>();
  /** Attest's own events: minute * 4 + outcome -> n. */
  private readonly own = new Map<number, number>();
  /** The total being counted (consecutive events mostly share their minute and outcome). */
  private runKey = Number.NaN;
  private runCount = 0;

  /** own: one of Attest's own audit events (counted apart, SUMMARY_OWN_DIM; no failure lists). */
  add(time: number, statusId: number, actorId: number | null, ipId: number | null, own = false): void {
    const minute = Math.floor(time / MINUTE_MS);
    const outcome = outcomeOf(statusId);
    const key = minute * 4 + outcome;
    if (own) {
      this.own.set(key, (this.own.get(key) ?? 0) + 1);
      return;
    }
    if (key === this.runKey) this.runCount++;
    else {
      this.flushRun();
      this.runKey = key;
      this.runCount = 1;
    }
    if (outcome !== OUTCOME.failure) return;
    if (actorId !== null) bumpNested(this.failures, minute * 4 + DIM.actor, actorId, 1);
    if (ipId !== null) bumpNested(this.failures, minute * 4 + DIM.ip, ipId, 1);
  }

  data(): SummaryTallyData {
    this.flushRun();
    const totals: number[] = [];
    for (const [key, n] of this.totals) {
      const minute = Math.floor(key / 4);
      totals.push(minute, key - minute * 4, n);
    }
    const failures: number[] = [];
    for (const [outer, byKey] of this.failures) {
      const minute = Math.floor(outer / 4);
      for (const [id, n] of byKey) failures.push(minute, outer - minute * 4, id, n);
    }
    const own: number[] = [];
    for (const [key, n] of this.own) {
      const minute = Math.floor(key / 4);
      own.push(minute, key - minute * 4, n);
    }
    return { totals, failures, own };
  }

  private flushRun(): void {
    if (this.runCount > 0) this.totals.set(this.runKey, (this.totals.get(this.runKey) ?? 0) + this.runCount);
    this.runCount = 0;
  }
}

/** Adds a tally to event_summary (rows are summed, so tallies of different chunks add up). */
export const SUMMARY_UPSERT_SQL = `INSERT INTO event_summary (minute, outcome, dim, key_id, n) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (dim, outcome, minute, key_id) DO UPDATE SET n = n + excluded.n`;

export function writeSummaryTally(upsert: { run(...params: number[]): unknown }, data: SummaryTallyData): void {
  const { totals, failures, own } = data;
  for (let i = 0; i < totals.length; i += 3) upsert.run(totals[i]!, totals[i + 1]!, 0, 0, totals[i + 2]!);
  for (let i = 0; i < own.length; i += 3) upsert.run(own[i]!, own[i + 1]!, SUMMARY_OWN_DIM, 0, own[i + 2]!);
  for (let i = 0; i < failures.length; i += 4) upsert.run(failures[i]!, OUTCOME.failure, failures[i + 1]!, failures[i + 2]!, failures[i + 3]!);
}

export function bumpNested(map: Map<number, Map<number, number>>, outer: number, inner: number, n: number): void {
  let byKey = map.get(outer);
  if (byKey === undefined) map.set(outer, (byKey = new Map()));
  byKey.set(inner, (byKey.get(inner) ?? 0) + n);
}
