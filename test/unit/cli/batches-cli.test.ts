import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attest, buildCli, tempDir } from './cli-harness';

const env = { ATTEST_PASSPHRASE: 'batches test passphrase' };

interface BatchJson {
  id: number;
  file: string;
  sha256: string;
  state: string;
  source: string;
  read: number;
  imported: number;
  duplicates: number;
  quarantined: number;
  firstSeq: number | null;
  lastSeq: number | null;
  settings: Array<{ name: string; value: string }>;
  notes: string[];
  identicalTo: number | null;
  error: string | null;
}

describe('attest batches', () => {
  const dir = tempDir('attest-cli-batches-');
  const vault = path.join(dir, 'vault');
  const log = path.join(dir, 'auth.log');
  beforeAll(async () => {
    buildCli();
    expect(attest(['init', '--vault', vault], { env }).code).toBe(0);
    fs.writeFileSync(
      log,
      'Nov  3 10:00:01 host sshd[1]: Failed password for root from 192.0.2.7 port 22 ssh2\n' +
        'Nov  3 10:00:02 host sshd[1]: Accepted password for alice from 192.0.2.8 port 22 ssh2\n' +
        'not a syslog line \u202e at all\n',
    );
    expect(attest(['ingest', '--vault', vault, '--format', 'syslog', log], { env }).code).toBe(0);
    // The same bytes again, under another year: recognised as identical, nothing read again.
    expect(attest(['ingest', '--vault', vault, '--format', 'syslog', '--syslog-year', '2020', log], { env }).code).toBe(0);
    const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwks = path.join(dir, 'jwks.json');
    fs.writeFileSync(jwks, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' }] }));
    const locked = attest(['sources', 'set', 'locked', '--vault', vault, '--jwks', jwks, '--issuer', 'https://idp.example', '--signed-only'], { env });
    expect(locked.code, locked.stderr).toBe(0);
    expect(attest(['ingest', '--vault', vault, '--source', 'locked', log], { env }).code).toBe(1);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists every import, the latest first, as JSON Lines with counts, settings and the events it added', () => {
    const r = attest(['batches', 'list', '--vault', vault, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const batches = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as BatchJson);
    expect(batches.map((b) => [b.id, b.state])).toEqual([[3, 'refused'], [2, 'done'], [1, 'done']]);
    const [refused, identical, first] = batches as [BatchJson, BatchJson, BatchJson];
    expect(first).toMatchObject({ file: 'auth.log', read: 3, imported: 2, duplicates: 0, quarantined: 1, firstSeq: expect.any(Number), identicalTo: null, error: null });
    expect(first.lastSeq! - first.firstSeq!).toBe(1);
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first.settings).toContainEqual({ name: 'syslogZone', value: '"UTC"' });
    expect(identical).toMatchObject({ read: 3, imported: 0, duplicates: 3, identicalTo: 1, firstSeq: null, sha256: first.sha256 });
    expect(identical.settings).toContainEqual({ name: 'syslogYear', value: '2020' });
    expect(identical.notes[0]).toMatch(/^identical to batch 1/);
    expect(refused).toMatchObject({ source: 'locked', state: 'refused', read: 0 });
    expect(refused.error).toMatch(/signed/);
  });

  it('pages with --limit and says how many there are', () => {
    const r = attest(['batches', 'list', '--vault', vault, '--limit', '2'], { env });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^#3 +\S+ \S+ +REFUSED/);
    expect(lines[1]).toContain('read 3 = 0 + 3 dup + 0 quar');
    expect(r.stderr).toContain('2 of 3 import(s)');
  });

  it('shows one batch in full, with where its events and quarantined records are', () => {
    const r = attest(['batches', 'show', '1', '--vault', vault], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('read 3 = imported 2 + duplicates 0 + quarantined 1');
    expect(r.stdout).toContain('attest events --batch 1');
    expect(r.stdout).toContain('attest quarantine list --batch 1');
    expect(r.stdout).toMatch(/syslogYearSource = "inferred"/);
    // A time recorded as epoch ms is shown as the instant too (probe: a bare 13-digit number).
    expect(r.stdout).toMatch(/syslogLatest = \d{13} {2}\(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z\)/);
  });

  it('refuses a batch that does not exist or is not a number, in one line', () => {
    const missing = attest(['batches', 'show', '99', '--vault', vault], { env });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim()).toBe('attest: There is no batch 99 in this vault (attest batches list shows them).');
    const bad = attest(['batches', 'show', '1x', '--vault', vault], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
