import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Db } from '../../../../electron/core/vault/database';
import { EventLog } from '../../../../electron/core/chain/event-log';
import { ensureSource } from '../../../../electron/core/chain/self-audit';
import { signCheckpoint } from '../../../../electron/core/chain/checkpoint';
import { ChainHasher, GENESIS_HASH, splitFingerprint, type ChainRecord } from '../../../../electron/core/chain/chain-record';
import { DecodedBlock } from '../../../../electron/core/chain/event-block';
import { verifyChain } from '../../../../electron/core/chain/verify';
import { verifyRange } from '../../../../electron/core/chain/verify-range';
import { serialiseEvent } from '../../../../electron/core/chain/event-json';
import { createTestVault, newEvent, type TestVault } from './vault-fixture';
import { readStoredEvents, tamperEvents, writeStoredEvents, type StoredEvent } from './stored-events';
import { buildVerifyWorker } from './verify-worker-build';

let vault: TestVault;
let workerScript: string;
let disposeWorker: () => void;

beforeAll(async () => {
  ({ script: workerScript, dispose: disposeWorker } = await buildVerifyWorker());
});
afterAll(() => disposeWorker());
beforeEach(() => {
  vault = createTestVault();
});
afterEach(() => vault.cleanup());

/** 20 events in two chunks; a checkpoint after the first (seq 10), none after the second. */
async function seed(db: Db, count = 20): Promise<void> {
  const sourceId = ensureSource(db, 'okta');
  const log = new EventLog(db);
  const half = Math.floor(count / 2);
  db.transaction(() => log.appendChunk(Array.from({ length: half }, (_, i) => newEvent(i, sourceId, 1)))).immediate();
  await signCheckpoint(db, 'vault-1', 1_000);
  db.transaction(() => log.appendChunk(Array.from({ length: count - half }, (_, i) => newEvent(half + i, sourceId, 2)))).immediate();
}

const run = (db: Db, sql: string, ...params: unknown[]) => db.prepare(sql).run(...params);

/** Edits the one stored event with this seq (hashes kept, as an attacker who does not re-hash leaves them). */
function tamperEvent(db: Db, seq: number, edit: (row: StoredEvent) => StoredEvent): void {
  tamperEvents(db, (rows) => rows.map((r) => (r.seq === seq ? edit(r) : r)));
}

/** Rewrites the log in blocks of `blockEvents` (hashes kept): a layout with several blocks to tamper with. */
function reblock(db: Db, blockEvents: number, fn: (rows: StoredEvent[]) => StoredEvent[] = (rows) => rows): void {
  writeStoredEvents(db, fn(readStoredEvents(db)), { blockEvents });
}

/** The stored block holding seq, and where its record starts in the block's data. */
function blockOf(db: Db, seq: number): { firstSeq: number; data: Buffer; recordStart: number } {
  const row = db
    .prepare<[number], { first_seq: number; data: Buffer }>('SELECT first_seq, data FROM event_blocks WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1')
    .get(seq);
  if (!row) throw new Error(`no block holds event ${seq}`);
  const record = new DecodedBlock(row.data, row.first_seq).record(seq);
  if (!record) throw new Error(`block ${row.first_seq} does not hold event ${seq}`);
  return { firstSeq: row.first_seq, data: Buffer.from(row.data), recordStart: record.start };
}

describe('verifyChain', () => {
  it('accepts an untouched chain and reports count, head and checkpoints', async () => {
    await seed(vault.db);
    const head = vault.db.prepare('SELECT hash FROM events WHERE seq = 20').pluck().get() as Buffer;
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: true, count: 20, headSeq: 20, headHash: head.toString('hex'), checkpoints: 1, firstBadSeq: null, problem: null });
  });

  it('accepts an empty log', async () => {
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true, count: 0, headSeq: 0, firstBadSeq: null });
  });

  it('accepts a log rewritten into other blocks with the same events and hashes (the layout is not hashed)', async () => {
    await seed(vault.db);
    const before = await verifyChain({ db: vault.db });
    reblock(vault.db, 3);
    expect(vault.db.prepare('SELECT count(*) FROM event_blocks').pluck().get()).toBe(7);
    expect({ ...(await verifyChain({ db: vault.db })), ms: 0 }).toEqual({ ...before, ms: 0 });
  });

  it('catches a renamed actor or IP dictionary entry (searches would hide events) at the first event using it', async () => {
    await seed(vault.db);
    const firstWithActor = vault.db.prepare('SELECT min(seq) FROM events WHERE actor_id IS NOT NULL').pluck().get() as number;
    const actorId = vault.db.prepare('SELECT actor_id FROM events WHERE seq = ?').pluck().get(firstWithActor) as number;
    run(vault.db, "UPDATE dim_values SET value = 'someone-else' WHERE id = ?", actorId);
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: firstWithActor });
    expect(report.problem).toMatch(/actor index disagrees/);

    run(vault.db, 'UPDATE dim_values SET value = ? WHERE id = ?', JSON.parse(vault.db.prepare('SELECT event FROM events WHERE seq = ?').pluck().get(firstWithActor) as string).actor.user.name, actorId);
    expect((await verifyChain({ db: vault.db })).ok).toBe(true);
    const firstWithIp = vault.db.prepare('SELECT min(seq) FROM events WHERE ip_id IS NOT NULL').pluck().get() as number;
    tamperEvent(vault.db, firstWithIp, (r) => ({ ...r, ip_id: null }));
    // ip_id is also hashed, so the chain itself catches this one.
    expect((await verifyChain({ db: vault.db })).firstBadSeq).toBe(firstWithIp);
  });

  describe('the actor/IP dictionary, each entry checked against the event it was inserted with (first_seq)', () => {
    const firstSeqOf = (db: Db, id: number) => db.prepare('SELECT first_seq FROM dim_values WHERE id = ?').pluck().get(id) as number;
    const twoRuns = (db: Db) => {
      const lastSeq = db.prepare('SELECT max(last_seq) FROM event_blocks').pluck().get() as number;
      const runs = readStoredEvents(db);
      const tenth = runs.find((r) => r.seq === 10)!;
      return [
        { fromBlock: 1, toBlock: 1, expectedSeq: 1, prevHashHex: GENESIS_HASH.toString('latin1'), lastSeq: 10 },
        { fromBlock: 11, toBlock: lastSeq, expectedSeq: 11, prevHashHex: tenth.hash.toString('latin1'), lastSeq: Number.MAX_SAFE_INTEGER },
      ];
    };

    it('records each new value with the seq of the event that brought it', async () => {
      await seed(vault.db);
      const rows = vault.db.prepare('SELECT e.seq, e.actor_id, e.ip_id FROM events e ORDER BY e.seq').all() as { seq: number; actor_id: number; ip_id: number }[];
      const first = new Map<number, number>();
      for (const r of rows) for (const id of [r.actor_id, r.ip_id]) if (!first.has(id)) first.set(id, r.seq);
      for (const [id, seq] of first) expect(firstSeqOf(vault.db, id)).toBe(seq);
    });

    it('checks each entry in the run holding its first event only, and catches a rename there', async () => {
      await seed(vault.db);
      reblock(vault.db, 10); // blocks 1-10 and 11-20, one per run
      const [early, late] = twoRuns(vault.db);
      expect(verifyRange(vault.db, early!)).toMatchObject({ firstBadSeq: null, indexProblem: null });
      expect(verifyRange(vault.db, late!)).toMatchObject({ firstBadSeq: null, indexProblem: null });
      // user0..user4 and 10.0.0.0..6 all first appear in 1-10: rename one, only the early run sees it.
      const ipId = vault.db.prepare('SELECT ip_id FROM events WHERE seq = 3').pluck().get() as number;
      run(vault.db, "UPDATE dim_values SET value = '203.0.113.250' WHERE id = ?", ipId);
      expect(verifyRange(vault.db, early!).indexProblem).toMatchObject({ seq: 3, message: expect.stringMatching(/source-IP index disagrees/) });
      expect(verifyRange(vault.db, late!).indexProblem).toBeNull();
      const report = await verifyChain({ db: vault.db });
      expect(report).toMatchObject({ ok: false, firstBadSeq: 3 });
    });

    const tamperings: [string, (db: Db, ids: { actor: number; ip: number }) => void, RegExp][] = [
      ['an entry pointed past the head (so no run checks it)', (db, ids) => run(db, 'UPDATE dim_values SET first_seq = 999 WHERE id = ?', ids.actor), /names no event of the log/],
      ['an entry with no first_seq', (db, ids) => run(db, 'UPDATE dim_values SET first_seq = NULL WHERE id = ?', ids.ip), /names no event of the log/],
      ['an entry pointed at an event that does not carry it', (db, ids) => run(db, 'UPDATE dim_values SET first_seq = 2 WHERE id = ?', ids.actor), /actor index disagrees with event 2/],
      ['an entry re-kinded from IP to actor', (db, ids) => run(db, 'UPDATE dim_values SET kind = 1 WHERE id = ?', ids.ip), /source IP has no entry in the IP index/],
      ['the last entry deleted', (db) => run(db, 'DELETE FROM dim_values WHERE id = (SELECT max(id) FROM dim_values)'), /has no entry in the (actor|IP) index/],
      ['an entry in the middle deleted', (db, ids) => run(db, 'DELETE FROM dim_values WHERE id = ?', ids.actor), /Entries were removed from the actor\/IP index/],
    ];
    it.each(tamperings)('catches %s', async (_name, tamper, message) => {
      await seed(vault.db);
      const ids = vault.db.prepare('SELECT actor_id AS actor, ip_id AS ip FROM events WHERE seq = 1').get() as { actor: number; ip: number };
      tamper(vault.db, ids);
      const report = await verifyChain({ db: vault.db });
      expect(report.ok).toBe(false);
      expect(report.problem).toMatch(message);
    });

    it('accepts an entry moved to a later event carrying the same value (every such event names it)', async () => {
      await seed(vault.db);
      const actorId = vault.db.prepare('SELECT actor_id FROM events WHERE seq = 1').pluck().get() as number; // user0: events 1, 6, 11, 16
      run(vault.db, 'UPDATE dim_values SET first_seq = 16 WHERE id = ?', actorId);
      expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true, count: 20 });
    });

    it('checks a named actor\'s uid entry against the uid of its first event', async () => {
      const sourceId = ensureSource(vault.db, 'okta');
      const log = new EventLog(vault.db);
      vault.db.transaction(() => log.appendChunk([0, 1, 2].map((i) => newEvent(i, sourceId, 1, { uid: `uid-${i}` })))).immediate();
      expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true, count: 3 });
      run(vault.db, "UPDATE dim_values SET value = 'uid-forged' WHERE value = 'uid-1'");
      expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: 2, problem: expect.stringMatching(/actor index disagrees with event 2/) });
    });
  });

  it('catches an edited event JSON at its seq', async () => {
    await seed(vault.db);
    tamperEvent(vault.db, 7, (r) => ({ ...r, event: r.event.replace('login 6', 'login X') }));
    expect(vault.db.prepare('SELECT event FROM events WHERE seq = 7').pluck().get()).toContain('login X');
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 7, count: 6 });
    expect(report.problem).toMatch(/Event 7 does not match its hash/);
  });

  it('catches edited raw bytes at their seq', async () => {
    await seed(vault.db);
    tamperEvent(vault.db, 14, (r) => ({ ...r, raw: Buffer.from('something else') }));
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: 14 });
  });

  const edits: [string, (r: StoredEvent) => StoredEvent][] = [
    ['status_id = 2', (r) => ({ ...r, status_id: 2 })],
    ['time = time + 1', (r) => ({ ...r, time: r.time + 1 })],
    ['class_uid = 1', (r) => ({ ...r, class_uid: 1 })],
    ['severity_id = 5', (r) => ({ ...r, severity_id: 5 })],
    ['activity_id = 2', (r) => ({ ...r, activity_id: 2 })],
    ['source_id = 99', (r) => ({ ...r, source_id: 99 })],
    ['batch_id = NULL', (r) => ({ ...r, batch_id: null })],
    ['fp = fp + 1', (r) => ({ ...r, fp: r.fp + 1n })],
    ['actor_id = NULL', (r) => ({ ...r, actor_id: null })],
    ['ip_id = ip_id + 1', (r) => ({ ...r, ip_id: (r.ip_id ?? 0) + 1 })],
  ];
  it.each(edits)('catches an edited column (%s) at its seq', async (_name, edit) => {
    await seed(vault.db);
    const original = readStoredEvents(vault.db).find((r) => r.seq === 12)!;
    expect(edit(original)).not.toEqual(original); // the edit really changes the row
    tamperEvent(vault.db, 12, edit);
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 12, count: 11 });
    expect(report.problem).toMatch(/Event 12 does not match its hash/);
  });

  // A typed column no longer exists: the nearest thing is a record whose bytes no longer parse.
  const corruptions: [string, (data: Buffer, recordStart: number) => void][] = [
    ['an unknown record version', (data, at) => {
      data[at] = 9;
    }],
    ['an optional-column flag that is neither 0 nor 1', (data, at) => {
      data[at + 57] = 7; // actor_id's flag, right after the fixed columns (chain-record.ts)
    }],
    ['an event length running past the block', (data, at) => {
      const eventLengthAt = at + 57 + 9 + 9 + 8 + 9; // actor, ip, source and batch all present in seeded events
      data.writeUInt32BE(0xffffffff, eventLengthAt);
    }],
  ];
  it.each(corruptions)('catches a stored record with %s as malformed at its seq', async (_name, corrupt) => {
    await seed(vault.db);
    const block = blockOf(vault.db, 3);
    corrupt(block.data, block.recordStart);
    run(vault.db, 'UPDATE event_blocks SET data = ? WHERE first_seq = ?', block.data, block.firstSeq);
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 3, count: 2 });
    expect(report.problem).toMatch(/Event 3 has a malformed column/);
  });

  describe('version 2 records (the event JSON is the raw record, stored once)', () => {
    /** Events 1-10 as in seed; of events 11-20 the even ones arrive as their own canonical JSON. */
    async function seedMixed(db: Db): Promise<void> {
      const sourceId = ensureSource(db, 'ocsf');
      const log = new EventLog(db);
      db.transaction(() => log.appendChunk(Array.from({ length: 10 }, (_, i) => newEvent(i, sourceId, 1)))).immediate();
      const items = Array.from({ length: 10 }, (_, k) => {
        const item = newEvent(10 + k, sourceId, 2);
        return k % 2 === 0 ? { ...item, raw: Buffer.from(serialiseEvent(item.event!), 'utf8') } : item;
      });
      db.transaction(() => log.appendChunk(items)).immediate();
    }

    it('stores an event whose raw bytes are its JSON once, as version 2, and verifies a mixed log', async () => {
      await seedMixed(vault.db);
      const rows = readStoredEvents(vault.db);
      expect(rows.filter((r) => r.version === 2).map((r) => r.seq)).toEqual([11, 13, 15, 17, 19]);
      for (const r of rows.filter((x) => x.version === 2)) expect(r.raw.toString('utf8')).toBe(r.event);
      // One copy: the block holds each version 2 event's bytes once.
      const block = blockOf(vault.db, 11);
      const json = Buffer.from(rows.find((r) => r.seq === 11)!.event, 'utf8');
      expect(block.data.indexOf(json)).toBeGreaterThan(0);
      expect(block.data.indexOf(json, block.data.indexOf(json) + 1)).toBe(-1);
      expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true, count: 20 });
    });

    it('catches an edited version 2 event (JSON and raw are one string) at its seq', async () => {
      await seedMixed(vault.db);
      tamperEvent(vault.db, 13, (r) => {
        const forged = r.event.replace('login 12', 'login Q');
        return { ...r, event: forged, raw: Buffer.from(forged, 'utf8') };
      });
      const report = await verifyChain({ db: vault.db });
      expect(report).toMatchObject({ ok: false, firstBadSeq: 13, count: 12 });
      expect(report.problem).toMatch(/Event 13 does not match its hash/);
    });

    it('catches a version 2 record rewritten as version 1 with the same content at its seq', async () => {
      await seedMixed(vault.db);
      tamperEvent(vault.db, 15, (r) => ({ ...r, version: 1 }));
      expect(readStoredEvents(vault.db).find((r) => r.seq === 15)!.version).toBe(1);
      expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: 15 });
    });

    it('catches a version byte flipped between 1 and 2 as malformed or altered at its seq', async () => {
      await seedMixed(vault.db);
      for (const seq of [12, 17]) {
        const block = blockOf(vault.db, seq);
        block.data[block.recordStart] = block.data[block.recordStart] === 1 ? 2 : 1;
        run(vault.db, 'UPDATE event_blocks SET data = ? WHERE first_seq = ?', block.data, block.firstSeq);
        const report = await verifyChain({ db: vault.db });
        expect(report).toMatchObject({ ok: false, firstBadSeq: seq });
        expect(report.problem).toMatch(new RegExp(`Event ${seq} (has a malformed column|does not match its hash)`));
        block.data[block.recordStart] = block.data[block.recordStart] === 1 ? 2 : 1;
        run(vault.db, 'UPDATE event_blocks SET data = ? WHERE first_seq = ?', block.data, block.firstSeq);
      }
      expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true, count: 20 });
    });
  });

  it('catches a deleted event at its seq (gap)', async () => {
    await seed(vault.db);
    tamperEvents(vault.db, (rows) => rows.filter((r) => r.seq !== 5));
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 5, count: 4 });
    expect(report.problem).toMatch(/missing/);
  });

  it('catches a forged row appended after the head at its seq', async () => {
    await seed(vault.db);
    tamperEvents(vault.db, (rows) => {
      const last = rows[rows.length - 1]!;
      return [...rows, { ...last, seq: 21, time: last.time + 5, fp: last.fp + 1n }];
    });
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: 21, headSeq: 21, count: 20 });
  });

  it('catches a forged row inserted mid-chain (later events renumbered) at its seq', async () => {
    await seed(vault.db);
    tamperEvents(vault.db, (rows) => {
      const renumbered = rows.map((r) => (r.seq >= 8 ? { ...r, seq: r.seq + 1 } : r));
      const model = renumbered.find((r) => r.seq === 9)!;
      // The forger copies the neighbour's hash: the row does not chain from event 7.
      const forged = { ...model, seq: 8, time: model.time - 1, status_id: 2 };
      return [...renumbered, forged].sort((a, b) => a.seq - b.seq);
    });
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: 8, headSeq: 21 });
  });

  it('a forger who recomputes the inserted row\'s hash is caught at the next seq, the first displaced event', async () => {
    await seed(vault.db);
    const { db } = vault;
    tamperEvents(db, (rows) => {
      const renumbered = rows.map((r) => (r.seq >= 15 ? { ...r, seq: r.seq + 1 } : r));
      const model = renumbered.find((r) => r.seq === 16)!;
      const prev = renumbered.find((r) => r.seq === 14)!.hash;
      const forged: StoredEvent = {
        ...model, seq: 15, time: model.time - 1, fp: 123n, class_uid: 3002, activity_id: 1, status_id: 1, severity_id: 1, batch_id: 2,
        event: model.event.replace('login', 'forged'),
      };
      forged.hash = new ChainHasher().next(prev, toChainRecord(forged));
      return [...renumbered, forged].sort((a, b) => a.seq - b.seq);
    });
    expect(await verifyChain({ db })).toMatchObject({ ok: false, firstBadSeq: 16, count: 15 });
  });

  it('catches a chain rewritten consistently from an edited event through a signed checkpoint', async () => {
    await seed(vault.db);
    const { db } = vault;
    tamperEvent(db, 3, (r) => ({ ...r, event: r.event.replace('login 2', 'login Z') }));
    rehashFrom(db, 3);
    expect(db.prepare('SELECT event FROM events WHERE seq = 3').pluck().get()).toContain('login Z');
    const report = await verifyChain({ db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 10 });
    expect(report.problem).toMatch(/checkpoint signed at event 10/);
  });

  it('catches events removed from the end when a checkpoint covered them', async () => {
    await seed(vault.db);
    tamperEvents(vault.db, (rows) => rows.filter((r) => r.seq < 10));
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 10, headSeq: 9 });
    expect(report.problem).toMatch(/Event 10, covered by a signed checkpoint, is missing/);
  });

  it.each([
    ['max_time = max_time - 1'],
    ['min_time = min_time + 1'],
    ['count = count + 1'],
    ['count = count - 1'],
    ['last_seq = last_seq - 1'],
  ])('catches a block whose zone-map columns were altered (%s) at its first seq', async (assignment) => {
    await seed(vault.db);
    reblock(vault.db, 5);
    expect((await verifyChain({ db: vault.db })).ok).toBe(true);
    expect(run(vault.db, `UPDATE event_blocks SET ${assignment} WHERE first_seq = 6`).changes).toBe(1);
    const report = await verifyChain({ db: vault.db });
    // count is not asserted: verify-range.ts counts the block's events as verified before this check (see report).
    expect(report).toMatchObject({ ok: false, firstBadSeq: 6 });
    expect(report.problem).toMatch(/index entry of events 6–10 was altered.*filters could miss them/);
  });

  it.each([[6], [11]])('catches a whole block deleted from the middle (block starting at %i) at the first missing seq', async (firstSeq) => {
    await seed(vault.db);
    reblock(vault.db, 5);
    expect((await verifyChain({ db: vault.db })).ok).toBe(true);
    expect(run(vault.db, 'DELETE FROM event_blocks WHERE first_seq = ?', firstSeq).changes).toBe(1);
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: firstSeq, count: firstSeq - 1, headSeq: 20 });
    expect(report.problem).toMatch(new RegExp(`Event ${firstSeq} is missing`));
  });

  it('catches a block replaced by a copy of an earlier block at its first seq', async () => {
    await seed(vault.db);
    reblock(vault.db, 5);
    // Events 11–15 replaced by a copy of the block of events 6–10, stored under first_seq 11.
    const copy = vault.db.prepare<[], { last_seq: number; min_time: number; max_time: number; count: number; head_hash: Buffer; data: Buffer }>(
      'SELECT last_seq, min_time, max_time, count, head_hash, data FROM event_blocks WHERE first_seq = 6',
    ).get()!;
    run(vault.db, 'DELETE FROM event_blocks WHERE first_seq = 11');
    run(vault.db, 'INSERT INTO event_blocks (first_seq, last_seq, min_time, max_time, count, head_hash, data) VALUES (11, ?, ?, ?, ?, ?, ?)', copy.last_seq, copy.min_time, copy.max_time, copy.count, copy.head_hash, copy.data);
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 11, count: 10 });
    expect(report.problem).toMatch(/Event 11 does not follow the event before it/);
  });

  it('catches an altered duplicate-detection index (event_keys) with no seq to blame', async () => {
    await seed(vault.db);
    expect((await verifyChain({ db: vault.db })).ok).toBe(true);
    expect(run(vault.db, 'DELETE FROM event_keys WHERE (time, fp) = (SELECT time, fp FROM event_keys ORDER BY time LIMIT 1)').changes).toBe(1);
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: null, headSeq: 20 });
    expect(report.problem).toMatch(/duplicate-detection index was altered \(19 keys for 20 events\)/);

    run(vault.db, 'INSERT INTO event_keys (time, fp) VALUES (1, 1), (2, 2)');
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: null });
  });

  it('catches a checkpoint whose signature or content was altered', async () => {
    await seed(vault.db);
    const jws = vault.db.prepare('SELECT jws FROM checkpoints').pluck().get() as string;
    const [h, p, s] = jws.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    payload.time = 2_000;
    run(vault.db, 'UPDATE checkpoints SET jws = ?', `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`);
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 10 });
    expect(report.problem).toMatch(/signature/);
  });

  it('checks checkpoints against a trusted public key when given one', async () => {
    await seed(vault.db);
    const { exportPublicJwk } = await import('../../../../electron/core/chain/checkpoint');
    const genuine = exportPublicJwk(vault.db);
    expect((await verifyChain({ db: vault.db }, { trustedPublicJwk: genuine })).ok).toBe(true);
    // An attacker who replaced the vault's key and re-signed cannot pass the auditor's kept key.
    const { generateKeyPair, exportJWK } = await import('jose');
    const other = await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).publicKey);
    expect(await verifyChain({ db: vault.db }, { trustedPublicJwk: other })).toMatchObject({ ok: false, firstBadSeq: 10 });
    expect((await verifyChain({ db: vault.db }, { vaultId: 'another-vault' })).ok).toBe(false);
  });

  it('splits the work across worker threads with the same result', async () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'okta');
    const log = new EventLog(db);
    // 30,000 events (several verification batches per thread), split across 2 threads.
    for (let c = 0; c < 3; c++) {
      db.transaction(() => log.appendChunk(Array.from({ length: 10_000 }, (_, i) => newEvent(c * 10_000 + i, sourceId, c)))).immediate();
    }
    await signCheckpoint(db, 'vault-1');
    const target = { db, key: vault.key, cipher: 'aegis' as const };
    const threads = { workerScript, threads: 2, minEventsPerThread: 1_000 };
    const single = await verifyChain({ db });
    const threaded = await verifyChain(target, threads);
    expect(single).toMatchObject({ ok: true, count: 30_000 });
    expect({ ...threaded, ms: 0 }).toEqual({ ...single, ms: 0 });

    // Blocks of 1,000 events. Runs end where an appended chunk ends (their postings are checked whole), so
    // the two threads split the chain at the chunk boundary past the halfway cost: 20,000 | 20,001.
    reblock(db, 1_000);
    const both = async () => {
      const one = await verifyChain({ db });
      const two = await verifyChain(target, threads);
      expect({ ...two, ms: 0 }).toEqual({ ...one, ms: 0 });
      return two;
    };
    expect(await both()).toMatchObject({ ok: true, count: 30_000, checkpoints: 1 });
    const blocks = () => db.prepare('SELECT first_seq FROM event_blocks ORDER BY first_seq').pluck().all() as number[];
    expect(blocks()).toContain(20_001);

    reblock(db, 1_000, (rows) => rows.map((r) => (r.seq === 25_001 || r.seq === 28_001 ? { ...r, status_id: 2 } : r)));
    expect(await both()).toMatchObject({ ok: false, firstBadSeq: 25_001, count: 25_000 });
    // A break on the first row of the second thread's range.
    reblock(db, 1_000, (rows) => rows.map((r) => (r.seq === 20_001 ? { ...r, raw: Buffer.from([0]) } : r)));
    expect(blocks()).toContain(20_001);
    expect(await both()).toMatchObject({ ok: false, firstBadSeq: 20_001, count: 20_000 });
    reblock(db, 1_000, (rows) => rows.filter((r) => r.seq !== 9_001));
    expect(await both()).toMatchObject({ ok: false, firstBadSeq: 9_001, count: 9_000 });
  });

  it('threads check each dictionary entry in the run holding its first event, and agree with one thread', async () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'okta');
    const log = new EventLog(db);
    // The first 10,000 events name 5 users; the next 20,000 each name a new one (entries first used late).
    for (let c = 0; c < 3; c++) {
      const items = Array.from({ length: 10_000 }, (_, i) => {
        const n = c * 10_000 + i;
        return newEvent(n, sourceId, c, c === 0 ? {} : { user: `late-${n}` });
      });
      db.transaction(() => log.appendChunk(items)).immediate();
    }
    reblock(db, 1_000);
    const both = () => threadedAgreesWithSingle(db);
    expect(await both()).toMatchObject({ ok: true, count: 30_000 });
    for (const seq of [3, 12_345, 27_001]) {
      const actorId = db.prepare('SELECT actor_id FROM events WHERE seq = ?').pluck().get(seq) as number;
      const value = db.prepare('SELECT value FROM dim_values WHERE id = ?').pluck().get(actorId) as string;
      const first = db.prepare('SELECT first_seq FROM dim_values WHERE id = ?').pluck().get(actorId) as number;
      run(db, "UPDATE dim_values SET value = 'renamed' WHERE id = ?", actorId);
      expect(await both()).toMatchObject({ ok: false, firstBadSeq: first, problem: expect.stringMatching(/actor index disagrees/) });
      run(db, 'UPDATE dim_values SET value = ? WHERE id = ?', value, actorId);
    }
    expect(await both()).toMatchObject({ ok: true, count: 30_000 });
  });

  it('threads agree with one thread on block-level tampering in the second thread\'s range', async () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'okta');
    const log = new EventLog(db);
    // Two appended chunks, 1-2000 and 2001-4000: the threads split where the first ends.
    for (const from of [0, 2_000]) db.transaction(() => log.appendChunk(Array.from({ length: 2_000 }, (_, i) => newEvent(from + i, sourceId, 1)))).immediate();
    reblock(db, 500);
    const both = () => threadedAgreesWithSingle(db);
    expect(await both()).toMatchObject({ ok: true, count: 4_000 });
    // The last block of the first thread's range: its stored head hash is what the second thread starts from.
    run(db, 'UPDATE event_blocks SET head_hash = ? WHERE first_seq = 1501', Buffer.alloc(32, 7));
    expect(await both()).toMatchObject({ ok: false, firstBadSeq: 2_000 });
    expect((await verifyChain({ db })).problem).toMatch(/stored head hash after event 2000/);
    reblock(db, 500);
    run(db, 'UPDATE event_blocks SET max_time = max_time + 1 WHERE first_seq = 3001');
    expect(await both()).toMatchObject({ ok: false, firstBadSeq: 3_001 });
    run(db, 'DELETE FROM event_blocks WHERE first_seq = 2501');
    expect(await both()).toMatchObject({ ok: false, firstBadSeq: 2_501, count: 2_500 });
  });

  it('reports a byte flipped in the middle of a closed vault file as tampering, in one line', async () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'okta');
    const log = new EventLog(db);
    db.transaction(() => log.appendChunk(Array.from({ length: 3_000 }, (_, i) => newEvent(i, sourceId, 1)))).immediate();
    db.close();
    const size = statSync(vault.file).size;
    const fd = openSync(vault.file, 'r+');
    const byte = Buffer.alloc(1);
    const at = Math.floor(size / 2);
    readSync(fd, byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0x01;
    writeSync(fd, byte, 0, 1, at);
    closeSync(fd);
    for (const options of [{}, { workerScript }]) {
      const report = await verifyChain({ file: vault.file, key: vault.key, cipher: 'aegis' }, options);
      expect(report.ok).toBe(false);
      expect(report.problem).toMatch(/altered or damaged/);
      expect(report.problem).not.toMatch(/\n/);
    }
  });
});

/** What an attacker with the key could do: recompute every hash from `from` on. */
function rehashFrom(db: Db, from: number): void {
  const hasher = new ChainHasher();
  tamperEvents(db, (rows) => {
    let prev = rows.find((r) => r.seq === from - 1)?.hash ?? GENESIS_HASH;
    return rows.map((r) => {
      if (r.seq < from) return r;
      prev = hasher.next(prev, toChainRecord(r));
      return { ...r, hash: prev };
    });
  });
}

/** Verifies with one thread and with two (blocks split across workers); both reports must agree. */
async function threadedAgreesWithSingle(db: Db): Promise<Awaited<ReturnType<typeof verifyChain>>> {
  const one = await verifyChain({ db });
  const two = await verifyChain({ db, key: vault.key, cipher: 'aegis' }, { workerScript, threads: 2, minEventsPerThread: 1_000 });
  expect({ ...two, ms: 0 }).toEqual({ ...one, ms: 0 });
  return two;
}

/** A stored row as the chain hashes it (chain-record.ts). */
function toChainRecord(r: StoredEvent): ChainRecord {
  const { fpHi, fpLo } = splitFingerprint(r.fp);
  return {
    seq: r.seq, time: r.time, fpHi, fpLo, classUid: r.class_uid, activityId: r.activity_id, statusId: r.status_id, severityId: r.severity_id,
    actorId: r.actor_id, ipId: r.ip_id, sourceId: r.source_id, batchId: r.batch_id, event: r.event, raw: r.raw, version: r.version,
  };
}
