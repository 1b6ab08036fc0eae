import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventFilter } from '../../../../shared/contract/events';
import { EventLog, type NewEvent } from '../../../../electron/core/chain/event-log';
import { appendSelfAuditEvent, ensureSource } from '../../../../electron/core/chain/self-audit';
import { countEvents, getEvent, overview, queryEvents } from '../../../../electron/core/events/event-query';
import { chooseBucket } from '../../../../electron/core/events/overview';
import { BASE_TIME, createTestVault, makeEvent, newEvent, type TestVault } from '../chain/vault-fixture';

/** What the test expects of each stored event, kept beside the vault for brute-force answers. */
interface Truth {
  seq: number;
  time: number;
  user: string;
  uid: string | null;
  email: string | null;
  ip: string;
  statusId: number;
  classUid: number;
  source: string;
  batchId: number | null;
}

let vault: TestVault;
const truth: Truth[] = [];
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar'];

beforeAll(() => {
  vault = createTestVault();
  const { db } = vault;
  const sources = { okta: ensureSource(db, 'okta'), cloudtrail: ensureSource(db, 'cloudtrail') };
  const log = new EventLog(db);
  let n = 0;
  // 6 chunks; times mostly ascending but chunk 4 is an import of older events (out of seq order).
  const chunkStarts = [0, 400, 800, -5_000, 1200, 1600].map((m) => BASE_TIME + m * 60_000);
  chunkStarts.forEach((start, c) => {
    const source = c % 2 === 0 ? 'okta' : 'cloudtrail';
    const items: NewEvent[] = [];
    for (let i = 0; i < 250; i++) {
      const k = n++;
      const user = USERS[(k * 7) % USERS.length]!;
      const spec = {
        time: start + i * 17_000 + (k % 3) * 1000,
        user,
        uid: k % 4 === 0 ? `uid-${user}` : undefined,
        // Some with an e-mail beside the name, some with name, uid and e-mail.
        email: k % 6 === 0 || k % 7 === 2 ? `${user}@example.com` : undefined,
        ip: `198.51.100.${(k * 13) % 9}`,
        statusId: k % 5 === 0 ? 2 : k % 11 === 0 ? 99 : 1,
        classUid: k % 3 === 0 ? 6003 : 3002,
      };
      items.push(newEvent(k, sources[source], c + 1, spec));
      truth.push({ seq: 0, time: spec.time, user, uid: spec.uid ?? null, email: spec.email ?? null, ip: spec.ip, statusId: spec.statusId, classUid: spec.classUid, source, batchId: c + 1 });
    }
    const result = db.transaction(() => log.appendChunk(items)).immediate();
    let seq = result.firstSeq!;
    for (const t of truth.slice(-250)) t.seq = seq++;
    if (c === 2) {
      // Self-audit events interleave between import chunks.
      const e = makeEvent(9_999, { user: 'operator', ip: '127.0.0.1', time: BASE_TIME + 900 * 60_000 });
      const s = appendSelfAuditEvent(db, e);
      truth.push({ seq: s, time: e.time, user: 'operator', uid: null, email: null, ip: '127.0.0.1', statusId: 1, classUid: 3002, source: 'attest', batchId: null });
    }
  });
});
afterAll(() => vault.cleanup());

function expected(filter: EventFilter): number[] {
  return truth
    .filter((t) =>
      (filter.since === undefined || t.time >= filter.since) &&
      (filter.until === undefined || t.time < filter.until) &&
      (filter.classUid === undefined || t.classUid === filter.classUid) &&
      (filter.statusId === undefined || t.statusId === filter.statusId) &&
      (filter.actor === undefined || t.user === filter.actor || t.uid === filter.actor || t.email === filter.actor) &&
      (filter.ip === undefined || t.ip === filter.ip) &&
      (filter.source === undefined || t.source === filter.source) &&
      (filter.batchId === undefined || t.batchId === filter.batchId) &&
      (filter.hideOwn !== true || t.source !== 'attest'))
    .map((t) => t.seq)
    .sort((a, b) => b - a);
}

/** Pages through the whole result with the keyset cursor. */
function allPages(filter: EventFilter, limit: number): number[] {
  const seqs: number[] = [];
  let beforeSeq: number | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = queryEvents(vault.db, filter, { limit, ...(beforeSeq !== undefined ? { beforeSeq } : {}) });
    seqs.push(...page.rows.map((r) => r.seq));
    if (page.nextBeforeSeq === null) return seqs;
    beforeSeq = page.nextBeforeSeq;
  }
  throw new Error('paging did not end');
}

/** The same, oldest first (afterSeq cursor). */
function allPagesOldest(filter: EventFilter, limit: number): number[] {
  const seqs: number[] = [];
  let afterSeq: number | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = queryEvents(vault.db, filter, { limit, order: 'oldest', ...(afterSeq !== undefined ? { afterSeq } : {}) });
    expect(page.nextBeforeSeq).toBeNull();
    seqs.push(...page.rows.map((r) => r.seq));
    if (page.nextAfterSeq === null) return seqs;
    afterSeq = page.nextAfterSeq;
  }
  throw new Error('paging did not end');
}

const mid = BASE_TIME + 500 * 60_000;
const filters: Array<[string, EventFilter]> = [
  ['no filter', {}],
  ['since', { since: mid }],
  ['until', { until: mid }],
  ['time window', { since: BASE_TIME + 410 * 60_000, until: BASE_TIME + 440 * 60_000 }],
  ['window between imports', { since: mid, until: mid + 3_600_000 }],
  ['old window (out-of-order import)', { since: BASE_TIME - 5_000 * 60_000, until: BASE_TIME - 4_950 * 60_000 }],
  ['classUid', { classUid: 6003 }],
  ['statusId', { statusId: 2 }],
  ['actor by name', { actor: 'mallory' }],
  ['actor by uid', { actor: 'uid-alice' }],
  ['actor by e-mail', { actor: 'carol@example.com' }],
  ['actor by e-mail + status', { actor: 'bob@example.com', statusId: 1 }],
  ['ip', { ip: '198.51.100.4' }],
  ['source', { source: 'cloudtrail' }],
  ['self-audit source', { source: 'attest' }],
  ['batchId', { batchId: 3 }],
  ['actor + status + time', { actor: 'bob', statusId: 2, since: mid }],
  ['ip + class + source + until', { ip: '198.51.100.1', classUid: 3002, source: 'okta', until: mid + 60 * 60_000 }],
  ['hide own', { hideOwn: true }],
  ['hide own + time (the self-audit event inside)', { hideOwn: true, since: BASE_TIME + 800 * 60_000, until: BASE_TIME + 1000 * 60_000 }],
  ['empty: hide own + an actor of own events only', { hideOwn: true, actor: 'operator' }],
  ['hide own + another source', { hideOwn: true, source: 'okta', statusId: 2 }],
  ['unknown: own source while hiding own', { hideOwn: true, source: 'attest' }],
  ['unknown actor', { actor: 'nobody' }],
  ['unknown source', { source: 'nope' }],
  ['empty window', { since: mid, until: mid }],
];

describe('queryEvents and countEvents', () => {
  it.each(filters)('%s: pages newest first and matches a brute-force answer', (name, filter) => {
    const want = expected(filter);
    // A filter case that names stored values must find something, or the comparison proves nothing.
    if (!/^(unknown|empty|window between)/.test(name)) expect(want.length).toBeGreaterThan(0);
    expect(allPages(filter, 37)).toEqual(want);
    expect(allPages(filter, 5000)).toEqual(want);
    expect(countEvents(vault.db, filter)).toBe(want.length);
  });

  it.each(filters)('%s: pages oldest first to the same events in reverse', (_name, filter) => {
    const want = expected(filter).reverse();
    expect(allPagesOldest(filter, 37)).toEqual(want);
    expect(allPagesOldest(filter, 1)).toEqual(want);
    expect(allPagesOldest(filter, 5000)).toEqual(want);
  });

  it('starts oldest first after the cursor, wherever it falls (inside a chunk, between chunks, past the end)', () => {
    const all = expected({ statusId: 2 }).reverse();
    for (const cursor of [0, all[3]!, all[3]! + 1, all[all.length - 2]!, all[all.length - 1]!, Number.MAX_SAFE_INTEGER]) {
      const page = queryEvents(vault.db, { statusId: 2 }, { limit: 5000, order: 'oldest', afterSeq: cursor });
      expect(page.rows.map((r) => r.seq)).toEqual(all.filter((seq) => seq > cursor));
    }
  });

  it('shows what the explorer needs, from the event itself', () => {
    const page = queryEvents(vault.db, { source: 'attest' }, { limit: 10 });
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({ actor: 'operator', ip: '127.0.0.1', operation: 'Login', source: 'attest', batchId: null, message: 'login 9999' });
    expect(page.nextBeforeSeq).toBeNull();
  });

  it('treats hostile filter strings as values, never as SQL', () => {
    expect(queryEvents(vault.db, { actor: "' OR 1=1 --" }, { limit: 10 }).rows).toEqual([]);
    expect(countEvents(vault.db, { source: "okta' --" })).toBe(0);
  });
});

describe('getEvent', () => {
  it('returns the stored event, raw bytes and hash, decoding invalid UTF-8 with replacement', () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'binary');
    const item = newEvent(50_000, sourceId, null, { time: BASE_TIME - 1 });
    item.raw = Buffer.from([0x61, 0xff, 0x62, 0x3c, 0x73, 0x3e]);
    const result = db.transaction(() => new EventLog(db).appendChunk([item])).immediate();
    const detail = getEvent(db, result.firstSeq!);
    expect(detail.rawText).toBe('a\ufffdb<s>');
    expect(Buffer.from(detail.rawBase64, 'base64').equals(item.raw)).toBe(true);
    expect(detail.event).toEqual(item.event);
    expect(detail.fingerprint).toBe(BigInt.asUintN(64, item.fp).toString(16).padStart(16, '0'));
    expect(detail.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.row.source).toBe('binary');
    db.prepare('DELETE FROM event_keys WHERE time = ?').run(item.event!.time);
    db.prepare('DELETE FROM event_blocks WHERE first_seq = ?').run(result.firstSeq);
    db.prepare("DELETE FROM postings WHERE first_seq = ?").run(result.firstSeq);
    db.prepare('DELETE FROM event_summary WHERE minute = ?').run(Math.floor((BASE_TIME - 1) / 60_000));
  });

  it('answers NOT_FOUND for an absent seq', () => {
    expect(() => getEvent(vault.db, 987_654)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('overview', () => {
  function bruteForce(since: number, until: number, bucketMs: number) {
    const rows = vault.db
      // The monitored services' events: Attest's own are counted apart (ownEvents).
      .prepare(`SELECT e.time, e.status_id, a.value AS actor, i.value AS ip FROM events e JOIN sources s ON s.id = e.source_id
                LEFT JOIN dim_values a ON a.id = e.actor_id LEFT JOIN dim_values i ON i.id = e.ip_id WHERE s.name != 'attest' AND e.time >= ? AND e.time < ?`)
      .all(since, until) as { time: number; status_id: number; actor: string | null; ip: string | null }[];
    const series = new Map<number, { success: number; failure: number; other: number }>();
    const actors = new Map<string, number>();
    const ips = new Map<string, number>();
    for (const r of rows) {
      const t = Math.floor(r.time / bucketMs) * bucketMs;
      const s = series.get(t) ?? { success: 0, failure: 0, other: 0 };
      if (r.status_id === 1) s.success++;
      else if (r.status_id === 2) {
        s.failure++;
        if (r.actor) actors.set(r.actor, (actors.get(r.actor) ?? 0) + 1);
        if (r.ip) ips.set(r.ip, (ips.get(r.ip) ?? 0) + 1);
      } else s.other++;
      series.set(t, s);
    }
    const top = (m: Map<string, number>) =>
      [...m].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1)).slice(0, 10);
    return { total: rows.length, series, topFailingActors: top(actors), topFailingIps: top(ips) };
  }

  it.each([
    ['whole range', {}],
    ['unaligned window', { since: mid + 12_345, until: mid + 6 * 3_600_000 + 7 }],
    ['inside one minute', { since: BASE_TIME + 810 * 60_000 + 1_000, until: BASE_TIME + 810 * 60_000 + 50_000 }],
    ['old import window', { since: BASE_TIME - 6_000 * 60_000, until: BASE_TIME }],
  ])('%s equals a brute-force count', (_name, range: { since?: number; until?: number }) => {
    const result = overview(vault.db, range);
    // "All time": the whole minutes of the services' events (today's unlock must not stretch the axis).
    const theirs = truth.filter((t) => t.source !== 'attest').map((t) => t.time);
    const since = range.since ?? Math.floor(Math.min(...theirs) / 60_000) * 60_000;
    const until = range.until ?? (Math.floor(Math.max(...theirs) / 60_000) + 1) * 60_000;
    const own = truth.filter((t) => t.source === 'attest' && t.time >= since && t.time < until).length;
    expect(result.ownEvents).toBe(own);
    expect(result.bucketMs).toBe(chooseBucket(until - since));
    expect(result.series.length).toBeLessThanOrEqual(201);
    const want = bruteForce(since, until, result.bucketMs);
    expect(result.total).toBe(want.total);
    expect(result.total + own).toBe(countEvents(vault.db, range.since === undefined ? {} : range));
    for (const point of result.series) {
      expect(point).toEqual({ t: point.t, ...(want.series.get(point.t) ?? { success: 0, failure: 0, other: 0 }) });
    }
    expect(result.series.reduce((n, p) => n + p.success + p.failure + p.other, 0)).toBe(want.total);
    expect(result.topFailingActors).toEqual(want.topFailingActors);
    expect(result.topFailingIps).toEqual(want.topFailingIps);
    expect(result.total).toBeGreaterThan(0);
    if (range.since === undefined) expect(result.topFailingActors.length).toBe(10);
  });

  it('chooses minute, hour or day buckets so a chart gets at most ~200 points', () => {
    expect(chooseBucket(60 * 60_000)).toBe(60_000);
    expect(chooseBucket(7 * 24 * 3_600_000)).toBe(3_600_000);
    expect(chooseBucket(180 * 24 * 3_600_000)).toBe(24 * 3_600_000);
  });
});
