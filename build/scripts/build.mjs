#!/usr/bin/env node
// Builds every runnable part of Attest into out/:
//   out/node/     the CLI, web host, worker threads and benchmark (plain Node, CommonJS)
//   out/main/     the Electron main process          out/preload/  the sandboxed preload (one CJS file)
//   out/renderer/ the React app (Vite)
// esbuild for the Node/Electron side (sub-second, no type-check: `npm run typecheck` does that),
// Vite for the renderer. Flags: --node (skip renderer), --renderer (only renderer), --quiet.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');
const onlyNode = args.has('--node');
const onlyRenderer = args.has('--renderer');
const log = (...m) => { if (!quiet) console.log(...m); };

/** Entry points; a missing source is skipped so partial trees still build during development. */
const nodeEntries = {
  cli: 'electron/cli/index.ts',
  'ingest-worker': 'electron/core/ingest/ingest-worker.ts',
  'verify-worker': 'electron/core/chain/verify-worker.ts',
  bench: 'test/bench/ingest-bench.ts',
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: quiet ? 'error' : 'warning',
  absWorkingDir: root,
};

async function buildNode() {
  const entryPoints = Object.fromEntries(
    Object.entries(nodeEntries).filter(([, src]) => existsSync(path.join(root, src))),
  );
  await build({ ...common, entryPoints, outdir: 'out/node', packages: 'external' });
  const mainSrc = 'electron/main/index.ts';
  if (existsSync(path.join(root, mainSrc))) {
    await build({ ...common, entryPoints: { index: mainSrc }, outdir: 'out/main', packages: 'external', external: ['electron'] });
    // Workers run inside Electron's Node too: ship them beside main.
    const workers = Object.fromEntries(
      Object.entries(nodeEntries).filter(([k, src]) => k.endsWith('-worker') && existsSync(path.join(root, src))),
    );
    if (Object.keys(workers).length) await build({ ...common, entryPoints: workers, outdir: 'out/main', packages: 'external' });
  }
  const preloadSrc = 'electron/preload/index.ts';
  if (existsSync(path.join(root, preloadSrc))) {
    // A sandboxed preload may only require('electron'): bundle zod and the contract into it.
    await build({ ...common, entryPoints: { index: preloadSrc }, outdir: 'out/preload', external: ['electron'] });
  }
  log('built out/node, out/main, out/preload');
}

async function buildRenderer() {
  if (!existsSync(path.join(root, 'renderer/index.html'))) return;
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'build/vite.renderer.config.ts'), logLevel: quiet ? 'error' : 'warn' });
  log('built out/renderer');
}

try {
  if (!onlyRenderer) await buildNode();
  if (!onlyNode) await buildRenderer();
} catch (err) {
  console.error(`build failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
