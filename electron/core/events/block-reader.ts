import type { Db } from '../vault/database';
import { AttestError } from '../../../shared/result';
import { BlockFormatError, DecodedBlock, type EventRecord } from '../chain/event-block';
import type { StoredRow } from './event-rows';

/** Decoded blocks kept per connection: a page of the explorer reads one or two, a filter walks many. */
const CACHED_BLOCKS = 8;

interface BlockMeta {
  first_seq: number;
  last_seq: number;
  head_hash: Buffer;
}

/** One event located in its block. */
export interface LocatedEvent {
  block: DecodedBlock;
  record: EventRecord;
}

/**
 * Reads events out of event_blocks by seq, decoding each block once and keeping the last few. A block
 * row is immutable once committed; the cache key includes its head hash, so a block rewritten after a
 * rolled-back append (same first seq, other events) is never served stale.
 */
export class BlockReader {
  private readonly cache = new Map<string, DecodedBlock>();
  private readonly locate;
  private readonly loadData;

  constructor(db: Db) {
    this.locate = db.prepare<[number], BlockMeta>(
      'SELECT first_seq, last_seq, head_hash FROM event_blocks WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1',
    );
    this.loadData = db.prepare<[number], { data: unknown }>('SELECT data FROM event_blocks WHERE first_seq = ?');
  }

  /** The event with this seq, or null when the log has none. */
  event(seq: number): LocatedEvent | null {
    const meta = this.locate.get(seq);
    if (!meta || seq > meta.last_seq) return null;
    const block = this.block(meta);
    const record = block.record(seq);
    return record ? { block, record } : null;
  }

  /** The decoded block of a zone (first seq and head hash from event_blocks). */
  block(meta: { first_seq: number; head_hash: Buffer }): DecodedBlock {
    const key = `${meta.first_seq}:${Buffer.isBuffer(meta.head_hash) ? meta.head_hash.toString('hex') : ''}`;
    const cached = this.cache.get(key);
    if (cached) {
      // Most recently used last: Map keeps insertion order.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const row = this.loadData.get(meta.first_seq);
    let block: DecodedBlock;
    try {
      if (!row || !Buffer.isBuffer(row.data)) throw new BlockFormatError('not a blob');
      block = new DecodedBlock(row.data, meta.first_seq);
    } catch (err) {
      if (!(err instanceof BlockFormatError)) throw err;
      throw new AttestError('TAMPERED', `The events from ${meta.first_seq} on cannot be read: their stored block is malformed. Run a chain verification.`);
    }
    this.cache.set(key, block);
    if (this.cache.size > CACHED_BLOCKS) this.cache.delete(this.cache.keys().next().value as string);
    return block;
  }
}

const readers = new WeakMap<Db, BlockReader>();

/** The connection's reader, shared so its cache serves consecutive pages. */
export function blockReaderFor(db: Db): BlockReader {
  let reader = readers.get(db);
  if (!reader) {
    reader = new BlockReader(db);
    readers.set(db, reader);
  }
  return reader;
}

/** The explorer's view of a record. */
export function storedRow(block: DecodedBlock, r: EventRecord): StoredRow {
  return {
    seq: r.seq,
    time: r.time,
    class_uid: r.classUid,
    activity_id: r.activityId,
    status_id: r.statusId,
    severity_id: r.severityId,
    source_id: r.sourceId,
    batch_id: r.batchId,
    event: block.eventJson(r),
  };
}
