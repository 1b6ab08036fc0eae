import type { Db } from '../vault/database';
import type { EventDetail, EventFilter, EventOrder, EventRow } from '../../../shared/contract/events';
import { CanonicalEventSchema } from '../../../shared/domain/canonical-event';
import { AttestError } from '../../../shared/result';
import { DIM, DimensionCache } from '../chain/dimensions';
import { countPostings, findPostings } from '../chain/postings-codec';
import { AscendingPostingStream, PostingStream, intersectAscending, intersectDescending } from './posting-stream';
import { sourceNames, toEventRow, type StoredRow } from './event-rows';
import { ChunkZones, type Zone } from './chunk-zones';
import { blockReaderFor, storedRow } from './block-reader';
import { canonicalIp } from '../../../shared/domain/ip-address';
import { ownSourceId } from '../chain/own-source';
import { eventSignature } from './event-signature';
import { SELF_AUDIT_SOURCE } from '../../../shared/domain/self-audit-source';

export { overview } from './overview';

/**
 * Reads of the event log for the explorer, the CLI and the web host. Plans, cheapest first:
 * - any of actor / ip / class / status / source / batch: intersect their postings (exact seq lists per
 *   chunk), newest first (or oldest first), and read only the blocks holding matches (a page of n rows reads at most n
 *   blocks); a time range is checked per block through the zone map and per event only in blocks that
 *   straddle it;
 * - only a time range: walk the blocks whose time range overlaps it, newest first;
 * - nothing: the newest blocks.
 * Both orders page by keyset on seq (below beforeSeq, or above afterSeq for oldest first), so a page deep
 * in either direction costs what the first does.
 * hideOwn leaves out the events of Attest's own source as rows are read (counted as all minus its own).
 * All values reach SQL as bound parameters.
 */
const MAX_LIMIT = 5000;

interface Plan {
  /** A filter names a value that was never stored: nothing can match. */
  empty: boolean;
  postings: Array<[number, number]>;
  since: number | null;
  until: number | null;
  /** Source id whose events are left out (hideOwn), or null. */
  hiddenSource: number | null;
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
  if (filter.ip !== undefined) {
    // IPv6 is stored in one spelling (canonicalIp); events imported before that keep it as logged.
    const canonical = canonicalIp(filter.ip);
    addDictionary(DIM.ip, DimensionCache.find(db, DIM.ip, canonical) !== null ? canonical : filter.ip);
  }
  const hiddenSource = filter.hideOwn === true ? ownSourceId(db) : null;
  if (filter.source !== undefined) {
    // Stored in NFKC (source-name.ts): "école" typed with a combining accent is the same source.
    const row = db.prepare<[string], { id: number }>('SELECT id FROM sources WHERE name = ?').get(filter.source.normalize('NFKC'));
    if (row) postings.push([DIM.source, row.id]);
    else empty = true;
    if (row && row.id === hiddenSource) empty = true;
  }
  if (filter.classUid !== undefined) postings.push([DIM.classUid, filter.classUid]);
  if (filter.statusId !== undefined) postings.push([DIM.statusId, filter.statusId]);
  if (filter.batchId !== undefined) postings.push([DIM.batch, filter.batchId]);
  const since = filter.since ?? null;
  const until = filter.until ?? null;
  if (since !== null && until !== null && since >= until) empty = true;
  return { empty, postings, since, until, hiddenSource };
}

function inTime(p: Plan, time: number): boolean {
  return (p.since === null || time >= p.since) && (p.until === null || time < p.until);
}

export interface QueryOptions {
  limit: number;
  /** 'newest' (default): latest recorded first, paged with beforeSeq; 'oldest': paged with afterSeq. */
  order?: EventOrder;
  beforeSeq?: number;
  afterSeq?: number;
}

export function queryEvents(
  db: Db,
  filter: EventFilter,
  opts: QueryOptions,
): { rows: EventRow[]; nextBeforeSeq: number | null; nextAfterSeq: number | null } {
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(opts.limit)));
  const oldestFirst = opts.order === 'oldest';
  const p = plan(db, filter);
  let stored: StoredRow[];
  if (p.empty) stored = [];
  else if (oldestFirst) {
    const afterSeq = opts.afterSeq ?? 0;
    stored = p.postings.length > 0 ? byPostingsAscending(db, p, afterSeq, limit) : scanZonesAscending(db, p, afterSeq, limit);
  } else {
    const beforeSeq = opts.beforeSeq ?? Number.MAX_SAFE_INTEGER;
    stored = p.postings.length > 0 ? byPostings(db, p, beforeSeq, limit) : scanZones(db, p, beforeSeq, limit);
  }
  const sources = sourceNames(db);
  const rows = stored.map((r) => toEventRow(r, sources));
  const last = rows[rows.length - 1];
  const next = rows.length === limit && last ? last.seq : null;
  return { rows, nextBeforeSeq: oldestFirst ? null : next, nextAfterSeq: oldestFirst ? next : null };
}

/** Rows below beforeSeq, newest first, in the plan's time range when given (blocks the zone map rules out are not read). */
function scanZones(db: Db, p: Plan, beforeSeq: number, limit: number): StoredRow[] {
  const zones = ChunkZones.load(db).overlappingDescending(p.since ?? Number.MIN_SAFE_INTEGER, p.until ?? Number.MAX_SAFE_INTEGER, beforeSeq);
  return scanBlocks(db, p, zones, (seq) => seq < beforeSeq, false, limit);
}

/** Rows above afterSeq, oldest first. */
function scanZonesAscending(db: Db, p: Plan, afterSeq: number, limit: number): StoredRow[] {
  const zones = ChunkZones.load(db).overlappingAscending(p.since ?? Number.MIN_SAFE_INTEGER, p.until ?? Number.MAX_SAFE_INTEGER, afterSeq);
  return scanBlocks(db, p, zones, (seq) => seq > afterSeq, true, limit);
}

function scanBlocks(db: Db, p: Plan, zones: Iterable<Zone>, beyondCursor: (seq: number) => boolean, ascending: boolean, limit: number): StoredRow[] {
  const reader = blockReaderFor(db);
  const out: StoredRow[] = [];
  for (const zone of zones) {
    const block = reader.block({ first_seq: zone.firstSeq, head_hash: zone.headHash });
    const records = block.records;
    for (let k = 0; k < records.length; k++) {
      const r = records[ascending ? k : records.length - 1 - k]!;
      if (!beyondCursor(r.seq) || !inTime(p, r.time) || r.sourceId === p.hiddenSource) continue;
      out.push(storedRow(block, r));
      if (out.length >= limit) return out;
    }
  }
  return out;
}

function byPostings(db: Db, p: Plan, beforeSeq: number, limit: number): StoredRow[] {
  const streams = p.postings.map(([dim, key]) => new PostingStream(db, dim, key, beforeSeq));
  return readMatches(db, p, intersectDescending(streams), limit);
}

function byPostingsAscending(db: Db, p: Plan, afterSeq: number, limit: number): StoredRow[] {
  const streams = p.postings.map(([dim, key]) => new AscendingPostingStream(db, dim, key, afterSeq));
  return readMatches(db, p, intersectAscending(streams), limit);
}

/** The events of the seqs the postings matched, in their order, kept when they pass the time range and hideOwn. */
function readMatches(db: Db, p: Plan, seqs: Iterable<number>, limit: number): StoredRow[] {
  const reader = blockReaderFor(db);
  const timed = p.since !== null || p.until !== null;
  const zones = timed ? ChunkZones.load(db) : null;
  const out: StoredRow[] = [];
  for (const seq of seqs) {
    const verdict = zones ? zones.timeVerdict(seq, p.since, p.until) : 'inside';
    if (verdict === 'outside') continue;
    const found = reader.event(seq);
    if (!found || (verdict === 'partial' && !inTime(p, found.record.time)) || found.record.sourceId === p.hiddenSource) continue;
    out.push(storedRow(found.block, found.record));
    if (out.length >= limit) break;
  }
  return out;
}

export function countEvents(db: Db, filter: EventFilter): number {
  const p = plan(db, filter);
  if (p.empty) return 0;
  if (p.hiddenSource !== null) {
    const { hideOwn: _hidden, ...all } = filter;
    // Another source named: none of its events is Attest's own.
    if (filter.source !== undefined) return countEvents(db, all);
    return countEvents(db, all) - countEvents(db, { ...all, source: SELF_AUDIT_SOURCE });
  }
  const timed = p.since !== null || p.until !== null;
  if (p.postings.length === 0) {
    if (!timed) return db.prepare<[], { n: number }>('SELECT coalesce(sum(count), 0) AS n FROM event_blocks').get()?.n ?? 0;
    // Whole blocks inside the range count from the zone map; only straddling blocks are read.
    const reader = blockReaderFor(db);
    let n = 0;
    for (const zone of ChunkZones.load(db).overlappingDescending(p.since ?? Number.MIN_SAFE_INTEGER, p.until ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)) {
      if (inTime(p, zone.minTime) && inTime(p, zone.maxTime)) {
        n += zone.count;
        continue;
      }
      for (const r of reader.block({ first_seq: zone.firstSeq, head_hash: zone.headHash }).records) if (inTime(p, r.time)) n++;
    }
    return n;
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
  const reader = blockReaderFor(db);
  let n = 0;
  for (const seq of intersectDescending(streams)) {
    const verdict = zones ? zones.timeVerdict(seq, p.since, p.until) : 'inside';
    if (verdict === 'inside') n++;
    else if (verdict === 'partial') {
      const found = reader.event(seq);
      if (found && inTime(p, found.record.time)) n++;
    }
  }
  return n;
}

export function getEvent(db: Db, seq: number): EventDetail {
  const found = blockReaderFor(db).event(seq);
  if (!found) throw new AttestError('NOT_FOUND', `There is no event ${seq} in this vault.`);
  const { block, record } = found;
  const row = storedRow(block, record);
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(row.event);
  } catch {
    parsed = null;
  }
  const event = CanonicalEventSchema.safeParse(parsed);
  if (!event.success) throw new AttestError('TAMPERED', `Event ${seq} cannot be read: its stored content is not a valid event. Run a chain verification.`);
  const raw = block.raw(record);
  const signedPart = block.signedPart(record);
  const envelope = signedPart
    ? db.prepare<[Buffer], { records: number; bytes: number }>('SELECT records, length(jws) AS bytes FROM signed_envelopes WHERE sha256 = ?').get(signedPart.jwsSha256)
    : undefined;
  const signature = eventSignature(db, record.batchId, raw, signedPart?.jwsSha256 ?? null);
  return {
    row: toEventRow(row, sourceNames(db)),
    event: event.data,
    rawBase64: raw.toString('base64'),
    rawText: new TextDecoder('utf-8', { fatal: false }).decode(raw),
    hash: block.hash(record).toString('hex'),
    fingerprint: BigInt.asUintN(64, block.fingerprint(record)).toString(16).padStart(16, '0'),
    ...(signedPart
      ? { signedBatch: { jwsSha256: signedPart.jwsSha256.toString('hex'), recordIndex: signedPart.index, records: envelope?.records ?? null, jwsBytes: envelope?.bytes ?? null } }
      : {}),
    ...(signature !== undefined ? { signature } : {}),
  };
}
