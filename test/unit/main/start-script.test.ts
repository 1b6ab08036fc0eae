import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm start` on a machine without the Electron runtime (offline installs, CI): one clear line, exit 1,
// and never a download stack trace. Where the runtime is installed this would launch Electron, so it skips.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const electronInstalled = (() => {
  try {
    const relative = fs.readFileSync(path.join(root, 'node_modules/electron/path.txt'), 'utf8').trim();
    return relative !== '' && fs.existsSync(path.join(root, 'node_modules/electron/dist', relative));
  } catch {
    return false;
  }
})();

describe.skipIf(electronInstalled)('build/scripts/start.mjs without the Electron runtime', () => {
  it('prints exactly one line pointing to `npm run serve` and exits 1', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
    const r = spawnSync(process.execPath, [path.join(root, 'build/scripts/start.mjs'), '--no-build'], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Attest: the Electron runtime is not installed\b.*Run "npm run serve" to use Attest in your browser instead\.$/);
  });
});
