import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attest, buildCli, tempDir } from './cli-harness';

const env = { ATTEST_PASSPHRASE: 'sources test passphrase' };

describe('attest sources', () => {
  const dir = tempDir('attest-cli-sources-');
  const vault = path.join(dir, 'vault');
  beforeAll(() => {
    buildCli();
    expect(attest(['init', '--vault', vault], { env }).code).toBe(0);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('saves a CSV mapping from the command line, which the next import uses', () => {
    const csv = path.join(dir, 'hr.csv');
    fs.writeFileSync(csv, 'When,Who,From\n2026-11-01T10:00:00Z,alice,192.0.2.1\n');
    // Without a mapping the columns are not recognised.
    expect(attest(['ingest', '--vault', vault, '--source', 'hr', csv], { env }).code).toBe(1);
    const set = attest(['sources', 'set', 'hr', '--vault', vault, '--csv-map', 'time=When', 'actor.user.name=Who', 'src_endpoint.ip=From'], { env });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('hr: CSV time=When, actor.user.name=Who, src_endpoint.ip=From');
    const r = attest(['ingest', '--vault', vault, '--source', 'hr', '--json', csv], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 1, imported: 1 });
    const events = attest(['events', '--vault', vault, '--source', 'hr', '--json'], { env });
    expect(JSON.parse(events.stdout.trim())).toMatchObject({ actor: { user: { name: 'alice' } }, src_endpoint: { ip: '192.0.2.1' } });
  });

  it('registers keys and an issuer, clears settings, and lists them as JSON', async () => {
    const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwks = path.join(dir, 'jwks.json');
    fs.writeFileSync(jwks, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' }] }));
    const set = attest(['sources', 'set', 'idp', '--vault', vault, '--jwks', jwks, '--issuer', 'https://idp.example', '--signed-only', '--syslog-zone', '+02:00', '--json'], { env });
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ name: 'idp', signedOnly: true, hasJwks: true, jwksKeyIds: ['k1'], issuer: 'https://idp.example', syslogZone: '+02:00' });
    expect(attest(['sources', 'set', 'idp', '--vault', vault, '--no-signed-only', '--syslog-zone', 'none'], { env }).code).toBe(0);
    const list = JSON.parse(attest(['sources', 'list', '--vault', vault, '--json'], { env }).stdout) as Array<{ name: string; signedOnly: boolean; syslogZone: string | null; hasJwks: boolean }>;
    expect(list.find((s) => s.name === 'idp')).toMatchObject({ signedOnly: false, syslogZone: null, hasJwks: true });
  });

  it('refuses what it cannot save, in one line, with the usage exit code', () => {
    for (const args of [
      ['--csv-map', 'actor.nmae=Who'],
      ['--csv-map', 'time'],
      ['--syslog-year', 'last'],
      ['--syslog-zone', 'Mars/Olympus'],
      ['--jwks', path.join(dir, 'missing.json')],
    ]) {
      const r = attest(['sources', 'set', 'bad', '--vault', vault, ...args], { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it("refuses Attest's own source name and look-alikes, for settings and for imports, as usage errors", () => {
    const log = path.join(dir, 'auth.log');
    fs.writeFileSync(log, 'Nov  3 10:00:01 host sshd[1]: Failed password for root from 192.0.2.7 port 22 ssh2\n');
    for (const name of ['attest', 'ATTEST', '\u202etsetta', 'аttest']) {
      const set = attest(['sources', 'set', name, '--vault', vault, '--syslog-zone', 'UTC'], { env });
      expect(set.code, name).toBe(2);
      const ingest = attest(['ingest', '--vault', vault, '--source', name, log], { env });
      expect(ingest.code, name).toBe(2);
      expect(ingest.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('refuses an option given both ways instead of keeping the last one', () => {
    const jwks = path.join(dir, 'both.json');
    fs.writeFileSync(jwks, JSON.stringify({ keys: [] }));
    for (const args of [['--jwks', jwks, '--no-jwks'], ['--no-signed-only', '--signed-only'], ['--csv-map', 'time=When', '--no-csv-map']]) {
      const r = attest(['sources', 'set', 'both', '--vault', vault, ...args], { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/contradict each other/);
    }
  });
});
