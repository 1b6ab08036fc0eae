import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attest, attestAsync, buildCli, tempDir } from './cli-harness';

const PASS = 'correct horse battery staple';

describe('attest CLI: vault commands', () => {
  const dir = tempDir('attest-cli-');
  const vault = path.join(dir, 'vault');
  beforeAll(() => buildCli());
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('init with a passphrase from stdin creates an encrypted vault', () => {
    const r = attest(['init', '--vault', vault, '--passphrase-stdin', '--json'], { input: `${PASS}\n` });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout);
    expect(status).toMatchObject({ exists: true, methods: ['passphrase'], cipher: 'aegis' });
    for (const f of fs.readdirSync(vault)) {
      const bytes = fs.readFileSync(path.join(vault, f));
      expect(bytes.includes('CREATE TABLE'), `${f} shows schema in clear`).toBe(false);
    }
  });

  it('init refuses an existing vault', () => {
    const r = attest(['init', '--vault', vault, '--passphrase-stdin'], { input: `${PASS}\n` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already/i);
  });

  it('status with the right passphrase unlocks and reports the schema', () => {
    const r = attest(['status', '--vault', vault, '--json'], { env: { ATTEST_PASSPHRASE: PASS } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ exists: true, schemaVersion: expect.any(Number) });
  });

  it('status with a wrong passphrase exits 3 with one clear line and no stack trace', () => {
    const r = attest(['status', '--vault', vault]);
    const viaStdin = attest(['status', '--vault', vault, '--passphrase-stdin'], { input: 'wrong passphrase\n' });
    expect(viaStdin.code).toBe(3);
    expect(viaStdin.stderr.trim().split('\n')).toHaveLength(1);
    expect(viaStdin.stderr).toMatch(/wrong passphrase/i);
    expect(viaStdin.stderr).not.toMatch(/\bat .*\.js:\d+/);
    // Without any credential and no terminal, status still answers (locked) rather than hanging.
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/locked/);
  });

  it('a usage error exits 2', () => {
    expect(attest(['status', '--no-such-flag']).code).toBe(2);
    expect(attest(['no-such-command']).code).toBe(2);
  });

  it('passphrase change, then the old one fails and the new one works', () => {
    const next = 'a brand new passphrase';
    const r = attest(['passphrase', 'change', '--vault', vault, '--passphrase-stdin', '--new-passphrase-stdin'], { input: `${PASS}\n${next}\n` });
    expect(r.code).toBe(0);
    expect(attest(['status', '--vault', vault, '--passphrase-stdin'], { input: `${PASS}\n` }).code).toBe(3);
    expect(attest(['status', '--vault', vault, '--passphrase-stdin'], { input: `${next}\n` }).code).toBe(0);
    // put it back for the other tests
    expect(attest(['passphrase', 'change', '--vault', vault, '--passphrase-stdin', '--new-passphrase-stdin'], { input: `${next}\n${PASS}\n` }).code).toBe(0);
  });

  it('rekey keeps the vault usable', () => {
    const r = attest(['rekey', '--vault', vault, '--json'], { env: { ATTEST_PASSPHRASE: PASS } });
    expect(r.code).toBe(0);
    expect(attest(['status', '--vault', vault], { env: { ATTEST_PASSPHRASE: PASS } }).code).toBe(0);
  });

  it('backup stays encrypted and restores into a new directory', () => {
    const backup = path.join(dir, 'vault.backup');
    const b = attest(['backup', '--vault', vault, '--out', backup, '--json'], { env: { ATTEST_PASSPHRASE: PASS } });
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(fs.readFileSync(backup).includes('CREATE TABLE')).toBe(false);
    const restored = path.join(dir, 'restored');
    expect(attest(['restore', backup, '--vault', restored]).code).toBe(0);
    expect(attest(['status', '--vault', restored], { env: { ATTEST_PASSPHRASE: PASS } }).code).toBe(0);
  });

  it('parallel wrong passphrases from several processes are each counted, and the sixth is throttled', async () => {
    const crowded = path.join(dir, 'crowded');
    expect(attest(['init', '--vault', crowded, '--passphrase-stdin'], { input: `${PASS}\n` }).code).toBe(0);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => attestAsync(['status', '--vault', crowded, '--passphrase-stdin'], 'not the passphrase\n')),
    );
    const wrong = results.filter((r) => /Wrong passphrase/.test(r.stderr));
    const throttled = results.filter((r) => /Too many failed attempts/.test(r.stderr));
    expect(results.every((r) => r.code === 3)).toBe(true);
    expect(wrong).toHaveLength(5);
    expect(throttled).toHaveLength(3);
    const stored = JSON.parse(fs.readFileSync(path.join(crowded, 'vault.json'), 'utf8')) as { failedUnlocks: { count: number } };
    expect(stored.failedUnlocks.count).toBe(5);
    expect(fs.existsSync(path.join(crowded, 'vault.json.lock'))).toBe(false);
  });

  it('keychain init without a keychain says so plainly and exits 3', () => {
    const r = attest(['init', '--vault', path.join(dir, 'kc'), '--keychain'], {
      env: { DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined },
    });
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/keychain/i);
    expect(r.stderr).toMatch(/passphrase/i);
  });
});
