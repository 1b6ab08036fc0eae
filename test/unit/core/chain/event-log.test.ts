import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { EventLog } from '../../../../electron/core/chain/event-log';
import { appendSelfAuditEvent, ensureSource } from '../../../../electron/core/chain/self-audit';
import { ChainHasher, GENESIS_HASH, splitFingerprint } from '../../../../electron/core/chain/chain-record';
import { serialiseEvent } from '../../../../electron/core/chain/event-json';
import { signedEnvelope } from '../../../../electron/core/chain/signed-envelope';
import { DecodedBlock } from '../../../../electron/core/chain/event-block';
import { decodePostings, findPostings } from '../../../../electron/core/chain/postings-codec';
import { verifyChain } from '../../../../electron/core/chain/verify';
import { createTestVault, makeEvent, newEvent, type TestVault } from './vault-fixture';

let vault: TestVault;
beforeEach(() => {
  vault = createTestVault();
});
afterEach(() => vault.cleanup());

describe('EventLog.appendChunk', () => {
  it('keys an event whose time rests on an assumption by its dedupTime, and still knows one keyed by its time before', () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'syslog');
    const log = new EventLog(db);
    const append = (items: ReturnType<typeof newEvent>[]) => db.transaction(() => log.appendChunk(items)).immediate();
    // The same record (same fingerprint) read under two years: one event, whatever time it was given.
    const a = newEvent(0, sourceId, 1);
    const dedupTime = Date.UTC(2000, 9, 20, 8);
    expect(append([{ ...a, dedupTime }]).inserted).toBe(1);
    const laterYear = { ...a, event: { ...a.event!, time: a.event!.time + 365 * 86_400_000 }, dedupTime };
    expect(append([laterYear])).toMatchObject({ inserted: 0, duplicates: 1 });
    // Stored before dedup times existed (keyed by its own time), then read again with one: a duplicate.
    const b = newEvent(1, sourceId, 1);
    expect(append([b]).inserted).toBe(1);
    expect(append([{ ...b, dedupTime: Date.UTC(2000, 0, 5) }])).toMatchObject({ inserted: 0, duplicates: 1 });
    // Another record with the same dedup time is its own event.
    expect(append([{ ...newEvent(2, sourceId, 1), dedupTime }]).inserted).toBe(1);
  });

  it('numbers events from 1 and chains SHA-256(prev || canonical bytes) from 32 zero bytes', () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'okta');
    const log = new EventLog(db);
    const items = [0, 1, 2].map((i) => newEvent(i, sourceId, 7));
    const result = db.transaction(() => log.appendChunk(items)).immediate();
    expect(result).toEqual({ inserted: 3, duplicates: 0, firstSeq: 1, lastSeq: 3, duplicateIndexes: [] });

    // Recompute seq 1 by hand from the documented layout.
    const row = db.prepare('SELECT * FROM events WHERE seq = 1').get() as Record<string, unknown>;
    // The stored event JSON is the event, serialised once; those stored bytes are what the chain hashes.
    const json = serialiseEvent(items[0]!.event!);
    expect(row.event).toBe(json);
    expect(JSON.parse(json)).toEqual(items[0]!.event!);
    const { fpHi, fpLo, stored } = splitFingerprint(items[0]!.fp);
    expect(BigInt(db.prepare('SELECT fp FROM events WHERE seq = 1').safeIntegers(true).pluck().get() as bigint)).toBe(stored);
    const header = Buffer.alloc(1 + 8 * 3 + 8 * 4);
    header[0] = 1;
    header.writeBigInt64BE(1n, 1);
    header.writeBigInt64BE(BigInt(items[0]!.event!.time), 9);
    header.writeInt32BE(fpHi, 17);
    header.writeUInt32BE(fpLo, 21);
    header.writeBigInt64BE(3002n, 25);
    header.writeBigInt64BE(1n, 33);
    header.writeBigInt64BE(1n, 41);
    header.writeBigInt64BE(1n, 49);
    const opt = (v: number | null) => {
      if (v === null) return Buffer.from([0]);
      const b = Buffer.alloc(9);
      b[0] = 1;
      b.writeBigInt64BE(BigInt(v), 1);
      return b;
    };
    const i64 = (v: number) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(BigInt(v));
      return b;
    };
    const u32 = (v: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(v);
      return b;
    };
    const eventBytes = Buffer.from(json, 'utf8');
    const canonical = Buffer.concat([
      header, opt(row.actor_id as number), opt(row.ip_id as number), i64(sourceId), opt(7),
      u32(eventBytes.length), eventBytes, u32(items[0]!.raw.length), items[0]!.raw,
    ]);
    const expected = createHash('sha256').update(GENESIS_HASH).update(canonical).digest();
    expect(Buffer.compare(row.hash as Buffer, expected)).toBe(0);
    expect(log.head().seq).toBe(3);

    const hasher = new ChainHasher();
    expect(hasher.canonicalBytes({
      seq: 1, time: items[0]!.event!.time, fpHi, fpLo, classUid: 3002, activityId: 1, statusId: 1, severityId: 1,
      actorId: row.actor_id as number, ipId: row.ip_id as number, sourceId, batchId: 7, event: eventBytes, raw: items[0]!.raw,
    }).equals(canonical)).toBe(true);
  });

  it('stores an event whose raw bytes are its stored JSON once, as a version 2 record hashed by hand', () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'ocsf');
    const log = new EventLog(db);
    const item = newEvent(0, sourceId, null);
    const json = Buffer.from(serialiseEvent(item.event!), 'utf8');
    db.transaction(() => log.appendChunk([{ ...item, raw: json }])).immediate();
    const row = db.prepare('SELECT * FROM events WHERE seq = 1').get() as Record<string, unknown>;
    expect(row.event).toBe(json.toString('utf8'));
    expect((row.raw as Buffer).equals(json)).toBe(true);
    const { fpHi, fpLo } = splitFingerprint(item.fp);
    const hasher = new ChainHasher();
    const v1 = hasher.canonicalBytes({
      seq: 1, time: item.event!.time, fpHi, fpLo, classUid: 3002, activityId: 1, statusId: 1, severityId: 1,
      actorId: row.actor_id as number, ipId: row.ip_id as number, sourceId, batchId: null, event: json, raw: json, version: 1,
    });
    // Version 2 = version 1 with the version byte 2 and without the second length-prefixed copy.
    const v2 = Buffer.concat([Buffer.from([2]), v1.subarray(1, v1.length - 4 - json.length)]);
    expect(v2.subarray(v2.length - json.length).equals(json)).toBe(true);
    const expected = createHash('sha256').update(GENESIS_HASH).update(v2).digest();
    expect(Buffer.compare(row.hash as Buffer, expected)).toBe(0);
    // Forcing a version: 1 keeps both copies, 2 refuses an event that differs from its raw bytes.
    expect(v1[0]).toBe(1);
    expect(() => hasher.canonicalBytes({ ...toRecord(item, sourceId), version: 2 })).toThrow(/version 2/);
  });

  it('chains an event of a signed batch as a version 3 record: version 1 plus its JWS SHA-256 and index', () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'ocsf');
    const log = new EventLog(db);
    const item = newEvent(0, sourceId, null);
    const json = Buffer.from(serialiseEvent(item.event!), 'utf8');
    const envelope = signedEnvelope(Buffer.from('eyJhbGciOiJFZERTQSJ9.e30.c2ln'), 2);
    // Even a record whose bytes equal its JSON stays version 3 (the JWS reference must be hashed).
    db.transaction(() => log.appendChunk([{ ...item, raw: json, signed: { envelope, index: 1 } }])).immediate();
    const row = db.prepare('SELECT * FROM events WHERE seq = 1').get() as Record<string, unknown>;
    const { fpHi, fpLo } = splitFingerprint(item.fp);
    const hasher = new ChainHasher();
    const v1 = hasher.canonicalBytes({
      seq: 1, time: item.event!.time, fpHi, fpLo, classUid: 3002, activityId: 1, statusId: 1, severityId: 1,
      actorId: row.actor_id as number, ipId: row.ip_id as number, sourceId, batchId: null, event: json, raw: json, version: 1,
    });
    const index = Buffer.alloc(4);
    index.writeUInt32BE(1);
    const v3 = Buffer.concat([Buffer.from([3]), v1.subarray(1), envelope.sha256, index]);
    const expected = createHash('sha256').update(GENESIS_HASH).update(v3).digest();
    expect(Buffer.compare(row.hash as Buffer, expected)).toBe(0);
    // The JWS is stored once, and the record names it.
    expect(db.prepare('SELECT sha256, jws, records FROM signed_envelopes').all()).toEqual([{ sha256: envelope.sha256, jws: envelope.jws, records: 2 }]);
    const block = new DecodedBlock(db.prepare('SELECT data FROM event_blocks').pluck().get() as Buffer, 1);
    expect(block.signedPart(block.records[0]!)).toEqual({ jwsSha256: envelope.sha256, index: 1 });
    expect(block.raw(block.records[0]!).equals(json)).toBe(true);
    // A version 3 record is exactly one that names its batch.
    expect(() => hasher.canonicalBytes({ ...toRecord(item, sourceId), version: 3 })).toThrow(/version 3/);
    expect(() => hasher.canonicalBytes({ ...toRecord(item, sourceId), version: 1, signedPart: { jwsSha256: envelope.sha256, index: 0 } })).toThrow(/version 3/);
  });

  it('refuses to append outside a transaction', () => {
    const log = new EventLog(vault.db);
    expect(() => log.appendChunk([newEvent(1, 1, null)])).toThrow(/transaction/);
  });

  it('ignores duplicates without consuming a seq or breaking the chain', async () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'okta');
    const log = new EventLog(db);
    db.transaction(() => log.appendChunk([0, 1, 2].map((i) => newEvent(i, sourceId, 1)))).immediate();
    const again = db
      .transaction(() => log.appendChunk([newEvent(1, sourceId, 2), newEvent(3, sourceId, 2), newEvent(3, sourceId, 2), newEvent(2, sourceId, 2)]))
      .immediate();
    expect(again).toEqual({ inserted: 1, duplicates: 3, firstSeq: 4, lastSeq: 4, duplicateIndexes: [0, 2, 3] });
    const allDup = db.transaction(() => log.appendChunk([newEvent(0, sourceId, 3)])).immediate();
    expect(allDup).toEqual({ inserted: 0, duplicates: 1, firstSeq: null, lastSeq: null, duplicateIndexes: [0] });
    expect(db.prepare('SELECT group_concat(seq) FROM events').pluck().get()).toBe('1,2,3,4');
    expect(db.prepare('SELECT count(*) FROM event_blocks').pluck().get()).toBe(2);
    const report = await verifyChain({ db });
    expect(report).toMatchObject({ ok: true, count: 4, headSeq: 4, firstBadSeq: null });
  });

  it('dictionary-encodes actors and IPs once and writes one postings blob per dimension per chunk', () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'okta');
    const log = new EventLog(db);
    const items = [0, 1, 2, 3, 4, 5].map((i) => newEvent(i, sourceId, 9, { user: i % 2 ? 'alice' : 'bob', uid: i % 2 ? 'u-a' : 'u-b', ip: '192.0.2.1' }));
    db.transaction(() => log.appendChunk(items)).immediate();
    db.transaction(() => log.appendChunk([newEvent(10, sourceId, 9, { user: 'alice', ip: '192.0.2.1' })])).immediate();
    expect(db.prepare("SELECT count(*) FROM dim_values WHERE value IN ('alice','bob','u-a','u-b','192.0.2.1')").pluck().get()).toBe(5);
    const alice = db.prepare("SELECT id FROM dim_values WHERE kind = 1 AND value = 'alice'").pluck().get() as number;
    const bob = db.prepare("SELECT id FROM dim_values WHERE kind = 1 AND value = 'bob'").pluck().get() as number;
    const rows = db.prepare('SELECT first_seq, keys FROM postings WHERE dim = 1 ORDER BY first_seq').all() as { first_seq: number; keys: Buffer }[];
    expect(rows.map((r) => r.first_seq)).toEqual([1, 7]);
    const seqsOf = (key: number) => rows.map((r) => { const list = findPostings(r.keys, key); return list ? decodePostings(r.first_seq, list) : null; });
    expect(seqsOf(alice)).toEqual([[2, 4, 6], [7]]);
    expect(seqsOf(bob)).toEqual([[1, 3, 5], null]);
    expect(seqsOf(987_654)).toEqual([null, null]);
  });

  it('appends self-audit events in their own transaction, never deduplicated, under source "attest"', async () => {
    const { db } = vault;
    const event = makeEvent(1, { user: 'operator' });
    const first = appendSelfAuditEvent(db, event);
    const second = appendSelfAuditEvent(db, event);
    expect([first, second]).toEqual([1, 2]);
    expect(db.prepare('SELECT DISTINCT s.name FROM events e JOIN sources s ON s.id = e.source_id').pluck().all()).toEqual(['attest']);
    const inside = db.transaction(() => appendSelfAuditEvent(db, event)).immediate();
    expect(inside).toBe(3);
    expect(ensureSource(db, 'attest')).toBe(ensureSource(db, 'attest'));
    expect((await verifyChain({ db })).ok).toBe(true);
  });
});

describe('EventLog after a rolled-back chunk', () => {
  it('does not reuse dictionary ids from a transaction that rolled back', () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'okta');
    const log = new EventLog(db);
    expect(() =>
      db.transaction(() => {
        log.appendChunk([newEvent(1, sourceId, 1, { user: 'ghost', ip: '203.0.113.9' })]);
        throw new Error('cancelled import');
      }).immediate(),
    ).toThrow('cancelled import');
    // Another writer takes the freed ids for other values.
    db.prepare("INSERT INTO dim_values (kind, value) VALUES (1, 'someone-else'), (2, '198.18.0.1')").run();
    db.transaction(() => log.appendChunk([newEvent(2, sourceId, 1, { user: 'ghost', ip: '203.0.113.9' })])).immediate();
    const row = db
      .prepare('SELECT a.value AS actor, i.value AS ip FROM events e JOIN dim_values a ON a.id = e.actor_id JOIN dim_values i ON i.id = e.ip_id')
      .get();
    expect(row).toEqual({ actor: 'ghost', ip: '203.0.113.9' });
  });
});

function toRecord(item: ReturnType<typeof newEvent>, sourceId: number) {
  const { fpHi, fpLo } = splitFingerprint(item.fp);
  return {
    seq: 1, time: item.event!.time, fpHi, fpLo, classUid: 3002, activityId: 1, statusId: 1, severityId: 1,
    actorId: null, ipId: null, sourceId, batchId: null, event: serialiseEvent(item.event!), raw: item.raw,
  };
}
