#!/usr/bin/env node
// `npm test`: type-check, build, then every Vitest suite (unit, renderer, e2e), ending with one plain
// summary line "tests: N passed, N failed, N skipped" that CI and people can read at a glance.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-test-'));
const env = { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };

function run(title, cmd, args) {
  console.log(`\n=== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  return r.status === 0;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
function tally(file) {
  if (!fs.existsSync(file)) return false;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  return true;
}

let ok = true;
ok = run('type-check (tsc --noEmit)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']) && ok;
const built = run('build (node bundles + renderer)', process.execPath, [path.join(root, 'build/scripts/build.mjs'), '--quiet']);
ok = built && ok;

const suites = [
  ['unit + renderer tests', 'build/vitest.config.ts', 'unit.json'],
  ['end-to-end tests (attest serve + Chromium; Electron shell)', 'build/vitest.e2e.config.ts', 'e2e.json'],
];
for (const [title, config, out] of suites) {
  if (!built && out === 'e2e.json') {
    console.log('\n=== end-to-end tests not run: the build failed');
    totals.failed += 1;
    continue;
  }
  const outFile = path.join(reportDir, out);
  const passed = run(title, bin('vitest'), ['run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${outFile}`]);
  if (!tally(outFile)) totals.failed += 1; // the runner died before reporting
  ok = passed && ok;
}
fs.rmSync(reportDir, { recursive: true, force: true });

console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
