#!/usr/bin/env node
'use strict';
// The `attest` command. Builds the CLI bundle on first use (esbuild, under a second) so that
// `npm run attest -- <command>` works straight after `npm install`, then runs it.
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const bundle = path.join(root, 'out', 'node', 'cli.js');
const sourceDir = path.join(root, 'electron');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!fs.existsSync(bundle)) return true;
  if (!fs.existsSync(path.join(root, 'build', 'scripts', 'build.mjs'))) return false; // packaged: no sources
  const built = fs.statSync(bundle).mtimeMs;
  return Math.max(newestMtime(sourceDir), newestMtime(path.join(root, 'shared'))) > built;
}

if (isStale()) {
  const r = spawnSync(process.execPath, [path.join(root, 'build', 'scripts', 'build.mjs'), '--node', '--quiet'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) {
    process.stderr.write('attest: could not build the CLI (see the error above).\n');
    process.exit(1);
  }
}
require(bundle);
