import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { CompactSign, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gzipTrailingNote, importFile, UNSIGNED_REFUSED } from '../../../../../electron/core/ingest/import-file';
import { listQuarantine, retryQuarantine } from '../../../../../electron/core/ingest/quarantine';
import { saveSource } from '../../../../../electron/core/sources/source-store';
import { getEvent } from '../../../../../electron/core/events/event-query';
import { verifyChain } from '../../../../../electron/core/chain/verify';
import { cloudTrailRecordsLines } from './container-records';
import { createPipelineVault, eventCount, expectReconciled, NOW, ocsfLines, type PipelineVault } from './pipeline-fixture';

const ISSUER = 'https://idp.example.com';
interface Signer {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}
const signers: Record<string, Signer> = {};

async function makeSigner(alg: string, kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg };
  return { alg, kid, privateKey, publicJwk };
}

async function sign(signer: Signer, payload: string, header: Record<string, unknown> = {}): Promise<string> {
  return new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, iss: ISSUER, exp: Math.floor(NOW / 1000) + 3600, ...header })
    .sign(signer.privateKey);
}

const b64 = (s: string): string => Buffer.from(s).toString('base64url');

beforeAll(async () => {
  signers.ed = await makeSigner('EdDSA', 'ed-1');
  signers.es = await makeSigner('ES256', 'es-1');
  signers.rs = await makeSigner('RS256', 'rs-1');
  signers.ps = await makeSigner('PS256', 'ps-1');
  // Same kid as ed, different key: a forger.
  signers.forger = await makeSigner('EdDSA', 'ed-1');
});

let vault: PipelineVault;
beforeEach(() => {
  vault = createPipelineVault();
  saveSource(vault.db, {
    name: 'idp',
    jwksJson: JSON.stringify({ keys: [signers.ed!.publicJwk, signers.es!.publicJwk, signers.rs!.publicJwk, signers.ps!.publicJwk] }),
    issuer: ISSUER,
    signedOnly: true,
  });
});
afterEach(() => vault.cleanup());

const records = ocsfLines(6).trim().split('\n');

describe('signed batches', () => {
  it('keeps file order while signatures are checked ahead: forged, unsigned and valid lines past the look-ahead window', async () => {
    // 300 lines (several look-ahead windows): every 7th forged, every 11th not a JWS at all.
    const many = ocsfLines(300).trim().split('\n');
    const lines: string[] = [];
    for (let i = 0; i < many.length; i++) {
      if (i % 11 === 5) lines.push(many[i]!);
      else lines.push(await sign(i % 7 === 3 ? signers.forger! : signers.ed!, many[i]!));
    }
    const file = vault.input('ordered.jws');
    writeFileSync(file, lines.join('\n') + '\n');
    const s = await importFile(vault.db, { path: file }, { operator: 'o', source: 'idp', now: NOW });
    expectReconciled(vault.db, s);
    const bad = lines.map((_, i) => i).filter((i) => i % 11 === 5 || i % 7 === 3);
    expect(s).toMatchObject({ read: 300, imported: 300 - bad.length, quarantined: bad.length });
    const quarantined = listQuarantine(vault.db, { limit: 1000, batchId: s.batchId! }).rows.map((r) => r.line);
    expect(quarantined).toEqual(bad.map((i) => i + 1));
    // Stored in the order of the file.
    const raws = (vault.db.prepare('SELECT raw FROM events WHERE batch_id = ? ORDER BY seq').all(s.batchId) as { raw: Buffer }[]).map((r) => r.raw.toString());
    expect(raws).toEqual(lines.filter((_, i) => !bad.includes(i)));
  });

  it('one JWS per line, each algorithm on the allow-list: verified, imported, raw is the JWS line, idempotent', async () => {
    const lines = [
      await sign(signers.ed!, records[0]!),
      await sign(signers.es!, records[1]!),
      await sign(signers.rs!, records[2]!),
      await sign(signers.ps!, records[3]!),
    ];
    const file = vault.input('signed.jws');
    writeFileSync(file, lines.join('\n') + '\n');
    const s = await importFile(vault.db, { path: file }, { operator: 'o', source: 'idp', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ format: 'ocsf', read: 4, imported: 4, quarantined: 0 });
    const raws = (vault.db.prepare('SELECT raw FROM events WHERE batch_id = ? ORDER BY seq').all(s.batchId) as { raw: Buffer }[]).map((r) => r.raw.toString());
    expect(raws).toEqual(lines);
    const options = JSON.parse((vault.db.prepare('SELECT options FROM batches WHERE id = ?').get(s.batchId) as { options: string }).options) as { signed: boolean };
    expect(options.signed).toBe(true);
    const again = await importFile(vault.db, { path: file }, { operator: 'o', source: 'idp', now: NOW });
    expect(again).toMatchObject({ read: 4, imported: 0, duplicates: 4 });
  });

  it('finds the source by the issuer when none is named', async () => {
    const file = vault.input('by-issuer.jws');
    writeFileSync(file, (await sign(signers.ed!, records[0]!)) + '\n');
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW });
    expectReconciled(vault.db, s);
    expect(s.imported).toBe(1);
  });

  it('finds the source by an issuer carried in the payload (a JWT claims set) when none is named', async () => {
    const file = vault.input('jwt.jws');
    const claims = JSON.stringify({ iss: ISSUER, exp: Math.floor(NOW / 1000) + 3600, records: records.slice(0, 2).map((r) => JSON.parse(r) as unknown) });
    writeFileSync(file, await new CompactSign(new TextEncoder().encode(claims)).setProtectedHeader({ alg: 'EdDSA', kid: 'ed-1' }).sign(signers.ed!.privateKey));
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ read: 2, imported: 2, error: null });
    // Gzipped, the one line is still read whole to find its issuer.
    const packed = vault.input('jwt.jws.gz');
    writeFileSync(packed, gzipSync(readFileSync(file)));
    expect(await importFile(vault.db, { path: packed }, { operator: 'o', now: NOW })).toMatchObject({ read: 2, imported: 0, duplicates: 2, error: null });
  });

  it('a signed file no single source can verify is refused, and its summary still carries its hash', async () => {
    saveSource(vault.db, { name: 'idp2', jwksJson: JSON.stringify({ keys: [signers.ed!.publicJwk] }), issuer: ISSUER });
    const file = vault.input('two-sources.jws');
    writeFileSync(file, (await sign(signers.ed!, records[0]!)) + '\n');
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW });
    expect(s.error).toMatch(/choose the source/);
    expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads a gzip of a signed file like the file itself', async () => {
    const lines = [await sign(signers.ed!, records[0]!), await sign(signers.es!, records[1]!)].join('\n') + '\n';
    const plain = vault.input('signed.jws');
    const packed = vault.input('signed.jws.gz');
    writeFileSync(plain, lines);
    writeFileSync(packed, gzipSync(lines));
    const s = await importFile(vault.db, { path: packed }, { operator: 'o', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ format: 'ocsf', read: 2, imported: 2, error: null });
    const options = JSON.parse((vault.db.prepare('SELECT options FROM batches WHERE id = ?').get(s.batchId) as { options: string }).options) as { gzip: boolean; signed: boolean };
    expect(options).toMatchObject({ gzip: true, signed: true });
    // The same lines uncompressed are the same records.
    expect(await importFile(vault.db, { path: plain }, { operator: 'o', now: NOW })).toMatchObject({ read: 2, imported: 0, duplicates: 2 });
  });

  it('reads every signed line of a gzip followed by bytes that are not gzip, and tells of the bytes', async () => {
    const lines = [await sign(signers.ed!, records[0]!), await sign(signers.es!, records[1]!)].join('\n') + '\n';
    const packed = vault.input('signed-junk.jws.gz');
    writeFileSync(packed, Buffer.concat([gzipSync(lines), Buffer.from('<html>not found</html>')]));
    const s = await importFile(vault.db, { path: packed }, { operator: 'o', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ format: 'ocsf', read: 2, imported: 2, error: null });
    expect(s.notes).toContain(gzipTrailingNote(22));
  });

  it('keeps every verified record before a damaged gzip member of a signed file (it kept none of a partial chunk)', async () => {
    const signedLines = async (n: number, from: number) => {
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(await sign(signers.ed!, records[(from + i) % records.length]!.replace('"time":', `"metadata":{"uid":"sg-${from + i}"},"time":`)));
      return out.join('\n') + '\n';
    };
    const second = Buffer.from(gzipSync(await signedLines(20, 500)));
    second.writeUInt8(second.readUInt8(second.length - 8) ^ 0x01, second.length - 8);
    const file = vault.input('signed-damaged.jws.gz');
    writeFileSync(file, Buffer.concat([gzipSync(await signedLines(150, 300)), second]));
    const s = await importFile(vault.db, { path: file }, { operator: 'o', now: NOW });
    expect(s.error).toMatch(/member 2 fails its integrity check/);
    expectReconciled(vault.db, s, { allowError: true });
    expect(s).toMatchObject({ read: 150, imported: 150 });
  });

  it('one JWS whose payload is a batch: a JSON array, or JSON Lines', async () => {
    const arrayFile = vault.input('array.jws');
    writeFileSync(arrayFile, await sign(signers.ed!, `[${records.slice(0, 3).join(',')}]`));
    const a = await importFile(vault.db, { path: arrayFile }, { operator: 'o', source: 'idp', now: NOW });
    expectReconciled(vault.db, a);
    expect(a).toMatchObject({ read: 3, imported: 3 });
    const linesFile = vault.input('lines.jws');
    writeFileSync(linesFile, await sign(signers.es!, records.slice(2, 6).join('\n')));
    const l = await importFile(vault.db, { path: linesFile }, { operator: 'o', source: 'idp', now: NOW });
    expectReconciled(vault.db, l);
    expect(l).toMatchObject({ read: 4, imported: 4, duplicates: 0 }); // different JWS: a different raw record
    expect(eventCount(vault.db)).toBe(7);
  });

  it('shows each signed event as verified, with the algorithm, key and issuer, and says so in the import summary', async () => {
    // Outside UI probe (probe8): an event never showed that its signature had been verified.
    const single = vault.input('one-per-line.jws');
    writeFileSync(single, [await sign(signers.ed!, records[0]!), await sign(signers.es!, records[1]!)].join('\n') + '\n');
    const s = await importFile(vault.db, { path: single }, { operator: 'o', source: 'idp', now: NOW });
    expect(s.notes?.some((n) => /^signed file: each record was imported only once its JWS signature verified against the JWKS of source "idp" \(issuer "https:\/\/idp\.example\.com"\)/.test(n))).toBe(true);
    const batch = vault.input('batch.jws');
    writeFileSync(batch, await sign(signers.rs!, `[${records.slice(2, 5).join(',')}]`));
    const b = await importFile(vault.db, { path: batch }, { operator: 'o', source: 'idp', now: NOW });
    const seqs = (id: number | null) => (vault.db.prepare('SELECT seq FROM events WHERE batch_id = ? ORDER BY seq').all(id) as { seq: number }[]).map((r) => r.seq);
    const [first, second] = seqs(s.batchId);
    expect(getEvent(vault.db, first!).signature).toEqual({ alg: 'EdDSA', kid: 'ed-1', issuer: ISSUER });
    expect(getEvent(vault.db, second!).signature).toEqual({ alg: 'ES256', kid: 'es-1', issuer: ISSUER });
    for (const seq of seqs(b.batchId)) expect(getEvent(vault.db, seq).signature).toEqual({ alg: 'RS256', kid: 'rs-1', issuer: ISSUER });
    // An unsigned import's events claim no signature.
    const plain = vault.input('plain.jsonl');
    writeFileSync(plain, records[5]! + '\n');
    const p = await importFile(vault.db, { path: plain }, { operator: 'o', now: NOW });
    expect(getEvent(vault.db, seqs(p.batchId)[0]!).signature).toBeUndefined();
  });

  it('rejects a wrong key, a wrong issuer, an expired signature, alg none and HS256 into quarantine', async () => {
    const none = `${b64(JSON.stringify({ alg: 'none', iss: ISSUER }))}.${b64(records[0]!)}.`;
    const noneWithSig = `${b64(JSON.stringify({ alg: 'none', iss: ISSUER }))}.${b64(records[0]!)}.AAAA`;
    const hsKey = new Uint8Array(32).fill(7);
    const hs = await new CompactSign(new TextEncoder().encode(records[0]!)).setProtectedHeader({ alg: 'HS256', iss: ISSUER }).sign(hsKey);
    const lines = [
      await sign(signers.forger!, records[0]!),
      await sign(signers.ed!, records[1]!, { iss: 'https://evil.example.com' }),
      await sign(signers.ed!, records[2]!, { exp: Math.floor(NOW / 1000) - 10 }),
      none,
      noneWithSig,
      hs,
      await sign(signers.ed!, records[3]!), // the one good line
      records[4]!, // an unsigned line inside a signed file, to a signed-only source
    ];
    const file = vault.input('bad.jws');
    writeFileSync(file, lines.join('\n'));
    const s = await importFile(vault.db, { path: file }, { operator: 'o', source: 'idp', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ read: 8, imported: 1, quarantined: 7 });
    const reasons = listQuarantine(vault.db, { batchId: s.batchId!, limit: 20 }).rows.map((r) => r.reason);
    expect(reasons[0]).toMatch(/signature does not verify/);
    expect(reasons[1]).toMatch(/issuer .* is not the source's expected issuer/);
    expect(reasons[2]).toMatch(/expired/);
    expect(reasons[3]).toBe('unsigned input to a signed-only source'); // alg none has no signature part
    expect(reasons[4]).toMatch(/not allowed/);
    expect(reasons[5]).toMatch(/not allowed/);
    expect(reasons[6]).toBe('unsigned input to a signed-only source');
  });

  it('a signed-only source refuses an unsigned file as a whole', async () => {
    const file = vault.input('plain.jsonl');
    writeFileSync(file, ocsfLines(5));
    const s = await importFile(vault.db, { path: file }, { operator: 'o', source: 'idp', now: NOW });
    expect(s.error).toBe(UNSIGNED_REFUSED);
    expect(s).toMatchObject({ read: 0, imported: 0, duplicates: 0, quarantined: 0 });
    const b = vault.db.prepare('SELECT state, read FROM batches WHERE id = ?').get(s.batchId) as { state: string; read: number };
    expect(b).toEqual({ state: 'refused', read: 0 });
    expect(eventCount(vault.db)).toBe(0);
  });

  it('a signed record quarantined for a wrong issuer is accepted on retry once the source trusts that issuer', async () => {
    const file = vault.input('renamed.jws');
    writeFileSync(file, [await sign(signers.ed!, records[0]!, { iss: 'https://new-idp.example.com' }), await sign(signers.ed!, records[1]!, { iss: 'https://new-idp.example.com' })].join('\n'));
    const s = await importFile(vault.db, { path: file }, { operator: 'o', source: 'idp', now: NOW });
    expect(s).toMatchObject({ read: 2, imported: 0, quarantined: 2 });
    saveSource(vault.db, { name: 'idp', issuer: 'https://new-idp.example.com' });
    const r = await retryQuarantine(vault.db, {}, 'o', NOW);
    expect(r).toEqual({ retried: 2, imported: 2, duplicates: 0, stillQuarantined: 0 });
    // Re-importing now adds nothing: the retried events carry the fingerprints an import gives them.
    const again = await importFile(vault.db, { path: file }, { operator: 'o', source: 'idp', now: NOW });
    expectReconciled(vault.db, again);
    expect(again).toMatchObject({ read: 2, imported: 0, duplicates: 2 });
  });

  it('retrying one inner record of a signed batch retries that record only (its siblings stay as imported)', async () => {
    // Three syslog records in one JWS; "Feb 29" has no day in 2025, so it alone is quarantined.
    const batch = ['Feb 28 10:00:00 h sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2', 'Feb 29 10:00:00 h sshd[1]: Failed password for root from 10.0.0.2 port 22 ssh2', 'Mar  1 10:00:00 h sshd[1]: Failed password for root from 10.0.0.3 port 22 ssh2'].join('\n');
    const file = vault.input('batch.jws');
    writeFileSync(file, await sign(signers.ed!, batch));
    saveSource(vault.db, { name: 'idp', syslogYear: 2025 });
    const s = await importFile(vault.db, { path: file }, { operator: 'o', source: 'idp', now: NOW });
    expect(s).toMatchObject({ read: 3, imported: 2, quarantined: 1 });
    // The operator corrects the year: only the quarantined record is re-read with it.
    saveSource(vault.db, { name: 'idp', syslogYear: 2024 });
    const r = await retryQuarantine(vault.db, {}, 'o', NOW);
    expect(r).toEqual({ retried: 1, imported: 1, duplicates: 0, stillQuarantined: 0 });
    expect(eventCount(vault.db)).toBe(3);
    const b = vault.db.prepare('SELECT read, imported, duplicates, quarantined FROM batches WHERE id = ?').get(s.batchId);
    expect(b).toEqual({ read: 3, imported: 3, duplicates: 0, quarantined: 0 });
  });

  it('stores a large batch JWS once: each event keeps its own record and names the JWS, which verify checks', async () => {
    // 600 records of ~1 KB: a ~0.8 MB JWS. Kept as every record's raw bytes it was ~480 MB, and refused.
    const many = Array.from({ length: 600 }, (_, i) => JSON.stringify({ ...JSON.parse(records[i % records.length]!), message: 'x'.repeat(900), metadata: { product: { name: 'p' }, version: '1.1.0', uid: `r${i}` } }));
    // Record 6 has no time: quarantined as itself, then imported by a retry that gives it one.
    const timeless = JSON.parse(many[5]!) as Record<string, unknown>;
    delete timeless.time;
    many[5] = JSON.stringify(timeless);
    const file = vault.input('huge-batch.jws');
    const jws = await sign(signers.ed!, many.join('\n'));
    writeFileSync(file, jws + '\n');
    const s = await importFile(vault.db, { path: file }, { operator: 'o', source: 'idp', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ read: 600, imported: 599, quarantined: 1 });
    // One line holds the whole batch: the refused record is told apart by its place in it.
    expect(listQuarantine(vault.db, { limit: 10, batchId: s.batchId! }).rows.map((r) => [r.line, r.element])).toEqual([[1, 6]]);
    const envelopes = vault.db.prepare('SELECT id, sha256, jws, records FROM signed_envelopes').all() as { id: number; sha256: Buffer; jws: Buffer; records: number }[];
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]!.jws.toString()).toBe(jws);
    expect(envelopes[0]!.records).toBe(600);
    // Each event's raw bytes are its own record, in file order; the JWS is not repeated.
    const rows = vault.db.prepare('SELECT seq, raw FROM events WHERE batch_id = ? ORDER BY seq').all(s.batchId) as { seq: number; raw: Buffer }[];
    expect(rows.map((r) => r.raw.toString())).toEqual(many.filter((_, i) => i !== 5));
    const stored = vault.db.prepare('SELECT sum(length(data)) AS n FROM event_blocks').get() as { n: number };
    expect(stored.n).toBeLessThan(4 * 1024 * 1024);
    const q = listQuarantine(vault.db, { limit: 10 }).rows;
    expect(q).toHaveLength(1);
    expect(q[0]!.rawText).toBe(many[5]);
    expect(q[0]!.reason).toMatch(/^signed record 6: /);
    // The way from the record to the signed bytes it came in (attest signed-batch export).
    expect(q[0]!.signedBatchSha256).toBe(envelopes[0]!.sha256.toString('hex'));
    const detail = getEvent(vault.db, rows[0]!.seq);
    expect(detail.signedBatch).toEqual({ jwsSha256: envelopes[0]!.sha256.toString('hex'), recordIndex: 0, records: 600, jwsBytes: jws.length });
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: true });

    // The retry verifies the stored JWS again and imports the record under the time it is given.
    const r = await retryQuarantine(vault.db, { timeIfMissing: 'import' }, 'o', NOW);
    expect(r).toMatchObject({ retried: 1, imported: 1, stillQuarantined: 0 });
    const again = await importFile(vault.db, { path: file }, { operator: 'o', source: 'idp', now: NOW });
    expect(again).toMatchObject({ read: 600, imported: 0, duplicates: 600 });
    expect(vault.db.prepare('SELECT count(*) AS n FROM signed_envelopes').get()).toEqual({ n: 1 });
    const verified = await verifyChain({ db: vault.db });
    expect(verified).toMatchObject({ ok: true });

    // The JWS altered, or removed: verify names the first event of the batch.
    const first = rows[0]!.seq;
    vault.db.prepare('UPDATE signed_envelopes SET jws = ?').run(Buffer.from(jws.replace(/.$/, jws.endsWith('A') ? 'B' : 'A')));
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: first, problem: expect.stringMatching(/signed batch .*stored JWS was altered/) });
    vault.db.prepare('UPDATE signed_envelopes SET jws = ?').run(Buffer.from(jws));
    vault.db.prepare('UPDATE signed_envelopes SET records = 1').run();
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: first, problem: expect.stringMatching(/stored record count \(1\) is not the 600 its JWS holds/) });
    vault.db.prepare("UPDATE signed_envelopes SET jws = CAST(jws AS TEXT), records = 600").run();
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: first, problem: expect.stringMatching(/stored JWS was altered/) });
    // An attacker with the key is not held back by the quarantine's reference to it.
    vault.db.pragma('foreign_keys = OFF');
    vault.db.prepare('DELETE FROM signed_envelopes').run();
    expect(await verifyChain({ db: vault.db })).toMatchObject({ ok: false, firstBadSeq: first, problem: expect.stringMatching(/no longer in the vault/) });
  });

  it('quarantines a JWS whose records each hold many events when they would store too much, on import and on retry', async () => {
    // One signed CloudTrail Records object of 1,000 events: each event keeps the whole JWS (1.2 MB) it came in.
    const { text } = cloudTrailRecordsLines(1, 1000);
    const file = vault.input('signed-records.jws');
    writeFileSync(file, await sign(signers.ed!, text.trim()));
    const s = await importFile(vault.db, { path: file }, { operator: 'o', source: 'idp', now: NOW, format: 'cloudtrail' });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ read: 1, imported: 0, quarantined: 1 });
    const row = listQuarantine(vault.db, { limit: 10 }).rows[0];
    expect(row!.reason).toMatch(/^signed input of 1,000 events in \d+\.\d MiB: .* would store \d+\.\d MiB \(limit 256\.0 MiB\); sign one record per event/);
    expect(await retryQuarantine(vault.db, {}, 'o', NOW)).toMatchObject({ retried: 1, imported: 0, stillQuarantined: 1 });
    // A small one is imported.
    const small = vault.input('signed-records-small.jws');
    writeFileSync(small, await sign(signers.ed!, cloudTrailRecordsLines(1, 3).text.trim()));
    expect(await importFile(vault.db, { path: small }, { operator: 'o', source: 'idp', now: NOW, format: 'cloudtrail' })).toMatchObject({ read: 3, imported: 3 });
  });

  it('takes the format from the first line that verifies: a forged or unreadable first line does not decide it', async () => {
    const cef = 'CEF:0|Evil|Forge|1|100|Forged|5|rt=1700000000000 suser=mallory';
    const file = vault.input('forged-first.jwsl');
    writeFileSync(file, [await sign(signers.forger!, cef), await sign(signers.ed!, 'not json, not anything'), await sign(signers.ed!, records[0]!), await sign(signers.ed!, records[1]!)].join('\n'));
    const s = await importFile(vault.db, { path: file }, { operator: 'o', source: 'idp', now: NOW });
    expectReconciled(vault.db, s);
    expect(s).toMatchObject({ format: 'ocsf', read: 4, imported: 2, quarantined: 2 });
  });

  it('a signed line over the 16 MiB record limit is refused for its size, not for its format', async () => {
    const file = vault.input('too-big.jws');
    // A JWS-shaped line of 17 MiB: read as far as the record limit, never verified.
    writeFileSync(file, `eyJhbGciOiJFZERTQSJ9.${'A'.repeat(17 * 1024 * 1024)}.sig\n`);
    const s = await importFile(vault.db, { path: file }, { operator: 'o', source: 'idp', now: NOW });
    expect(s.error).toMatch(/^The signed file could not be verified \(line 1: record is 17,825,\d{3} bytes, over the 16 MiB limit.*\): sign smaller batches/);
    expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
