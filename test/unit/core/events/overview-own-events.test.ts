import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../../../electron/core/chain/event-log';
import { appendSelfAuditEvent, ensureSource } from '../../../../electron/core/chain/self-audit';
import { verifyChain } from '../../../../electron/core/chain/verify';
import { overview } from '../../../../electron/core/events/overview';
import { BASE_TIME, createTestVault, makeEvent, newEvent, type TestVault } from '../chain/vault-fixture';

let vault: TestVault;
beforeEach(() => {
  vault = createTestVault();
});
afterEach(() => vault.cleanup());

const DAY = 24 * 3_600_000;

describe("the Overview keeps Attest's own audit events apart", () => {
  it('charts and ranks the services\' events only, and says how many of its own it left out', async () => {
    const { db } = vault;
    const sourceId = ensureSource(db, 'okta');
    const log = new EventLog(db);
    // A service's failures by alice, on one day...
    const items = Array.from({ length: 30 }, (_, i) => newEvent(i, sourceId, 1, { user: 'alice', ip: '192.0.2.9', statusId: 2 }));
    db.transaction(() => log.appendChunk(items)).immediate();
    // ...and the operator's own failed unlocks and refused imports, a year later (today, for a year-old log).
    for (let i = 0; i < 40; i++) appendSelfAuditEvent(db, makeEvent(100 + i, { user: 'operator', ip: '127.0.0.1', statusId: 2, time: BASE_TIME + 365 * DAY + i * 1000 }));

    const all = overview(db, {});
    expect(all.total).toBe(30);
    expect(all.ownEvents).toBe(40);
    expect(all.topFailingActors).toEqual([{ key: 'alice', count: 30 }]);
    expect(all.topFailingIps).toEqual([{ key: '192.0.2.9', count: 30 }]);
    // The axis spans the services' minute, not a year up to today.
    expect(all.bucketMs).toBe(60_000);
    expect(all.series.reduce((n, p) => n + p.failure, 0)).toBe(30);
    // A period holding only the operator's events: nothing charted, their number said (edges read from blocks too).
    // It starts 0.5 s after the first of them, inside a minute: 39 of the 40.
    const later = overview(db, { since: BASE_TIME + 365 * DAY + 500, until: BASE_TIME + 366 * DAY });
    expect(later).toMatchObject({ total: 0, ownEvents: 39, topFailingActors: [] });
    expect(await verifyChain({ db })).toMatchObject({ ok: true });

    // Their counts are held to the chain like the others.
    db.prepare('UPDATE event_summary SET n = n + 1 WHERE dim = 7 AND minute = (SELECT min(minute) FROM event_summary WHERE dim = 7)').run();
    expect(await verifyChain({ db })).toMatchObject({ ok: false, problem: expect.stringMatching(/Attest's own failed events at .* are recorded as \d+, the chain holds \d+/) });
  });
});
