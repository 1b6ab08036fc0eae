import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../../electron/core/vault/database';
import { EventLog, type NewEvent } from '../../../../electron/core/chain/event-log';
import { ensureSource } from '../../../../electron/core/chain/self-audit';
import { DIM } from '../../../../electron/core/chain/dimensions';
import { ChunkPostingsBuilder, decodePostings } from '../../../../electron/core/chain/postings-codec';
import { verifyChain } from '../../../../electron/core/chain/verify';
import { createTestVault, makeEvent, newEvent, type TestVault } from './vault-fixture';
import { openWithEventsTable } from './stored-events';
import { buildVerifyWorker } from './verify-worker-build';

let vault: TestVault;
beforeEach(() => {
  vault = createTestVault();
});
afterEach(() => vault.cleanup());
let worker: Awaited<ReturnType<typeof buildVerifyWorker>>;
beforeAll(async () => {
  worker = await buildVerifyWorker();
});
afterAll(() => worker.dispose());

/** Two appended chunks (1-30, 31-60); every third event fails; even events carry a uid beside the name. */
function seed(db: Db): void {
  const sourceId = ensureSource(db, 'okta');
  const log = new EventLog(db);
  for (const from of [0, 30]) {
    const items = Array.from({ length: 30 }, (_, k) => {
      const i = from + k;
      return newEvent(i, sourceId, from === 0 ? 1 : 2, { statusId: i % 3 === 0 ? 2 : 1, ...(i % 2 === 0 ? { uid: `uid-${i % 4}` } : {}) });
    });
    db.transaction(() => log.appendChunk(items)).immediate();
  }
}

/** A chunk's list of one dimension as key -> seqs, and a writer for an edited one (re-encoded as the log does). */
function readLists(db: Db, firstSeq: number, dim: number): Map<number, number[]> {
  const blob = db.prepare('SELECT keys FROM postings WHERE first_seq = ? AND dim = ?').pluck().get(firstSeq, dim) as Buffer;
  const n = blob.readUInt32BE(0);
  const head = 4 + n * 12;
  const lists = new Map<number, number[]>();
  let start = 0;
  for (let k = 0; k < n; k++) {
    const key = Number(blob.readBigInt64BE(4 + k * 12));
    const end = blob.readUInt32BE(4 + k * 12 + 8);
    lists.set(key, decodePostings(firstSeq, blob.subarray(head + start, head + end)));
    start = end;
  }
  return lists;
}

function writeLists(db: Db, firstSeq: number, dim: number, lists: Map<number, number[]>): void {
  const builder = new ChunkPostingsBuilder(firstSeq);
  for (const [key, seqs] of lists) for (const seq of seqs) builder.add(key, seq);
  db.prepare('UPDATE postings SET keys = ? WHERE first_seq = ? AND dim = ?').run(builder.toBuffer(), firstSeq, dim);
}

function editLists(db: Db, firstSeq: number, dim: number, edit: (lists: Map<number, number[]>) => void): void {
  const lists = readLists(db, firstSeq, dim);
  edit(lists);
  writeLists(db, firstSeq, dim, lists);
}

const actorOf = (db: Db, seq: number) => db.prepare('SELECT actor_id FROM events WHERE seq = ?').pluck().get(seq) as number;
const ipOf = (db: Db, seq: number) => db.prepare('SELECT ip_id FROM events WHERE seq = ?').pluck().get(seq) as number;
const remove = (list: number[] | undefined, seq: number) => list?.splice(list.indexOf(seq), 1);

describe('verify checks the search index (postings) against the chained events', () => {
  it('accepts the index as written, lists re-encoded unchanged included', async () => {
    seed(vault.db);
    for (const dim of [DIM.actor, DIM.ip, DIM.classUid, DIM.statusId, DIM.source, DIM.batch]) editLists(vault.db, 31, dim, () => undefined);
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true, count: 60 });
  });

  const tamperings: [string, (db: Db) => void, RegExp, number | null][] = [
    ['an event removed from its actor\'s list', (db) => editLists(db, 31, DIM.actor, (l) => remove(l.get(actorOf(db, 40)), 40)), /actor index of events 31–60 no longer matches them/, 31],
    ['an event moved to another IP\'s list', (db) => editLists(db, 1, DIM.ip, (l) => {
      remove(l.get(ipOf(db, 5)), 5);
      l.get(ipOf(db, 6))!.push(5);
      l.get(ipOf(db, 6))!.sort((a, b) => a - b);
    }), /IP index of events 1–30/, 1],
    ['a failure relabelled as a success in the outcome lists', (db) => editLists(db, 1, DIM.statusId, (l) => {
      remove(l.get(2), 1);
      l.get(1)!.unshift(1);
    }), /outcome index of events 1–30/, 1],
    ['a whole list of a chunk deleted', (db) => db.prepare('DELETE FROM postings WHERE first_seq = 31 AND dim = ?').run(DIM.classUid), /class index of events 31–60/, 31],
    ['a chunk\'s lists deleted (its events unsearchable)', (db) => db.prepare('DELETE FROM postings WHERE first_seq = 31').run(), /Event 31 is missing from the search index|index of events 1–60/, 1],
    ['a list added for a chunk that does not exist', (db) => db.prepare('INSERT INTO postings (first_seq, dim, keys) SELECT 45, dim, keys FROM postings WHERE first_seq = 31 AND dim = ?').run(DIM.source), /index of events 31–44/, 31],
    ['a list for events after the last one', (db) => db.prepare('INSERT INTO postings (first_seq, dim, keys) SELECT 61, dim, keys FROM postings WHERE first_seq = 31 AND dim = ?').run(DIM.source), /search index holds 1 list for events that are not in the log/, null],
    ['an event listed under an IP entry as its uid', (db) => editLists(db, 1, DIM.actor, (l) => l.set(ipOf(db, 3), [3])), /event 3 under an actor it does not name/, 1],
    ['a list of an unknown kind', (db) => db.prepare('INSERT INTO postings (first_seq, dim, keys) SELECT 1, 9, keys FROM postings WHERE first_seq = 1 AND dim = ?').run(DIM.source), /list of an unknown kind/, 1],
    ['a malformed list', (db) => db.prepare("UPDATE postings SET keys = x'0000000500' WHERE first_seq = 1 AND dim = ?").run(DIM.batch), /search index of events 1–30 was altered \(a truncated list\)/, 1],
    // Review finding: a key past 32 bits used to fold onto a chosen 32-bit key whatever the secrets.
    ['an event moved to a key past 32 bits chosen to fold onto its own', (db) => editLists(db, 1, DIM.ip, (l) => {
      const ip = ipOf(db, 5);
      remove(l.get(ip), 5);
      l.set(4294967296 + ((ip ^ 0x9e3779b1) >>> 0), [5]);
    }), /IP index of events 1–30/, 1],
    ['an event moved to an outcome key that is not a safe integer', (db) => editLists(db, 1, DIM.statusId, (l) => {
      remove(l.get(2), 1);
      l.set(2 ** 60, [1]);
    }), /search index of events 1–30 was altered \(a malformed list\)/, 1],
  ];
  it.each(tamperings)('catches %s', async (_name, tamper, message, seq) => {
    seed(vault.db);
    tamper(vault.db);
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: seq });
    expect(report.problem).toMatch(message);
  });

  it('catches lists filed under a chunk no run reads (first_seq 0), which filters would still use', async () => {
    seed(vault.db);
    vault.db.prepare('INSERT INTO postings (first_seq, dim, keys) SELECT 0, dim, keys FROM postings WHERE first_seq = 1 AND dim = ?').run(DIM.statusId);
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: null });
    expect(report.problem).toMatch(/search index holds 1 list for events that are not in the log/);
  });

  it('leaves the connection usable when a check cannot even start (its table is gone)', async () => {
    seed(vault.db);
    vault.db.exec('DROP TABLE postings');
    expect((await verifyChain({ db: vault.db })).ok).toBe(false);
    // Review finding: the blocks statement stayed open and every later write failed as "busy".
    expect(() => vault.db.prepare("INSERT INTO meta (key, value) VALUES ('after-verify', 'x')").run()).not.toThrow();
  });
});

describe('uid entries, which the chain cannot tie to their ids', () => {
  it('catches two uid entries swapped (values and first events) so a search by uid shows someone else\'s events', async () => {
    // Review finding: both entries passed the dictionary check, since it never tied a uid entry's id to
    // its event; the event's own uid posting does.
    const { db } = vault;
    const sourceId = ensureSource(db, 'okta');
    const log = new EventLog(db);
    const at = (i: number, user: { name?: string; uid?: string }): NewEvent => {
      const event = makeEvent(i);
      event.actor = { user };
      return { event, raw: Buffer.from(`raw ${i}`), fp: BigInt(i + 1) * 7919n, sourceId, batchId: 1 };
    };
    db.transaction(() => log.appendChunk([at(1, { name: 'Bob Smith', uid: 'bob' }), at(2, { uid: 'bob' }), at(3, { name: 'alice', uid: 'u1' })])).immediate();
    expect(await verifyChain({ db })).toMatchObject({ ok: true });
    const entry = (value: string) => db.prepare('SELECT id, first_seq FROM dim_values WHERE kind = 1 AND value = ?').get(value) as { id: number; first_seq: number };
    const bob = entry('bob');
    const u1 = entry('u1');
    db.prepare("UPDATE dim_values SET value = 'swap' WHERE id = ?").run(bob.id);
    db.prepare("UPDATE dim_values SET value = 'bob', first_seq = ? WHERE id = ?").run(bob.first_seq, u1.id);
    db.prepare("UPDATE dim_values SET value = 'u1', first_seq = ? WHERE id = ?").run(u1.first_seq, bob.id);
    const report = await verifyChain({ db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 1 });
    expect(report.problem).toMatch(/uid or e-mail entry \d+ is not listed under event 1/);
  });

  describe('e-mail entries (an Okta login beside the display name and id)', () => {
    type User = { name?: string; uid?: string; email_addr?: string };
    function append(users: User[]): Db {
      const { db } = vault;
      const sourceId = ensureSource(db, 'okta');
      const log = new EventLog(db);
      const items = users.map((user, i): NewEvent => {
        const event = makeEvent(i + 1);
        event.actor = { user };
        return { event, raw: Buffer.from(`raw ${i + 1}`), fp: BigInt(i + 1) * 7919n, sourceId, batchId: 1 };
      });
      db.transaction(() => log.appendChunk(items)).immediate();
      return db;
    }
    const entry = (db: Db, value: string) => db.prepare('SELECT id, first_seq FROM dim_values WHERE kind = 1 AND value = ?').get(value) as { id: number; first_seq: number };

    it('verifies an actor with name, uid and e-mail, and one known by e-mail alone', async () => {
      const db = append([{ name: 'John Doe', uid: '00u1', email_addr: 'john@example.com' }, { email_addr: 'solo@example.com' }, { name: 'Jane', email_addr: 'Jane' }]);
      expect(await verifyChain({ db })).toMatchObject({ ok: true, count: 3 });
      // Each value is listed under its events: the name's id is the record's; the others beside it.
      const lists = readLists(db, 1, DIM.actor);
      expect(lists.get(entry(db, 'john@example.com').id)).toEqual([1]);
      expect(lists.get(entry(db, '00u1').id)).toEqual([1]);
      expect(lists.get(entry(db, 'solo@example.com').id)).toEqual([2]);
      expect(lists.get(entry(db, 'Jane').id)).toEqual([3]);
    });

    it('catches an e-mail posting removed from the event it was inserted with', async () => {
      const db = append([{ name: 'John Doe', uid: '00u1', email_addr: 'john@example.com' }]);
      const email = entry(db, 'john@example.com');
      editLists(db, 1, DIM.actor, (l) => l.delete(email.id));
      const report = await verifyChain({ db });
      expect(report).toMatchObject({ ok: false, firstBadSeq: 1 });
      expect(report.problem).toMatch(/uid or e-mail entry \d+ is not listed under event 1/);
    });

    it('catches two e-mail entries swapped, so a search by e-mail shows someone else\'s events', async () => {
      const db = append([{ name: 'John Doe', uid: '00u1', email_addr: 'john@example.com' }, { name: 'Mary Major', uid: '00u2', email_addr: 'mary@example.com' }]);
      const john = entry(db, 'john@example.com');
      const mary = entry(db, 'mary@example.com');
      db.prepare("UPDATE dim_values SET value = 'swap' WHERE id = ?").run(john.id);
      db.prepare("UPDATE dim_values SET value = 'john@example.com', first_seq = ? WHERE id = ?").run(john.first_seq, mary.id);
      db.prepare("UPDATE dim_values SET value = 'mary@example.com', first_seq = ? WHERE id = ?").run(mary.first_seq, john.id);
      expect(await verifyChain({ db })).toMatchObject({ ok: false, firstBadSeq: 1 });
    });

    it('refuses a third actor listed beside an event\'s name, uid and e-mail', async () => {
      const db = append([{ name: 'John Doe', uid: '00u1', email_addr: 'john@example.com' }, { name: 'Mallory' }]);
      const mallory = entry(db, 'Mallory');
      editLists(db, 1, DIM.actor, (l) => l.get(mallory.id)!.unshift(1));
      const report = await verifyChain({ db });
      expect(report).toMatchObject({ ok: false, firstBadSeq: 1 });
      expect(report.problem).toMatch(/event 1 under an actor it does not name/);
    });
  });
});

describe('verify of the search index and counts across threads', () => {
  it('splits where a chunk ends, and each thread reports what one thread would', async () => {
    seed(vault.db);
    const threaded = () => verifyChain({ db: vault.db, key: vault.key, cipher: 'aegis' }, { workerScript: worker.script, threads: 2, minEventsPerThread: 1 });
    expect(await threaded()).toMatchObject({ ok: true, count: 60 });
    editLists(vault.db, 31, DIM.actor, (l) => remove(l.get(actorOf(vault.db, 50)), 50));
    const single = await verifyChain({ db: vault.db });
    expect(single).toMatchObject({ ok: false, firstBadSeq: 31 });
    expect({ ...(await threaded()), ms: 0 }).toEqual({ ...single, ms: 0 });
    editLists(vault.db, 31, DIM.actor, (l) => l.get(actorOf(vault.db, 50))!.push(50) && l.get(actorOf(vault.db, 50))!.sort((a, b) => a - b));
    vault.db.prepare('UPDATE event_summary SET n = n + 1 WHERE dim = 0 AND minute = (SELECT max(minute) FROM event_summary WHERE dim = 0) AND outcome = 0').run();
    const charts = await verifyChain({ db: vault.db });
    expect(charts.problem).toMatch(/per-minute counts were altered/);
    expect({ ...(await threaded()), ms: 0 }).toEqual({ ...charts, ms: 0 });
  });
});

describe('verify while an import commits', () => {
  it('reads one snapshot: a chunk committed meanwhile by another connection is not reported as tampering', async () => {
    // Review finding: the app can verify while an import runs, and reported the new chunk's index entries.
    seed(vault.db);
    const sourceId = ensureSource(vault.db, 'okta');
    const pending = verifyChain({ db: vault.db, file: vault.file, key: vault.key, cipher: 'aegis' }, { workerScript: worker.script, threads: 2, minEventsPerThread: 1 });
    const importer = openWithEventsTable(vault.file, vault.key, 'aegis');
    try {
      const log = new EventLog(importer);
      importer.transaction(() => log.appendChunk(Array.from({ length: 10 }, (_, k) => newEvent(100 + k, sourceId, 3, { statusId: 2 })))).immediate();
    } finally {
      importer.close();
    }
    expect(await pending).toMatchObject({ ok: true, problem: null, headSeq: 60 });
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true, headSeq: 70 });
  });
});

describe('verify checks the Overview\'s per-minute counts against the chained events', () => {
  const tamperings: [string, string][] = [
    ['a per-minute total lowered', 'UPDATE event_summary SET n = n - 1 WHERE dim = 0 AND rowid = rowid AND minute = (SELECT min(minute) FROM event_summary WHERE dim = 0) AND outcome = 0'],
    ['an actor\'s failures of a minute deleted', `DELETE FROM event_summary WHERE dim = ${DIM.actor} AND minute = (SELECT min(minute) FROM event_summary WHERE dim = ${DIM.actor})`],
    ['failures added for an IP that had none', `INSERT INTO event_summary (dim, outcome, minute, key_id, n) SELECT ${DIM.ip}, 1, minute, 999999, 3 FROM event_summary LIMIT 1`],
    // Review finding: rows of kinds the writer never makes used to alias other rows' counts.
    ['a failure total moved to a row of an impossible outcome', `INSERT INTO event_summary (dim, outcome, minute, key_id, n) SELECT 1, -3, minute, 0, n FROM event_summary WHERE dim = 0 AND outcome = 1 LIMIT 1`],
    ['per-IP failures moved to an unknown outcome', `UPDATE event_summary SET dim = 1, outcome = 5 WHERE dim = ${DIM.ip}`],
  ];
  it.each(tamperings)('catches %s', async (_name, sql) => {
    seed(vault.db);
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true });
    expect(vault.db.prepare(sql.replace(' AND rowid = rowid', '')).run().changes).toBeGreaterThan(0);
    const report = await verifyChain({ db: vault.db });
    expect(report).toMatchObject({ ok: false, firstBadSeq: null });
    expect(report.problem).toMatch(/Overview's per-minute counts were altered/);
  });
});
