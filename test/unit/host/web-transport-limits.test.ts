import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppHost, uploadDirFor, type AppHost } from '../../../electron/host/create-host';
import { createMemoryKeyStore } from '../../../electron/core/vault/keystore';
import { startWebHost } from '../../../electron/host/web-host';
import type { CallContext } from '../../../electron/host/registry';

// What a page in a browser may ask of the engine is narrower than what the CLI or the desktop app may:
// it cannot name arbitrary paths to read (ingest) or write (backup).
const web: CallContext = { transport: 'web', operator: 'tester', push: () => undefined };
const local: CallContext = { transport: 'inproc', operator: 'tester', push: () => undefined };

describe('web transport limits', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-web-limits-'));
  const vaultDir = path.join(dir, 'vault');
  let host: AppHost;
  beforeAll(async () => {
    host = createAppHost({ vaultDir, keyStore: createMemoryKeyStore(), operator: 'tester', workerDir: path.join(dir, 'no-workers') });
    const created = await host.registry.dispatch('vault:create', { passphrase: 'web limits passphrase', keychain: false }, local);
    expect(created.ok).toBe(true);
  });
  afterAll(async () => {
    await host.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to import a path the page did not upload', async () => {
    const secret = path.join(dir, 'secret.log');
    fs.writeFileSync(secret, 'Dec 10 07:13:56 h sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2\n');
    const r = await host.registry.dispatch('ingest:start', { files: [{ path: secret }], format: 'syslog' }, web);
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/upload/) } });
    const traversal = await host.registry.dispatch('ingest:start', { files: [{ path: path.join(uploadDirFor(vaultDir), '..', '..', 'secret.log') }] }, web);
    expect(traversal).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('writes a web backup only under the backups folder beside the vault, by bare file name', async () => {
    const outside = await host.registry.dispatch('vault:backup', { outFile: path.join(dir, 'anywhere.bin') }, web);
    expect(outside).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(fs.existsSync(path.join(dir, 'anywhere.bin'))).toBe(false);
    expect(await host.registry.dispatch('vault:backup', { outFile: '../escape.bin' }, web)).toMatchObject({ ok: false });
    const r = await host.registry.dispatch('vault:backup', { outFile: 'monday.attest-backup' }, web);
    expect(r).toMatchObject({ ok: true, value: { file: path.join(dir, 'backups', 'monday.attest-backup') } });
    expect(fs.existsSync(path.join(dir, 'backups', 'monday.attest-backup'))).toBe(true);
  });

  it('removes uploads a killed server left behind when the web host starts', async () => {
    const uploads = uploadDirFor(vaultDir);
    fs.mkdirSync(uploads, { recursive: true });
    fs.writeFileSync(path.join(uploads, 'upload-0123abcd.log'), 'plaintext log a previous run never imported\n');
    const running = await startWebHost({ registry: host.registry, onPush: host.onPush, staticDir: null, operator: 'tester', uploadDir: uploads });
    try {
      expect(fs.readdirSync(uploads)).toEqual([]);
    } finally {
      await running.close();
    }
  });
});
