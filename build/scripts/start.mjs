#!/usr/bin/env node
// `npm start`: build, make sure the Electron runtime exists, build the Electron-ABI native modules once per
// Electron version (into out/electron-native/, never touching node_modules, so `npm test` keeps its
// Node-ABI builds), then launch Electron on the project root (package.json main = out/main/index.js).
//
// Flags: --prepare-only  build and make the Electron-ABI native modules, nothing else (packaging and the
//                        Electron e2e tests use it; it needs Electron's headers, not its binary)
//        --no-build      skip the build step
//        -- <args>       passed to Electron
//
// Never require('electron') here: electron 45's index.js downloads the runtime as a side effect.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dashDash = process.argv.indexOf('--');
const ownArgs = new Set(dashDash === -1 ? process.argv.slice(2) : process.argv.slice(2, dashDash));
const electronArgs = dashDash === -1 ? [] : process.argv.slice(dashDash + 1);

const electronPackageDir = path.join(root, 'node_modules', 'electron');
const nativeDir = path.join(root, 'out', 'electron-native');
const stampFile = path.join(nativeDir, 'stamp.json'); // read by electron/main/native-modules.ts
const HEADERS_URL = 'https://electronjs.org/headers';
/** Rebuilt for Electron. Keytar is optional (and N-API), so a failed keytar build only warns. */
const NATIVE_MODULES = [
  { name: 'better-sqlite3-multiple-ciphers', required: true },
  { name: 'keytar', required: false },
];
const SERVE_HINT = 'Run "npm run serve" to use Attest in your browser instead.';

/** One clear line, then exit 1. */
function stop(message) {
  process.stderr.write(`Attest: ${message}\n`);
  process.exit(1);
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function build() {
  const r = spawnSync(process.execPath, [path.join(root, 'build', 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
  if (r.status !== 0) stop('the build failed (see the error above).');
}

/** Path of the Electron executable if it is installed: node_modules/electron/path.txt + dist/. */
function installedElectronBinary() {
  try {
    const relative = fs.readFileSync(path.join(electronPackageDir, 'path.txt'), 'utf8').trim();
    const binary = path.join(electronPackageDir, 'dist', relative);
    return relative && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** true when version a >= b (plain x.y.z). */
function versionAtLeast(a, b) {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0);
  }
  return true;
}

function ensureElectronBinary(electronPackage) {
  const found = installedElectronBinary();
  if (found) return found;
  const needsNode = String(electronPackage.engines?.node ?? '').match(/(\d+\.\d+\.\d+)/)?.[1];
  if (needsNode && !versionAtLeast(process.version, needsNode)) {
    stop(
      `the Electron runtime is not installed, and Electron ${electronPackage.version}'s installer needs Node ${needsNode} or newer (this is Node ${process.version.slice(1)}). ${SERVE_HINT}`,
    );
  }
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    stop(`the Electron runtime is not installed, and ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it was not downloaded. ${SERVE_HINT}`);
  }
  // One attempt, output captured: offline, it fails with a long stack nobody needs to read.
  spawnSync(process.execPath, [path.join(electronPackageDir, 'install.js')], {
    cwd: electronPackageDir,
    timeout: 60_000,
    stdio: 'pipe',
    env: process.env,
  });
  return installedElectronBinary() ?? stop(`the Electron runtime is not installed and could not be downloaded (offline?). ${SERVE_HINT}`);
}

/** What the stamp should say for the current Electron and node_modules. */
function wantedStamp(electronVersion) {
  const modules = {};
  for (const { name } of NATIVE_MODULES) {
    const pkg = readJson(path.join(root, 'node_modules', name, 'package.json'));
    if (pkg?.version) modules[name] = pkg.version;
  }
  return { electronVersion, platform: process.platform, arch: process.arch, modules };
}

/** node-gyp must build against Electron's headers: drop npm's nodedir & co. (an .npmrc may point them at Node's). */
function nodeGypEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|devdir|arch|build_from_source)$/i.test(key)) delete env[key];
  }
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

function findNodeGyp() {
  const candidates = [
    path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}

function rebuildNativeModules(electronVersion) {
  const wanted = wantedStamp(electronVersion);
  const current = readJson(stampFile);
  const sqliteBinding = path.join(nativeDir, 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node');
  // `sources` = module versions found in node_modules when the stamp was written, built or not.
  const sameSources = JSON.stringify(current?.sources ?? null) === JSON.stringify(wanted.modules);
  if (
    current &&
    current.electronVersion === wanted.electronVersion &&
    current.platform === wanted.platform &&
    current.arch === wanted.arch &&
    sameSources &&
    fs.existsSync(sqliteBinding)
  ) {
    return; // already built for this Electron and these module versions
  }
  const nodeGyp = findNodeGyp();
  if (!nodeGyp) stop('node-gyp was not found, so the native modules cannot be built for Electron. Reinstall with "npm ci".');

  console.log(`Attest: building native modules for Electron ${electronVersion} (once per Electron version; a few minutes)...`);
  fs.mkdirSync(nativeDir, { recursive: true });
  fs.rmSync(stampFile, { force: true });
  const built = {};
  const skipped = [];
  for (const { name, required } of NATIVE_MODULES) {
    const source = path.join(root, 'node_modules', name);
    if (!fs.existsSync(source)) {
      if (required) stop(`node_modules/${name} is missing. Run "npm ci".`);
      skipped.push(name);
      continue;
    }
    const target = path.join(nativeDir, name);
    fs.rmSync(target, { recursive: true, force: true });
    // A clean copy without the Node-ABI build output.
    fs.cpSync(source, target, { recursive: true, filter: (src) => path.relative(source, src).split(path.sep)[0] !== 'build' });
    const logFile = path.join(nativeDir, `${name}.build.log`);
    const r = spawnSync(
      process.execPath,
      [
        nodeGyp,
        'rebuild',
        `--target=${electronVersion}`,
        `--arch=${process.arch}`,
        `--dist-url=${HEADERS_URL}`,
        '--runtime=electron',
        `--devdir=${path.join(os.homedir(), '.electron-gyp')}`,
        '--jobs=max',
      ],
      { cwd: target, env: nodeGypEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    fs.writeFileSync(logFile, `${r.stdout ?? ''}\n${r.stderr ?? ''}\n${r.error ? String(r.error) : ''}`);
    if (r.status !== 0) {
      if (required) stop(`building ${name} for Electron ${electronVersion} failed; the compiler output is in ${path.relative(root, logFile)}.`);
      console.warn(`Attest: ${name} could not be built for Electron (see ${path.relative(root, logFile)}); the copy in node_modules will be used.`);
      fs.rmSync(target, { recursive: true, force: true });
      skipped.push(name);
      continue;
    }
    built[name] = wanted.modules[name];
  }
  const stamp = { ...wanted, sources: wanted.modules, modules: built, skipped };
  fs.writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
}

function launch(binary) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would turn Electron into plain Node
  const child = spawn(binary, [root, ...electronArgs], { stdio: 'inherit', env, windowsHide: false });
  const forward = (signal) => () => {
    if (child.exitCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, forward(signal));
  child.on('error', (err) => stop(`could not start Electron: ${err.message}`));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electronPackage = readJson(path.join(electronPackageDir, 'package.json'));
if (!electronPackage?.version) stop(`node_modules/electron is missing. Run "npm ci" (or "npm run serve" to use Attest in your browser).`);
if (!ownArgs.has('--no-build')) build();
if (ownArgs.has('--prepare-only')) {
  rebuildNativeModules(electronPackage.version);
} else {
  // The runtime first: offline, the operator gets the one-line answer before any compiling starts.
  const binary = ensureElectronBinary(electronPackage);
  rebuildNativeModules(electronPackage.version);
  launch(binary);
}
