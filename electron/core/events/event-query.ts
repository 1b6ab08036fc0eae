import type { Db } from '../vault/database';
import type { EventDetail, EventFilter, EventRow } from '../../../shared/contract/events';
import { CanonicalEventSchema } from '../../../shared/domain/canonical-event';
import { AttestError } from '../../../shared/result';
import { DIM, DimensionCache } from '../chain/dimensions';
import { countPostings, findPostings } from '../chain/postings-codec';
import { PostingStream, intersectDescending } from './posting-stream';
import { ROW_COLUMNS, sourceNames, toEventRow, type StoredRow } from './event-rows';
import { ChunkZones } from './chunk-zones';

export { overview } from './overview';

/**
 * Reads of the event log for the explorer, the CLI and the web host. Plans, cheapest first:
 * - any of actor / ip / class / status / source / batch: intersect their postings (exact seq lists per
 *   chunk), newest first, and read only the matching rows by primary key; a time range is checked per
 *   chunk through the zone map and per row only in chunks that straddle it;
 * - only a time range: walk the chunks whose time range overlaps it, newest first, scanning each by seq;
 * - nothing: the primary key, newest first.
 * All values reach SQL as bound parameters.
 */
const MAX_LIMIT = 5000;

interface Plan {
  /** A filter names a value that was never stored: nothing can match. */
  empty: boolean;
  postings: Array<[number, number]>;
  since: number | null;
  until: number | null;
}

function plan(db: Db, filter: EventFilter): Plan {
  const postings: Array<[number, number]> = [];
  let empty = false;
  const addDictionary = (dim: number, value: string | undefined) => {
    if (value === undefined) return;
    const id = DimensionCache.find(db, dim, value);
    if (id === null) empty = true;
    else postings.push([dim, id]);
  };
  addDictionary(DIM.actor, filter.actor);
  addDictionary(DIM.ip, filter.ip);
  if (filter.source !== undefined) {
    const row = db.prepare<[string], { id: number }>('SELECT id FROM sources WHERE name = ?').get(filter.source);
    if (row) postings.push([DIM.source, row.id]);
    else empty = true;
  }
  if (filter.classUid !== undefined) postings.push([DIM.classUid, filter.classUid]);
  if (filter.statusId !== undefined) postings.push([DIM.statusId, filter.statusId]);
  if (filter.batchId !== undefined) postings.push([DIM.batch, filter.batchId]);
  const since = filter.since ?? null;
  const until = filter.until ?? null;
  if (since !== null && until !== null && since >= until) empty = true;
  return { empty, postings, since, until };
}

function inTime(p: Plan, time: number): boolean {
  return (p.since === null || time >= p.since) && (p.until === null || time < p.until);
}

export function queryEvents(
  db: Db,
  filter: EventFilter,
  opts: { beforeSeq?: number; limit: number },
): { rows: EventRow[]; nextBeforeSeq: number | null } {
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(opts.limit)));
  const beforeSeq = opts.beforeSeq ?? Number.MAX_SAFE_INTEGER;
  const p = plan(db, filter);
  const stored: StoredRow[] = p.empty ? [] : p.postings.length > 0 ? byPostings(db, p, beforeSeq, limit) : p.since !== null || p.until !== null ? byTime(db, p, beforeSeq, limit) : newest(db, beforeSeq, limit);
  const sources = sourceNames(db);
  const rows = stored.map((r) => toEventRow(r, sources));
  const last = rows[rows.length - 1];
  return { rows, nextBeforeSeq: rows.length === limit && last ? last.seq : null };
}

function newest(db: Db, beforeSeq: number, limit: number): StoredRow[] {
  return db.prepare<[number, number], StoredRow>(`SELECT ${ROW_COLUMNS} FROM events WHERE seq < ? ORDER BY seq DESC LIMIT ?`).all(beforeSeq, limit);
}

function byTime(db: Db, p: Plan, beforeSeq: number, limit: number): StoredRow[] {
  const zones = ChunkZones.load(db);
  const scan = db.prepare<[number, number, number, number, number], StoredRow>(
    `SELECT ${ROW_COLUMNS} FROM events NOT INDEXED WHERE seq >= ? AND seq <= ? AND time >= ? AND time < ? ORDER BY seq DESC LIMIT ?`,
  );
  const since = p.since ?? Number.MIN_SAFE_INTEGER;
  const until = p.until ?? Number.MAX_SAFE_INTEGER;
  const out: StoredRow[] = [];
  for (const zone of zones.overlappingDescending(since, until, beforeSeq)) {
    out.push(...scan.all(zone.firstSeq, Math.min(zone.lastSeq, beforeSeq - 1), since, until, limit - out.length));
    if (out.length >= limit) break;
  }
  return out;
}

function byPostings(db: Db, p: Plan, beforeSeq: number, limit: number): StoredRow[] {
  const streams = p.postings.map(([dim, key]) => new PostingStream(db, dim, key, beforeSeq));
  const read = db.prepare<[number], StoredRow>(`SELECT ${ROW_COLUMNS} FROM events WHERE seq = ?`);
  const timed = p.since !== null || p.until !== null;
  const zones = timed ? ChunkZones.load(db) : null;
  const out: StoredRow[] = [];
  for (const seq of intersectDescending(streams)) {
    const verdict = zones ? zones.timeVerdict(seq, p.since, p.until) : 'inside';
    if (verdict === 'outside') continue;
    const row = read.get(seq);
    if (!row || (verdict === 'partial' && !inTime(p, row.time))) continue;
    out.push(row);
    if (out.length >= limit) break;
  }
  return out;
}

export function countEvents(db: Db, filter: EventFilter): number {
  const p = plan(db, filter);
  if (p.empty) return 0;
  const timed = p.since !== null || p.until !== null;
  if (p.postings.length === 0) {
    if (!timed) return db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events').get()?.n ?? 0;
    return (
      db
        .prepare<[number, number], { n: number }>('SELECT count(*) AS n FROM events WHERE time >= ? AND time < ?')
        .get(p.since ?? Number.MIN_SAFE_INTEGER, p.until ?? Number.MAX_SAFE_INTEGER)?.n ?? 0
    );
  }
  if (p.postings.length === 1 && !timed) {
    const [dim, key] = p.postings[0]!;
    let n = 0;
    for (const blob of db.prepare<[number], Buffer>('SELECT keys FROM postings WHERE dim = ?').pluck().iterate(dim)) {
      const list = Buffer.isBuffer(blob) ? findPostings(blob, key) : null;
      if (list !== null) n += countPostings(list);
    }
    return n;
  }
  const streams = p.postings.map(([dim, key]) => new PostingStream(db, dim, key, Number.MAX_SAFE_INTEGER));
  const zones = timed ? ChunkZones.load(db) : null;
  const timeOf = db.prepare<[number], { time: number }>('SELECT time FROM events WHERE seq = ?');
  let n = 0;
  for (const seq of intersectDescending(streams)) {
    const verdict = zones ? zones.timeVerdict(seq, p.since, p.until) : 'inside';
    if (verdict === 'inside') n++;
    else if (verdict === 'partial') {
      const row = timeOf.get(seq);
      if (row && inTime(p, row.time)) n++;
    }
  }
  return n;
}

export function getEvent(db: Db, seq: number): EventDetail {
  const row = db
    .prepare<[number], StoredRow & { raw: Buffer; hash: Buffer; fp: bigint }>(`SELECT ${ROW_COLUMNS}, raw, hash, fp FROM events WHERE seq = ?`)
    .safeIntegers(true)
    .get(seq);
  if (!row) throw new AttestError('NOT_FOUND', `There is no event ${seq} in this vault.`);
  const plain: StoredRow = {
    seq: Number(row.seq), time: Number(row.time), class_uid: Number(row.class_uid), activity_id: Number(row.activity_id),
    status_id: Number(row.status_id), severity_id: Number(row.severity_id), source_id: Number(row.source_id),
    batch_id: row.batch_id === null ? null : Number(row.batch_id), event: row.event,
  };
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(row.event);
  } catch {
    parsed = null;
  }
  const event = CanonicalEventSchema.safeParse(parsed);
  if (!event.success) throw new AttestError('TAMPERED', `Event ${seq} cannot be read: its stored content is not a valid event. Run a chain verification.`);
  const raw = Buffer.isBuffer(row.raw) ? row.raw : Buffer.from(String(row.raw), 'utf8');
  return {
    row: toEventRow(plain, sourceNames(db)),
    event: event.data,
    rawBase64: raw.toString('base64'),
    rawText: new TextDecoder('utf-8', { fatal: false }).decode(raw),
    hash: Buffer.isBuffer(row.hash) ? row.hash.toString('hex') : '',
    fingerprint: BigInt.asUintN(64, BigInt(row.fp)).toString(16).padStart(16, '0'),
  };
}
