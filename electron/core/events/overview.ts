import type { Db } from '../vault/database';
import type { Overview } from '../../../shared/contract/events';
import { DIM, OUTCOME, SUMMARY_OWN_DIM, outcomeOf } from '../chain/dimensions';
import { ownSourceId } from '../chain/own-source';
import { ChunkZones } from './chunk-zones';
import { blockReaderFor } from './block-reader';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Candidate bucket sizes: the smallest giving at most MAX_POINTS points wins. */
const BUCKETS = [MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY];
const MAX_POINTS = 200;
/** The largest time a Date holds: bounds for "all time". */
const ALL_TIME_MS = 8.64e15;
const TOP = 10;

export function chooseBucket(span: number): number {
  for (const size of BUCKETS) if (span / size <= MAX_POINTS) return size;
  return Math.ceil(span / MAX_POINTS / DAY) * DAY;
}

/**
 * Events over time by outcome and the most-failing actors and source IPs, of the monitored services: Attest's
 * own audit events are counted apart (ownEvents; SUMMARY_OWN_DIM). Whole minutes come from event_summary
 * (maintained per appended chunk); only the partial minutes at the range's edges are read from the event
 * blocks whose time range overlaps them. So the cost follows the number of minutes, not of events.
 */
export function overview(db: Db, range: { since?: number; until?: number }): Overview {
  // "All time" is the span of the services' events: today's vault unlock must not stretch a log from years ago.
  const bounds = db.prepare<[], { lo: number | null; hi: number | null }>('SELECT min(minute) AS lo, max(minute) AS hi FROM event_summary WHERE dim = 0').get();
  const hasEvents = bounds !== undefined && bounds.lo !== null && bounds.hi !== null;
  const since = range.since ?? (hasEvents ? bounds.lo! * MINUTE : 0);
  const until = range.until ?? (hasEvents ? (bounds.hi! + 1) * MINUTE : 0);
  if (until <= since || (!hasEvents && range.since === undefined && range.until === undefined)) {
    // No events of the services (or an empty period): still say how many of Attest's own there are.
    const ownFrom = range.since ?? -ALL_TIME_MS;
    const ownTo = range.until ?? ALL_TIME_MS;
    return { total: 0, bucketMs: chooseBucket(0), series: [], topFailingActors: [], topFailingIps: [], ownEvents: ownTo > ownFrom ? ownEventsIn(db, Math.floor(ownFrom / MINUTE) * MINUTE, Math.ceil(ownTo / MINUTE) * MINUTE) : 0 };
  }
  const bucketMs = chooseBucket(until - since);
  const bucketOf = (time: number) => Math.floor(time / bucketMs) * bucketMs;
  const counts = new Map<number, [number, number, number]>();
  const failures = new Map<number, Map<number, number>>([[DIM.actor, new Map()], [DIM.ip, new Map()]]);
  let total = 0;
  let ownEvents = 0;
  const ownSource = ownSourceId(db);
  const addCount = (bucket: number, outcome: number, n: number) => {
    let c = counts.get(bucket);
    if (!c) {
      c = [0, 0, 0];
      counts.set(bucket, c);
    }
    c[outcome] = c[outcome]! + n;
    total += n;
  };
  const addFailure = (dim: number, key: number, n: number) => {
    const byKey = failures.get(dim);
    if (byKey) byKey.set(key, (byKey.get(key) ?? 0) + n);
  };

  // Whole minutes [firstMinute, endMinute) from the summaries, aggregated inside SQLite; only the
  // partial minutes at the edges are read from the blocks.
  const firstMinute = Math.ceil(since / MINUTE);
  const endMinute = Math.floor(until / MINUTE);
  const edges: Array<[number, number]> = [];
  const whole = firstMinute < endMinute;
  if (whole) {
    const bucketMinutes = bucketMs / MINUTE;
    const totals = db
      .prepare<[number, number, number, number, number], { bucket: number; outcome: number; n: number }>(
        `SELECT (minute - ((minute % ?) + ?) % ?) AS bucket, outcome, sum(n) AS n FROM event_summary
         WHERE dim = 0 AND outcome IN (0, 1, 2) AND minute >= ? AND minute < ? GROUP BY bucket, outcome`,
      )
      .all(bucketMinutes, bucketMinutes, bucketMinutes, firstMinute, endMinute);
    for (const r of totals) addCount(r.bucket * MINUTE, r.outcome, r.n);
    // Failure counts per key: one contiguous range of the primary key per dimension, summed here.
    const perKey = db
      .prepare<[number, number, number, number], [number, number]>(
        'SELECT key_id, n FROM event_summary WHERE dim = ? AND outcome = ? AND minute >= ? AND minute < ?',
      )
      .raw(true);
    for (const dim of [DIM.actor, DIM.ip]) {
      for (const [key, n] of perKey.iterate(dim, OUTCOME.failure, firstMinute, endMinute)) addFailure(dim, key, n);
    }
    ownEvents += ownEventsIn(db, firstMinute * MINUTE, endMinute * MINUTE);
    if (since < firstMinute * MINUTE) edges.push([since, firstMinute * MINUTE]);
    if (endMinute * MINUTE < until) edges.push([endMinute * MINUTE, until]);
  } else {
    edges.push([since, until]);
  }
  const zones = edges.length > 0 ? ChunkZones.load(db) : null;
  const reader = blockReaderFor(db);
  for (const [from, to] of edges) {
    for (const zone of zones!.overlappingDescending(from, to, Number.MAX_SAFE_INTEGER)) {
      for (const r of reader.block({ first_seq: zone.firstSeq, head_hash: zone.headHash }).records) {
        if (r.time < from || r.time >= to) continue;
        if (r.sourceId === ownSource) {
          ownEvents++;
          continue;
        }
        const outcome = outcomeOf(r.statusId);
        addCount(bucketOf(r.time), outcome, 1);
        if (outcome === OUTCOME.failure) {
          if (r.actorId !== null) addFailure(DIM.actor, r.actorId, 1);
          if (r.ipId !== null) addFailure(DIM.ip, r.ipId, 1);
        }
      }
    }
  }
  const series: Overview['series'] = [];
  for (let t = bucketOf(since); t < until; t += bucketMs) {
    const c = counts.get(t) ?? [0, 0, 0];
    series.push({ t, success: c[OUTCOME.success], failure: c[OUTCOME.failure], other: c[OUTCOME.other] });
  }
  return {
    total,
    bucketMs,
    series,
    topFailingActors: top(db, failures.get(DIM.actor)!),
    topFailingIps: top(db, failures.get(DIM.ip)!),
    // "All time" is the services' span: the note counts all of Attest's own events, whenever they were.
    ownEvents: range.since === undefined && range.until === undefined ? ownEventsIn(db, -ALL_TIME_MS, ALL_TIME_MS) : ownEvents,
  };
}

/** Attest's own events in whole minutes [from, to) (both multiples of a minute), from event_summary. */
function ownEventsIn(db: Db, from: number, to: number): number {
  if (to <= from) return 0;
  const row = db
    .prepare<[number, number, number], { n: number | null }>('SELECT sum(n) AS n FROM event_summary WHERE dim = ? AND minute >= ? AND minute < ?')
    .get(SUMMARY_OWN_DIM, Math.ceil(from / MINUTE), Math.floor(to / MINUTE));
  return row?.n ?? 0;
}

function top(db: Db, counts: Map<number, number>): Array<{ key: string; count: number }> {
  // Resolve names only for the ids that can make the list (ties at the cut included), then order by
  // count and, within a count, by name.
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const cut = ranked[TOP - 1]?.[1] ?? 0;
  const value = db.prepare<[number], { value: string }>('SELECT value FROM dim_values WHERE id = ?');
  return ranked
    .filter(([, count]) => count >= cut)
    .map(([id, count]) => ({ key: value.get(id)?.value ?? `#${id}`, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, TOP);
}
