import { readdirSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gzipTrailingNote, importFile, type ImportProgress } from '../../../../../electron/core/ingest/import-file';
import { openEncryptedDatabase } from '../../../../../electron/core/vault/database';
import { verifyChain } from '../../../../../electron/core/chain/verify';
import { saveSource } from '../../../../../electron/core/sources/source-store';
import { createPipelineVault, eventCount, expectReconciled, FIXTURES, NOW, ocsfLines, VAULT_ID, type PipelineVault } from './pipeline-fixture';

let vault: PipelineVault;
beforeEach(() => {
  vault = createPipelineVault();
});
afterEach(() => vault.cleanup());

const fixtureFiles = readdirSync(FIXTURES).flatMap((dir) =>
  readdirSync(path.join(FIXTURES, dir))
    .filter((f) => !f.includes('expected'))
    .map((f) => path.join(dir, f)),
);

describe('importFile on the shared fixtures', () => {
  it.each(fixtureFiles)('%s reconciles, and importing it again adds nothing', async (rel) => {
    const file = path.join(FIXTURES, rel);
    const first = await importFile(vault.db, { path: file }, { operator: 'tester', now: NOW, vaultId: VAULT_ID });
    expectReconciled(vault.db, first);
    expect(first.read).toBeGreaterThan(0);
    expect(first.imported).toBeGreaterThan(0);
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    const before = eventCount(vault.db);
    const again = await importFile(vault.db, { path: file }, { operator: 'tester', now: NOW, vaultId: VAULT_ID });
    expectReconciled(vault.db, again);
    expect(again.imported).toBe(0);
    expect(again.duplicates).toBe(first.imported + first.duplicates);
    expect(eventCount(vault.db)).toBe(before);
    expect(again.sha256).toBe(first.sha256);
  });

  it('records each import, and a refused file, as an audit event in the chain, covered by the checkpoint', async () => {
    const file = path.join(FIXTURES, 'syslog/OpenSSH_2k.log');
    const s = await importFile(vault.db, { path: file, name: 'ssh.log' }, { operator: 'alice', now: NOW, vaultId: VAULT_ID });
    const missing = await importFile(vault.db, { path: path.join(vault.dir, 'nope.log') }, { operator: 'alice', now: NOW, vaultId: VAULT_ID });
    expect(missing.error).toBeTruthy();
    const audit = vault.db
      .prepare("SELECT e.seq, e.event FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = 'attest' ORDER BY e.seq")
      .all() as { seq: number; event: string }[];
    const events = audit.map((a) => JSON.parse(a.event) as { class_uid: number; status_id: number; message: string; actor: { user: { name: string } }; api: { operation: string }; unmapped: Record<string, unknown> });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ class_uid: 3004, status_id: 1, actor: { user: { name: 'alice' } }, api: { operation: 'ingest.import' } });
    expect(events[0]!.message).toBe(`Imported ssh.log (syslog): read ${s.read} = imported ${s.imported} + duplicates 0 + quarantined ${s.quarantined}.`);
    expect(events[0]!.unmapped).toMatchObject({ sha256: s.sha256, read: s.read, imported: s.imported });
    expect(events[1]).toMatchObject({ status_id: 2, api: { operation: 'ingest.import' } });
    // The checkpoint signed after the import covers its audit event.
    const checkpointSeq = vault.db.prepare('SELECT max(seq) FROM checkpoints').pluck().get() as number;
    expect(checkpointSeq).toBe(audit[0]!.seq);
  });

  it('records the batch: file, size, hash, format, options, operator, state, seq range', async () => {
    const file = path.join(FIXTURES, 'syslog/OpenSSH_2k.log');
    const s = await importFile(vault.db, { path: file, name: 'ssh.log' }, { operator: 'alice', now: NOW, vaultId: VAULT_ID });
    expectReconciled(vault.db, s);
    const b = vault.db.prepare('SELECT * FROM batches WHERE id = ?').get(s.batchId) as Record<string, unknown>;
    expect(b.file).toBe('ssh.log');
    expect(b.bytes).toBe(readFileSync(file).length);
    expect(b.sha256).toBe(s.sha256);
    expect(b.format).toBe('syslog');
    expect(b.operator).toBe('alice');
    expect(b.state).toBe('done');
    expect(b.first_seq).toBeTypeOf('number');
    expect(b.last_seq).toBeGreaterThanOrEqual(b.first_seq as number);
    const options = JSON.parse(b.options as string) as Record<string, unknown>;
    // No year in the file: inferred from its times (Dec 10, a date still ahead this year, so last year).
    expect(options.syslogYear).toBe(2025);
    expect(options.syslogLastYear).toBe(2025);
    expect(options.syslogZone).toBe('UTC');
    expect(options.syslogYearSource).toBe('inferred');
    // A checkpoint covers the new head.
    const cp = vault.db.prepare('SELECT max(seq) AS seq FROM checkpoints').get() as { seq: number };
    // Signed after the import's own audit event, which follows the batch's last event.
    expect(cp.seq).toBe((b.last_seq as number) + 1);
    // What the parsers assumed is in the summary, as in the batch.
    expect(s.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^year 2025 assumed/), 'time zone UTC assumed: the timestamp has none']));
  });

  it('reads a file whose lines end with a bare CR line by line, says so, and records it', async () => {
    // The real sshd log with classic Mac OS line endings: read with LF lines it was one record, and every
    // event after the first vanished inside that record's message.
    const lf = readFileSync(path.join(FIXTURES, 'syslog/OpenSSH_2k.log'));
    const crFile = path.join(vault.dir, 'ssh-cr.log');
    writeFileSync(crFile, Buffer.from(lf.toString('latin1').replace(/\n/g, '\r'), 'latin1'));
    const expected = await importFile(vault.db, { path: path.join(FIXTURES, 'syslog/OpenSSH_2k.log') }, { operator: 'alice', now: NOW, vaultId: VAULT_ID });
    const s = await importFile(vault.db, { path: crFile }, { operator: 'alice', now: NOW, vaultId: VAULT_ID });
    expectReconciled(vault.db, s);
    expect(s.read).toBe(expected.read);
    expect(s.quarantined).toBe(expected.quarantined);
    expect(s.notes).toContain('lines end with a bare CR (classic Mac OS line endings): each CR was read as the end of a line');
    const options = JSON.parse((vault.db.prepare('SELECT options FROM batches WHERE id = ?').get(s.batchId) as { options: string }).options) as Record<string, unknown>;
    expect(options.lineEnding).toBe('cr');
  });

  it('a file imported before is all duplicates even when read with another year, zone, or in another year', async () => {
    // Dedup is by (time, fingerprint) and RFC 3164 lines carry no year: without the check for an earlier
    // import of the same bytes, each of these re-imports stored the 2,000 events again.
    const file = path.join(FIXTURES, 'syslog/OpenSSH_2k.log');
    const first = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, vaultId: VAULT_ID, syslogYear: 2025 });
    const stored = eventCount(vault.db);
    for (const opts of [{ syslogYear: 2024 }, { syslogZone: '+05:00' }, { now: NOW + 365 * 86_400_000 }]) {
      const again = await importFile(vault.db, { path: file, name: 'ssh-again.log' }, { operator: 'o', now: NOW, vaultId: VAULT_ID, ...opts });
      expectReconciled(vault.db, again);
      expect(again).toMatchObject({ read: first.read, imported: 0, duplicates: first.read, quarantined: 0, sha256: first.sha256, error: null });
      expect(again.notes?.[0]).toMatch(new RegExp(`^identical to batch ${first.batchId} \\(imported on \\d{4}-\\d{2}-\\d{2} from this source\\)`));
      expect(eventCount(vault.db)).toBe(stored);
    }
    // The shortcut batches are chained like any import, and the vault verifies.
    expect((await verifyChain({ db: vault.db })).ok).toBe(true);
  });

  it("refuses an import under Attest's own source name, so nothing can pass for its audit events", async () => {
    const file = path.join(FIXTURES, 'syslog/OpenSSH_2k.log');
    for (const source of ['attest', 'Attest', 'at\u200btest', ' attest']) {
      const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, vaultId: VAULT_ID, source });
      expect(s.error, source).toMatch(/reserved for Attest's own audit events|zero-width|space/);
      expect(s).toMatchObject({ imported: 0, batchId: null });
    }
    // Every event under the source "attest" is one of Attest's own: none carries a batch.
    const imported = vault.db.prepare("SELECT count(*) AS n FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = 'attest' AND e.batch_id IS NOT NULL").get() as { n: number };
    expect(imported.n).toBe(0);
  });

  it('an identical re-import says how many of its records are in quarantine, not in the log', async () => {
    const file = vault.input('mixed.jsonl');
    writeFileSync(file, ocsfLines(3) + '{"broken": \n' + 'not json at all\n');
    const first = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, vaultId: VAULT_ID });
    expect(first).toMatchObject({ read: 5, imported: 3, quarantined: 2 });
    const again = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, vaultId: VAULT_ID });
    expectReconciled(vault.db, again);
    expect(again).toMatchObject({ read: 5, imported: 0, duplicates: 5, quarantined: 0 });
    expect(again.notes?.[0]).toContain('(2 of them in quarantine, not in the log)');
    expect(again.notes?.[0]).toContain(`attest quarantine retry --batch ${first.batchId}`);
  });

  it('the same CSV rows under a header with columns swapped are other events, not duplicates', async () => {
    const rows = '2026-11-01T10:00:00Z,192.0.2.1,192.0.2.2,alice\n2026-11-01T10:05:00Z,192.0.2.3,192.0.2.4,bob\n';
    const a = vault.input('a.csv');
    const b = vault.input('b-swapped.csv');
    writeFileSync(a, 'time,src_ip,dst_ip,user\n' + rows);
    writeFileSync(b, 'time,dst_ip,src_ip,user\n' + rows);
    const first = await importFile(vault.db, { path: a }, { operator: 'o', now: NOW });
    const second = await importFile(vault.db, { path: b }, { operator: 'o', now: NOW });
    expectReconciled(vault.db, second);
    expect(first).toMatchObject({ format: 'csv', read: 2, imported: 2 });
    expect(second).toMatchObject({ format: 'csv', read: 2, imported: 2, duplicates: 0 });
    // Each file again adds nothing (also when not byte-identical to what came before: a row appended).
    writeFileSync(b, 'time,dst_ip,src_ip,user\n' + rows + '2026-11-01T10:09:00Z,192.0.2.5,192.0.2.6,carol\n');
    expect(await importFile(vault.db, { path: b }, { operator: 'o', now: NOW })).toMatchObject({ read: 3, imported: 1, duplicates: 2 });
  });

  it('a CSV no column of which reads as the time names the source its mapping goes under, and that saved mapping applies with no source named', async () => {
    // probe8: the refusal said "Set a CSV mapping for this source" with no source named, and a mapping then saved
    // for the source the file is recorded under ("csv") was not used unless the source or format was typed.
    const file = vault.input('export.csv');
    writeFileSync(file, 'When,Who,From\n2026-11-01T10:00:00Z,alice,192.0.2.1\n2026-11-01T10:01:00Z,bob,192.0.2.2\n');
    const refused = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, vaultId: VAULT_ID });
    expect(refused.error).toContain('source “csv”');
    expect(refused.error).toContain('attest sources set csv --csv-map time=COLUMN');
    expect(refused.error).toContain('Settings › Sources');
    expect(refused.error).toContain('columns: When, Who, From');
    expect(refused.csvMappingSource).toBe('csv'); // the screen links Settings › Sources with it
    saveSource(vault.db, { name: 'csv', csvMapping: { time: 'When', 'actor.user.name': 'Who', 'src_endpoint.ip': 'From' } });
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, vaultId: VAULT_ID });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ format: 'csv', read: 2, imported: 2, quarantined: 0 });
    // A source named keeps its own mapping (none here): the same refusal names that source.
    const named = await importFile(vault.db, { path: file, name: 'again.csv' }, { operator: 'o', now: NOW, vaultId: VAULT_ID, source: 'hr-export' });
    expect(named.error).toContain('source “hr-export”');
    expect(named.csvMappingSource).toBe('hr-export');
  });

  it('a saved CSV mapping whose time column the file lacks is named, not a mapping to save (probe10)', async () => {
    saveSource(vault.db, { name: 'csv', csvMapping: { time: 'when_it_happened', 'actor.user.name': 'who' } });
    const file = vault.input('notime.csv');
    writeFileSync(file, 'who,from_ip,what\nalice,10.1.1.1,login\n');
    const refused = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, vaultId: VAULT_ID });
    expect(refused.error).toContain('column "when_it_happened" (for time) is not in the header');
    expect(refused.error).toContain('Change the CSV mapping saved for source “csv”');
    expect(refused.error).not.toContain('no column is mapped');
  });

  it('a file of the same size but other bytes is imported as usual', async () => {
    const a = vault.input('a.jsonl');
    const b = vault.input('b.jsonl');
    writeFileSync(a, ocsfLines(5, 0));
    writeFileSync(b, ocsfLines(5, 5));
    expect(statSync(a).size).toBe(statSync(b).size);
    await importFile(vault.db, { path: a }, { operator: 'o', now: NOW });
    const s = await importFile(vault.db, { path: b }, { operator: 'o', now: NOW });
    expect(s).toMatchObject({ read: 5, imported: 5, duplicates: 0 });
    expect(s.notes).toBeUndefined();
  });

  it('takes the year and zone given for this import over the defaults, says so, and records it', async () => {
    const file = path.join(FIXTURES, 'syslog/OpenSSH_2k.log');
    const s = await importFile(vault.db, { path: file }, { operator: 'alice', now: NOW, syslogYear: 2015, syslogZone: 'Asia/Shanghai' });
    expectReconciled(vault.db, s);
    expect(s.notes).toEqual(['year 2015 given for this import (the timestamp has none)', 'time zone Asia/Shanghai given for this import (the timestamp has none)']);
    const options = JSON.parse((vault.db.prepare('SELECT options FROM batches WHERE id = ?').get(s.batchId) as { options: string }).options) as Record<string, unknown>;
    expect(options).toMatchObject({ syslogYear: 2015, syslogYearSource: 'option', syslogZone: 'Asia/Shanghai', syslogZoneSource: 'option' });
    // The file's first line, "Dec 10 06:55:46", at UTC+8 in 2015.
    const first = vault.db.prepare("SELECT min(e.time) AS t FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name != 'attest'").get() as { t: number };
    expect(first.t).toBe(Date.UTC(2015, 11, 9, 22, 55, 46));
    // Its dedup key holds what the line says (no year, no zone), so read under another year it is a duplicate.
    expect(vault.db.prepare('SELECT min(time) FROM event_keys').pluck().get()).toBe(Date.UTC(2000, 11, 10, 6, 55, 46));
  });
});

describe('durability', () => {
  it('moves a finished import out of the write-ahead log into the vault file', async () => {
    // In vault.sqlite-wal one flipped byte makes SQLite drop every later frame without a word, so a
    // finished import (and the checkpoint signed over it) must not live only there.
    const file = vault.input('a.jsonl');
    writeFileSync(file, ocsfLines(5000));
    const s = await importFile(vault.db, { path: file }, { operator: 't', now: NOW, vaultId: VAULT_ID });
    expect(s.imported).toBe(5000);
    expect(statSync(`${vault.file}-wal`).size).toBe(0);
  });

  it('does not wait for a reader holding an old snapshot before it can fold the log', async () => {
    // TRUNCATE waits out the busy timeout while any reader holds a snapshot (a verify running): with 30 s
    // here, an import that waited would overrun this test's 15 s limit by far (it takes well under one).
    const first = vault.input('before.jsonl');
    writeFileSync(first, ocsfLines(3000));
    await importFile(vault.db, { path: first }, { operator: 't', now: NOW });
    // A write the log holds, and a reader part-way through the blocks, as verify is.
    vault.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('test', 'in the log')").run();
    const reader = openEncryptedDatabase(vault.file, vault.key, 'aegis', { readonly: true });
    const blocks = reader.prepare('SELECT data FROM event_blocks').iterate();
    try {
      blocks.next();
      vault.db.pragma('busy_timeout = 30000');
      const file = vault.input('during-verify.jsonl');
      writeFileSync(file, ocsfLines(50, 9000));
      const s = await importFile(vault.db, { path: file }, { operator: 't', now: NOW, vaultId: VAULT_ID });
      expect(s).toMatchObject({ imported: 50, error: null });
      expect(vault.db.pragma('busy_timeout', { simple: true })).toBe(30000);
    } finally {
      blocks.return?.();
      reader.close();
    }
  }, 15_000);
});

describe('idempotence', () => {
  it('keeps genuinely repeated identical lines, and dedups them on re-import', async () => {
    const line = ocsfLines(1);
    const file = vault.input('repeat.jsonl');
    writeFileSync(file, line + line + line + ocsfLines(2, 1));
    const s = await importFile(vault.db, { path: file }, { operator: 't', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ read: 5, imported: 5, duplicates: 0, quarantined: 0 });
    const again = await importFile(vault.db, { path: file }, { operator: 't', now: NOW });
    expect(again).toMatchObject({ read: 5, imported: 0, duplicates: 5 });
  });

  it('an overlapping file adds only its new records', async () => {
    const a = vault.input('a.jsonl');
    const b = vault.input('b.jsonl');
    writeFileSync(a, ocsfLines(1000, 0));
    writeFileSync(b, ocsfLines(1000, 600)); // 400 overlap, 600 new
    const first = await importFile(vault.db, { path: a }, { operator: 't', now: NOW, chunkEvents: 128 });
    expectReconciled(vault.db, first);
    const second = await importFile(vault.db, { path: b }, { operator: 't', now: NOW, chunkEvents: 128 });
    expectReconciled(vault.db, second);
    expect(second).toMatchObject({ read: 1000, imported: 600, duplicates: 400, quarantined: 0 });
    expect(eventCount(vault.db)).toBe(1600);
  });

  it('the same record under another source name is a different event', async () => {
    const file = vault.input('x.jsonl');
    writeFileSync(file, ocsfLines(10));
    await importFile(vault.db, { path: file }, { operator: 't', now: NOW, source: 'one' });
    const other = await importFile(vault.db, { path: file }, { operator: 't', now: NOW, source: 'two' });
    expect(other.imported).toBe(10);
  });
});

describe('progress and cancel', () => {
  it('reports progress at most every interval and a final state', async () => {
    const file = vault.input('p.jsonl');
    writeFileSync(file, ocsfLines(20_000));
    const seen: ImportProgress[] = [];
    const s = await importFile(vault.db, { path: file }, { operator: 't', now: NOW, onProgress: (p) => seen.push(p), progressIntervalMs: 0 });
    expectReconciled(vault.db, s);
    expect(seen.length).toBeGreaterThan(1);
    const last = seen[seen.length - 1]!;
    expect(last.state).toBe('done');
    expect(last.events).toBe(20_000);
    expect(last.bytesRead).toBe(last.bytesTotal);
    for (const p of seen) expect(p.bytesRead).toBeLessThanOrEqual(p.bytesTotal);
  });

  it('by default reports at most ~10 times a second', async () => {
    const file = vault.input('rate.jsonl');
    writeFileSync(file, ocsfLines(20_000));
    const times: number[] = [];
    const s = await importFile(vault.db, { path: file }, { operator: 't', now: NOW, onProgress: () => times.push(Date.now()) });
    expectReconciled(vault.db, s);
    const running = times.slice(0, -1); // the last one is the final state
    for (let i = 1; i < running.length; i++) expect(running[i]! - running[i - 1]!).toBeGreaterThanOrEqual(100);
  });

  it('cancel lands between chunks and keeps what was committed', async () => {
    const file = vault.input('c.jsonl');
    writeFileSync(file, ocsfLines(5000));
    let chunks = 0;
    const signal = {
      get aborted() {
        return ++chunks > 3; // checked once before reading and after every chunk
      },
    };
    const s = await importFile(vault.db, { path: file }, { operator: 't', now: NOW, chunkEvents: 500, signal });
    expectReconciled(vault.db, s);
    expect(s.cancelled).toBe(true);
    expect(s.imported).toBe(1500); // three chunks of 500 committed before the fourth check
    const b = vault.db.prepare('SELECT state FROM batches WHERE id = ?').get(s.batchId) as { state: string };
    expect(b.state).toBe('cancelled');
    const rest = await importFile(vault.db, { path: file }, { operator: 't', now: NOW });
    expect(rest).toMatchObject({ read: 5000, imported: 3500, duplicates: 1500 });
  });

  it('marks a batch a dead process left running as interrupted', async () => {
    vault.db.prepare("INSERT INTO sources (name, created_at) VALUES ('s', 0)").run();
    vault.db
      .prepare("INSERT INTO batches (source_id, file, bytes, sha256, format, options, operator, started_at, state) VALUES (1, 'f', 0, '', 'ocsf', '{}', 'o', 0, 'running')")
      .run();
    const file = vault.input('y.jsonl');
    writeFileSync(file, ocsfLines(3));
    await importFile(vault.db, { path: file }, { operator: 't', now: NOW });
    const states = vault.db.prepare('SELECT state FROM batches ORDER BY id').all() as { state: string }[];
    expect(states.map((r) => r.state)).toEqual(['interrupted', 'done']);
  });
});

describe('empty input', () => {
  it('an empty or blank file is accounted for (nothing to read), not an unrecognised one', async () => {
    // Gzipped too: a gzip of an empty file failed the run while the empty file itself was accepted.
    for (const [name, text] of [['empty.log', ''], ['blank.jsonl', '\ufeff\n  \r\n\n'], ['empty.log.gz', gzipSync('')], ['blank.jsonl.gz', gzipSync('\n \n')]] as const) {
      const file = vault.input(name);
      writeFileSync(file, text);
      const s = await importFile(vault.db, { path: file }, { operator: 't', now: NOW });
      expect(s).toMatchObject({ read: 0, imported: 0, duplicates: 0, quarantined: 0, error: null, batchId: null, notes: ['the file is empty: there was nothing to import'] });
      expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    // Each is still the operator's act on the vault, chained with its hash.
    const audit = vault.db
      .prepare("SELECT e.event FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = 'attest' AND e.event LIKE '%ingest.import%' ORDER BY e.seq")
      .pluck()
      .all() as string[];
    expect(audit.map((e) => (JSON.parse(e) as { message: string }).message)).toEqual([
      'Read empty.log: the file is empty, there was nothing to import.',
      'Read blank.jsonl: the file is empty, there was nothing to import.',
      'Read empty.log.gz: the file is empty, there was nothing to import.',
      'Read blank.jsonl.gz: the file is empty, there was nothing to import.',
    ]);
    // Text that only starts blank is read as usual.
    const late = vault.input('late.jsonl');
    writeFileSync(late, '\n\n' + ocsfLines(2));
    expect(await importFile(vault.db, { path: late }, { operator: 't', now: NOW })).toMatchObject({ read: 2, imported: 2, error: null });
  });

  it('reads a file that starts with more blank lines than detection\'s sample holds (probe6: refused as empty)', async () => {
    const records = ocsfLines(3, 970_000);
    for (const [name, bytes] of [['blank-lead.jsonl', Buffer.from('\n'.repeat(70_000) + records)], ['blank-lead.jsonl.gz', gzipSync('\r\n'.repeat(40_000) + records)]] as const) {
      const file = vault.input(name);
      writeFileSync(file, bytes);
      const s = await importFile(vault.db, { path: file }, { operator: 't', now: NOW });
      expect(s, name).toMatchObject({ format: 'ocsf', read: 3, error: null });
      const lines = vault.db.prepare('SELECT count(*) FROM quarantine WHERE batch_id = ?').pluck().get(s.batchId) as number;
      expect(lines).toBe(0);
    }
  });

  it('takes a gzip of an empty file followed by bytes that are not gzip as empty, like the gzip alone', async () => {
    const file = vault.input('empty-junk.log.gz');
    writeFileSync(file, Buffer.concat([gzipSync(''), Buffer.from('JUNKJUNK')]));
    const s = await importFile(vault.db, { path: file }, { operator: 't', now: NOW });
    expect(s).toMatchObject({ read: 0, error: null, notes: ['the file is empty: there was nothing to import', gzipTrailingNote(8)] });
  });
});

describe('unreadable input', () => {
  it('a missing file is an error in the summary, not a throw', async () => {
    const s = await importFile(vault.db, { path: vault.input('nope.jsonl') }, { operator: 't', now: NOW });
    expect(s.error).toMatch(/does not exist/);
    expect(s.batchId).toBeNull();
  });
  it('names a refused upload as the operator knows it, not by the name it was stored under', async () => {
    const file = vault.input('upload-4676ff1889ac4f60.jsonl');
    writeFileSync(file, 'neither JSON nor a log\n');
    const s = await importFile(vault.db, { path: file, name: 'g.jsonl' }, { operator: 't', now: NOW });
    expect(s.file).toBe('g.jsonl');
    expect(s.error).toMatch(/^Could not recognise the format of g\.jsonl: /);
  });
  it('an unrecognised file says so', async () => {
    const file = vault.input('bin.dat');
    writeFileSync(file, Buffer.from([0, 1, 2, 3, 0, 0, 0, 255, 254]));
    const s = await importFile(vault.db, { path: file }, { operator: 't', now: NOW });
    expect(s.error).not.toBeNull();
    expect(s.batchId).toBeNull();
  });
});
