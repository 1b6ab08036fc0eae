import type { Db } from '../vault/database';
import type { CanonicalEvent } from '../../../shared/domain/canonical-event';
import { AttestError } from '../../../shared/result';
import { GENESIS_HASH, type ChainRecord } from './chain-record';
import { BlockBuilder, blockInserter } from './event-block';
import { DIM, DimensionCache, sourceIp } from './dimensions';
import { ChunkPostingsBuilder } from './postings-codec';
import { SUMMARY_UPSERT_SQL, SummaryTally, writeSummaryTally } from './summary-tally';
import { serialiseEvent } from './event-json';
import { EnvelopeWriter, type SignedEnvelope } from './signed-envelope';
import { ownSourceId } from './own-source';
import type { NumberedValues } from './import-dimensions';

/**
 * An event already reduced to what the log stores, e.g. by the import's parse thread: its stored JSON
 * (serialiseEvent) and the columns and dictionary values taken from it.
 */
export interface PreparedEvent {
  /** The stored JSON: a string, or its UTF-8 bytes (as the parse thread hands them over), or null when
   * it is byte for byte the raw record (stored once: a version 2 record, chain-record.ts). */
  json: string | Buffer | null;
  time: number;
  classUid: number;
  activityId: number;
  statusId: number;
  severityId: number;
  actorName: string | null;
  actorUid: string | null;
  ip: string | null;
  /** Searchable like the name and uid (a login by e-mail). */
  actorEmail: string | null;
  /**
   * From the import's parse thread: the four values above as numbers of `dims` (name, uid, IP, e-mail at
   * refs[refAt..refAt+3], -1 for none) instead of strings, which are then null.
   */
  dims?: NumberedValues;
  refs?: Int32Array;
  refAt?: number;
  /** Set when serialisation refused the event: appending it throws this, as serialiseEvent would have. */
  refusal?: string;
}

/** One event to append: a canonical event object, or the same already prepared (then `event` is null). */
export interface NewEvent {
  event: CanonicalEvent | null;
  prepared?: PreparedEvent;
  raw: Buffer;
  /** 64-bit fingerprint (dedup key together with event.time, or with dedupTime). */
  fp: bigint;
  /** fp's signed high and unsigned low 32 bits, when the caller has them (the parse thread does). */
  fpHi?: number;
  fpLo?: number;
  /**
   * The dedup key's time when the event's time rests on an assumption (ParseOutcome.dedupTimes): the
   * same record read under another year, zone or assigned time must still be a duplicate.
   */
  dedupTime?: number;
  sourceId: number;
  batchId: number | null;
  /**
   * Set for a record of a signed batch: raw is then the record itself, and the JWS is stored once
   * (signed-envelope.ts) and named in the chain (a version 3 record).
   */
  signed?: { envelope: SignedEnvelope; index: number };
}

export interface AppendResult {
  inserted: number;
  duplicates: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** Indexes into the appended items that were duplicates (already stored, or repeated in the chunk). */
  duplicateIndexes: number[];
}

export interface ChainHead {
  seq: number;
  hash: Buffer;
}

/**
 * The append side of the tamper-evident event log. One instance per connection: it caches dictionary
 * ids. Each appendChunk checks every event's dedup key (time, fp) in event_keys (a duplicate takes no seq
 * and does not advance the chain), packs the new events into blocks (event-block.ts: one row per up to
 * BLOCK_MAX_EVENTS events, hashed as they are packed), then once per chunk writes the postings lists and
 * the summary counts.
 */
export class EventLog {
  private readonly dims: DimensionCache;
  private readonly builder = new BlockBuilder();
  private readonly insertKey;
  private readonly hasKey;
  private readonly insertBlock;
  private readonly selectHead;
  private readonly insertPosting;
  private readonly upsertSummary;
  private readonly envelopes: EnvelopeWriter;
  private ownSource: number | null = null;

  constructor(private readonly db: Db) {
    this.dims = new DimensionCache(db);
    this.envelopes = new EnvelopeWriter(db);
    this.insertKey = db.prepare('INSERT OR IGNORE INTO event_keys (time, fp) VALUES (?, ?)');
    this.hasKey = db.prepare<[number, bigint], unknown>('SELECT 1 FROM event_keys WHERE time = ? AND fp = ?');
    this.insertBlock = blockInserter(db);
    this.selectHead = db.prepare<[], { seq: number; hash: Buffer }>(
      'SELECT last_seq AS seq, head_hash AS hash FROM event_blocks ORDER BY first_seq DESC LIMIT 1',
    );
    this.insertPosting = db.prepare('INSERT INTO postings (first_seq, dim, keys) VALUES (?, ?, ?)');
    this.upsertSummary = db.prepare(SUMMARY_UPSERT_SQL);
  }

  head(): ChainHead {
    return readHead(this.selectHead.get());
  }

  /** The id of Attest's own source (its audit events are counted apart for the Overview), once it exists. */
  private ownSourceId(): number | null {
    // Source rows are never renumbered: once found, it is kept.
    this.ownSource ??= ownSourceId(this.db);
    return this.ownSource;
  }

  /** Caller holds an open write transaction (BEGIN IMMEDIATE) — the chain head is read inside it. */
  appendChunk(items: NewEvent[]): AppendResult {
    if (!this.db.inTransaction) {
      throw new AttestError('INTERNAL', 'Events can only be appended inside a write transaction.');
    }
    this.dims.validate();
    this.envelopes.reset();
    const head = this.head();
    const chunkFirst = head.seq + 1;
    let seq = head.seq;
    const duplicateIndexes: number[] = [];
    const postings = new ChunkPostings(chunkFirst);
    const summary = new SummaryTally();
    const ownSource = this.ownSourceId();
    const builder = this.builder;
    builder.reset(head.hash);

    // One mutable record for the whole chunk: the builder copies it out immediately (fewer allocations).
    const record: ChainRecord = {
      seq: 0, time: 0, fpHi: 0, fpLo: 0, classUid: 0, activityId: 0, statusId: 0, severityId: 0,
      actorId: null, ipId: null, sourceId: 0, batchId: null, event: '', raw: GENESIS_HASH,
    };
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const p = item.prepared ?? prepareEvent(item.event);
      if (p.refusal !== undefined) throw new TypeError(p.refusal);
      if (!Number.isSafeInteger(p.time)) throw new RangeError('A chained integer column is not a safe integer.');
      // Halves given with the fingerprint come from a signed 64-bit value: no need to wrap it.
      const stored = item.fpHi !== undefined ? item.fp : BigInt.asIntN(64, item.fp);
      const dedupTime = item.dedupTime;
      // Keyed by its time as stored before dedupTime existed too: a record imported then is still known.
      const known = dedupTime !== undefined && dedupTime !== p.time && this.hasKey.get(p.time, stored) !== undefined;
      if (known || this.insertKey.run(dedupTime ?? p.time, stored).changes === 0) {
        duplicateIndexes.push(i);
        continue;
      }
      // New values are stored with the seq this event is about to get (their first use).
      let name: number | null, uid: number | null, email: number | null, ipId: number | null;
      const numbered = p.dims;
      if (numbered !== undefined) {
        const refs = p.refs!;
        const at = p.refAt!;
        // In the same order as the strings below: new dictionary rows get the same ids either way.
        name = numbered.idOf(this.dims, refs[at]!, seq + 1);
        uid = numbered.idOf(this.dims, refs[at + 1]!, seq + 1);
        email = numbered.idOf(this.dims, refs[at + 3]!, seq + 1);
        ipId = numbered.idOf(this.dims, refs[at + 2]!, seq + 1);
      } else {
        name = p.actorName !== null ? this.dims.idOf(DIM.actor, p.actorName, seq + 1) : null;
        uid = p.actorUid !== null ? this.dims.idOf(DIM.actor, p.actorUid, seq + 1) : null;
        email = p.actorEmail !== null ? this.dims.idOf(DIM.actor, p.actorEmail, seq + 1) : null;
        ipId = p.ip === null ? null : this.dims.idOf(DIM.ip, p.ip, seq + 1);
      }
      if (builder.full) {
        const prev = this.writeBlock();
        builder.reset(prev);
      }
      seq++;
      record.seq = seq;
      record.time = p.time;
      record.fpHi = item.fpHi ?? Number(stored >> 32n);
      record.fpLo = item.fpLo ?? Number(stored & 0xffffffffn);
      record.classUid = p.classUid;
      record.activityId = p.activityId;
      record.statusId = p.statusId;
      record.severityId = p.severityId;
      record.actorId = name ?? uid ?? email;
      record.ipId = ipId;
      record.sourceId = item.sourceId;
      record.batchId = item.batchId;
      // The stored bytes ARE the hashed bytes (chain-record.ts): serialised once (serialiseEvent);
      // verification never re-serialises.
      record.event = p.json ?? item.raw;
      record.raw = item.raw;
      const signed = item.signed;
      if (signed !== undefined) {
        this.envelopes.store(signed.envelope);
        record.signedPart = { jwsSha256: signed.envelope.sha256, index: signed.index };
      } else record.signedPart = undefined;
      builder.append(record);
      if (name !== null) postings.add(DIM.actor, name, seq);
      if (uid !== null && uid !== name) postings.add(DIM.actor, uid, seq);
      if (email !== null && email !== name && email !== uid) postings.add(DIM.actor, email, seq);
      if (ipId !== null) postings.add(DIM.ip, ipId, seq);
      postings.add(DIM.classUid, record.classUid, seq);
      postings.add(DIM.statusId, record.statusId, seq);
      postings.add(DIM.source, record.sourceId, seq);
      if (record.batchId !== null) postings.add(DIM.batch, record.batchId, seq);
      summary.add(record.time, record.statusId, record.actorId, ipId, ownSource !== null && item.sourceId === ownSource);
    }

    const inserted = seq - head.seq;
    if (inserted > 0) {
      if (builder.count > 0) this.writeBlock();
      postings.write(this.insertPosting);
      writeSummaryTally(this.upsertSummary, summary.data());
    }
    return {
      inserted,
      duplicates: duplicateIndexes.length,
      firstSeq: inserted > 0 ? chunkFirst : null,
      lastSeq: inserted > 0 ? seq : null,
      duplicateIndexes,
    };
  }

  /** Stores the builder's block; returns its last hash. */
  private writeBlock(): Buffer {
    const b = this.builder.build();
    this.insertBlock(b);
    return b.headHash;
  }
}

/** The chain head from the last block row (seq 0 and the genesis hash for an empty log). */
export function chainHead(db: Db): ChainHead {
  return readHead(
    db.prepare<[], { seq: number; hash: Buffer }>('SELECT last_seq AS seq, head_hash AS hash FROM event_blocks ORDER BY first_seq DESC LIMIT 1').get(),
  );
}

function readHead(row: { seq: number; hash: Buffer } | undefined): ChainHead {
  return row ? { seq: row.seq, hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
}

interface RunnableStatement {
  run(...params: unknown[]): unknown;
}

/** The stored form of a canonical event (what the parse thread computes off the writing thread). */
export function prepareEvent(event: CanonicalEvent | null): PreparedEvent {
  if (event === null) throw new TypeError('An event to append has neither an event nor its prepared form.');
  const user = event.actor?.user;
  return {
    json: serialiseEvent(event),
    time: event.time,
    classUid: event.class_uid,
    activityId: event.activity_id,
    statusId: event.status_id,
    severityId: event.severity_id,
    actorName: user?.name ? user.name : null,
    actorUid: user?.uid ? user.uid : null,
    ip: sourceIp(event),
    actorEmail: user?.email_addr ? user.email_addr : null,
  };
}

/** The postings of one chunk: one blob per dimension present (postings-codec.ts). */
class ChunkPostings {
  private readonly byDim: Array<ChunkPostingsBuilder | undefined> = [];

  constructor(private readonly chunkFirst: number) {}

  add(dim: number, key: number, seq: number): void {
    let builder = this.byDim[dim];
    if (builder === undefined) {
      builder = new ChunkPostingsBuilder(this.chunkFirst);
      this.byDim[dim] = builder;
    }
    builder.add(key, seq);
  }

  write(statement: RunnableStatement): void {
    for (let dim = 0; dim < this.byDim.length; dim++) {
      const builder = this.byDim[dim];
      if (builder !== undefined && !builder.isEmpty) statement.run(this.chunkFirst, dim, builder.toBuffer());
    }
  }
}
