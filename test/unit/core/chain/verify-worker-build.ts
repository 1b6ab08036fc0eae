import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '../../../..');

/**
 * The verify worker bundled as plain JS, as in the shipped build (the way build.mjs does), under
 * node_modules/.cache so the bundle resolves the native module the way out/node/ does.
 */
export async function buildVerifyWorker(): Promise<{ script: string; dispose(): void }> {
  const cache = path.join(ROOT, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, 'attest-verify-worker-'));
  const script = path.join(dir, 'verify-worker.js');
  await build({
    entryPoints: [path.join(ROOT, 'electron/core/chain/verify-worker.ts')],
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', outfile: script, logLevel: 'error',
    absWorkingDir: ROOT,
  });
  return { script, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
