import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../../../electron/core/ingest/import-file';
import { verifyChain } from '../../../../../electron/core/chain/verify';
import { cloudTrailRecordsLines } from './container-records';
import { createPipelineVault, expectReconciled, NOW, type PipelineVault } from './pipeline-fixture';

let vault: PipelineVault;
beforeEach(() => {
  vault = createPipelineVault();
});
afterEach(() => vault.cleanup());

describe('a record holding many events', () => {
  it('gives each event its own element as raw bytes, not the whole record (CloudTrail Records lines)', async () => {
    // Kept as every event's raw bytes, a line of n events was stored n times: 3 lines of 200 here.
    const { text, records } = cloudTrailRecordsLines(3, 200);
    const file = vault.input('cloudtrail-concatenated.jsonl');
    writeFileSync(file, text);
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ format: 'cloudtrail', read: 600, imported: 600 });
    const raws = (vault.db.prepare('SELECT raw FROM events WHERE batch_id = ? ORDER BY seq').all(s.batchId) as { raw: Buffer }[]).map((r) => r.raw.toString());
    expect(raws).toEqual(records.flat());
    const stored = vault.db.prepare('SELECT sum(length(data)) AS n FROM event_blocks').get() as { n: number };
    expect(stored.n).toBeLessThan(3 * text.length);
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true });
    // The fingerprints are still the record's: the same file again adds nothing.
    const again = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW });
    expect(again).toMatchObject({ read: 600, imported: 0, duplicates: 600 });
  });

  it('does the same for an Okta event hook delivery', async () => {
    const events = [0, 1, 2].map((i) => JSON.stringify({ uuid: `u-${i}`, published: `2026-10-01T10:0${i}:00.000Z`, eventType: 'user.session.start', outcome: { result: 'SUCCESS' }, actor: { id: `00u${i}`, displayName: `User ${i}`, alternateId: `user${i}@example.com` }, client: { ipAddress: `192.0.2.${i + 1}` } }));
    const file = vault.input('hook.json');
    writeFileSync(file, `{"eventType":"com.okta.event_hook","eventTypeVersion":"1.0","data":{"events":[${events.join(',\n  ')}]}}\n`);
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ format: 'okta', read: 3, imported: 3 });
    const raws = (vault.db.prepare('SELECT raw FROM events WHERE batch_id = ? ORDER BY seq').all(s.batchId) as { raw: Buffer }[]).map((r) => r.raw.toString());
    expect(raws).toEqual(events);
  });
});
