import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from './helpers';

/**
 * The vault against a real Secret Service keychain (gnome-keyring in a private D-Bus session), so it runs
 * headless in CI. The code under test is bundled with esbuild and driven by a plain-JS fixture in a child
 * process, because the keyring lives in that child's D-Bus session.
 */
const repoRoot = path.resolve(__dirname, '../../../..');
const fixture = path.join(__dirname, 'fixtures', 'keychain-roundtrip.cjs');

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const toolsPresent = has('dbus-run-session') && has('gnome-keyring-daemon');
const SKIP_LINE = 'skipped: dbus-run-session or gnome-keyring-daemon is not installed (apt-get install gnome-keyring dbus-x11)';

let work: string;
let bundle: string;

beforeAll(async () => {
  work = tempDir('attest-keychain-');
  bundle = path.join(work, 'vault-bundle.cjs');
  await build({
    stdin: {
      contents: [
        "export { VaultService } from './electron/core/vault/vault-service';",
        "export { createKeytarKeyStore } from './electron/core/vault/keystore';",
      ].join('\n'),
      resolveDir: repoRoot,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: bundle,
    external: ['keytar', 'better-sqlite3-multiple-ciphers'],
    logLevel: 'error',
  });
});
afterAll(() => removeDir(work));

/** A child environment with its own HOME, so the test keyring never touches the user's. */
function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const home = fs.mkdtempSync(path.join(work, 'home-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    NODE_PATH: path.join(repoRoot, 'node_modules'),
    ...extra,
  };
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

function lastJsonLine(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`no JSON from the child: ${stdout}`);
  return JSON.parse(line) as Record<string, unknown>;
}

describe('OS keychain (real gnome-keyring over D-Bus)', () => {
  it.skipIf(!toolsPresent)(`creates, locks and unlocks a keychain-only vault${toolsPresent ? '' : ` — ${SKIP_LINE}`}`, () => {
    const dir = path.join(work, 'vault-real');
    const inner = `printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "${process.execPath}" "${fixture}" "${bundle}" "${dir}" roundtrip`;
    const stdout = execFileSync('dbus-run-session', ['--', 'sh', '-c', inner], {
      env: childEnv({ DISPLAY: undefined }),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    const out = lastJsonLine(stdout);
    expect(out.error).toBeUndefined();
    expect(out).toMatchObject({
      probe: { available: true, reason: null },
      created: { methods: ['keychain'], locked: false },
      entryStored: true,
      unlocked: { locked: false, sameVault: true },
      unlockedAfterRekey: true,
      entryAfterRemove: null,
    });
    expect(out.rows).toBeGreaterThanOrEqual(3); // create, lock, unlock audit events
  });

  it('without a D-Bus session or display, the keychain is KEYCHAIN_UNAVAILABLE with a clear message', () => {
    const dir = path.join(work, 'vault-none');
    const result = spawnSync(process.execPath, [fixture, bundle, dir, 'unavailable'], {
      env: childEnv({ DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    const out = lastJsonLine(result.stdout);
    expect(out.probe).toMatchObject({ available: false });
    expect(out.error).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect((out.error as { message: string }).message).toMatch(
      /^The OS keychain is not available \(.+\): unlock with your passphrase instead, or create the vault with --passphrase-stdin\.$/,
    );
    expect(fs.existsSync(path.join(dir, 'vault.json'))).toBe(false);
  });
});
