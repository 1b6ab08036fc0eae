import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { controller as FakeController, FakeWebContents, PreventableEvent } from './fakes/fake-electron';
import type { FakeHost } from './fakes/fake-create-host';

// electron/main/index.ts bundled the way build.mjs bundles it, but with 'electron' and the host replaced by
// recording fakes, then loaded in plain Node: checks the wiring (order of protocol registration, handlers
// on every WebContents, IPC sender check, pushes, power events, quit) that only a real Electron could run.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fakesDir = fileURLToPath(new URL('./fakes/', import.meta.url));
const requireHere = createRequire(import.meta.url);
type Controller = typeof FakeController;

let tmp: string;

async function loadMain(name: string, opts: { stamp?: unknown; singleInstance?: boolean; realHost?: boolean; sqliteBinding?: string } = {}) {
  const out = path.join(tmp, name, 'out');
  fs.mkdirSync(path.join(out, 'renderer'), { recursive: true });
  fs.mkdirSync(path.join(out, 'preload'), { recursive: true });
  fs.writeFileSync(path.join(out, 'renderer', 'index.html'), '<!doctype html><title>Attest</title>');
  fs.writeFileSync(path.join(out, 'preload', 'index.js'), '');
  if (opts.stamp !== undefined) {
    fs.mkdirSync(path.join(out, 'electron-native'), { recursive: true });
    fs.writeFileSync(path.join(out, 'electron-native', 'stamp.json'), JSON.stringify(opts.stamp));
  }
  if (opts.sqliteBinding) {
    const release = path.join(out, 'electron-native', 'better-sqlite3-multiple-ciphers', 'build', 'Release');
    fs.mkdirSync(release, { recursive: true });
    fs.copyFileSync(opts.sqliteBinding, path.join(release, 'better_sqlite3.node'));
  }
  await build({
    entryPoints: { index: path.join(root, 'electron/main/index.ts') },
    outdir: path.join(out, 'main'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
    plugins: [
      {
        name: 'fakes',
        setup(b) {
          b.onResolve({ filter: /^electron$/ }, () => ({ path: path.join(fakesDir, 'fake-electron.ts') }));
          if (!opts.realHost) b.onResolve({ filter: /\/create-host$/ }, () => ({ path: path.join(fakesDir, 'fake-create-host.ts') }));
          // Native packages stay outside the bundle, required by absolute path (the bundle lives in a temp folder).
          // keytar is optional (it does not build without libsecret): when it is absent the bundle requires it
          // by name and fails at runtime, as the app does, instead of failing to build.
          b.onResolve({ filter: /^(better-sqlite3-multiple-ciphers|keytar)$/ }, (args) => {
            try {
              return { path: requireHere.resolve(args.path), external: true };
            } catch (err) {
              if (args.path !== 'keytar') throw err;
              return { path: args.path, external: true };
            }
          });
        },
      },
    ],
  });
  (globalThis as { __fakeElectronConfig?: unknown }).__fakeElectronConfig = { singleInstance: opts.singleInstance };
  requireHere(path.join(out, 'main', 'index.js'));
  const electron = (globalThis as unknown as { __fakeElectron: Controller }).__fakeElectron;
  return { out, electron };
}

const host = () => (globalThis as unknown as { __fakeHost: FakeHost }).__fakeHost;
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
// process.versions.electron is undefined in Node, so main looks for a stamp made for Electron ''.
const goodStamp = { electronVersion: '', platform: process.platform, arch: process.arch, modules: { 'better-sqlite3-multiple-ciphers': '12' } };

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-main-'));
  process.env.ATTEST_USER_DATA_DIR = path.join(tmp, 'user-data');
  process.env.ATTEST_VAULT_DIR = path.join(tmp, 'vault');
});

afterAll(() => {
  delete process.env.ATTEST_USER_DATA_DIR;
  delete process.env.ATTEST_VAULT_DIR;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('electron/main/index.ts wiring', () => {
  let electron: Controller;
  let out: string;
  let contents: FakeWebContents;

  beforeAll(async () => {
    ({ electron, out } = await loadMain('ok', { stamp: goodStamp }));
  });

  it('registers app:// as a privileged scheme and enables the sandbox before ready', () => {
    const registered = electron.calls.find((c) => c[0] === 'protocol.registerSchemesAsPrivileged');
    expect(registered).toEqual([
      'protocol.registerSchemesAsPrivileged',
      [{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }],
      false,
    ]);
    expect(electron.calls).toContainEqual(['app.enableSandbox', false]);
    expect(electron.calls).toContainEqual(['app.setPath', 'userData', path.join(tmp, 'user-data')]);
    expect(electron.windows).toHaveLength(0);
  });

  it('on ready: hardens the session, serves app://, opens one secure window on app://attest/', async () => {
    electron.fireReady();
    await tick();
    expect(electron.calls.find((c) => c[0] === 'app.exit')).toBeUndefined();
    expect(electron.windows).toHaveLength(1);
    const win = electron.windows[0]!;
    contents = win.webContents;
    const prefs = (win.options as { webPreferences: Record<string, unknown> }).webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: true });
    expect(prefs.preload).toBe(path.join(out, 'preload', 'index.js'));
    expect(electron.calls).toContainEqual(['win.loadURL', 'app://attest/index.html']);

    const served = await electron.protocolHandlers.get('app')!(new Request('app://attest/'));
    expect(served.status).toBe(200);
    expect(served.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await electron.protocolHandlers.get('app')!(new Request('app://attest/..%2f..%2fmain%2findex.js'))).status).toBe(403);
  });

  it('passes the host its vault, worker folder, operator and the Electron-ABI SQLite binding', () => {
    expect(host().options).toMatchObject({
      vaultDir: path.join(tmp, 'vault'),
      workerDir: path.join(out, 'main'),
      operator: expect.any(String),
      sqliteNativeBinding: path.join(out, 'electron-native', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node'),
    });
  });

  it('denies every permission request and check, and cancels network requests', () => {
    const answers: boolean[] = [];
    const request = electron.sessionHandlers.permissionRequest as (c: unknown, p: string, cb: (v: boolean) => void, d: unknown) => void;
    request(contents, 'media', (v) => answers.push(v), { requestingUrl: 'app://attest/index.html' });
    const check = electron.sessionHandlers.permissionCheck as (c: unknown, p: string, origin: string) => boolean;
    answers.push(check(contents, 'clipboard-read', 'app://attest'));
    answers.push((electron.sessionHandlers.devicePermission as () => boolean)());
    expect(answers).toEqual([false, false, false]);
    const decisions: unknown[] = [];
    const beforeRequest = electron.sessionHandlers.beforeRequest as (d: unknown, cb: (r: unknown) => void) => void;
    beforeRequest({ url: 'https://example.com/' }, (r) => decisions.push(r));
    beforeRequest({ url: 'app://attest/assets/app.js' }, (r) => decisions.push(r));
    expect(decisions).toEqual([{ cancel: true }, { cancel: false }]);
  });

  it('denies window.open and sends only allow-listed https links to the browser', () => {
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://gdpr-info.eu/art-17-gdpr/' })).toEqual({ action: 'deny' });
    const opened = electron.calls.filter((c) => c[0] === 'shell.openExternal');
    expect(opened).toEqual([['shell.openExternal', 'https://gdpr-info.eu/art-17-gdpr/']]);
  });

  it('blocks navigation away from the app, sub-frame navigation, redirects out and webviews', () => {
    const fire = (event: string, extra: Record<string, unknown>) => {
      const e: PreventableEvent = { prevented: false, preventDefault() { this.prevented = true; }, ...extra };
      contents.emit(event, e);
      return e.prevented;
    };
    expect(fire('will-navigate', { url: 'https://example.com/', isMainFrame: true })).toBe(true);
    expect(fire('will-navigate', { url: 'app://attest/index.html', isMainFrame: true })).toBe(false);
    expect(fire('will-frame-navigate', { url: 'about:srcdoc', isMainFrame: false })).toBe(true);
    expect(fire('will-frame-navigate', { url: 'app://attest/index.html', isMainFrame: false })).toBe(true);
    expect(fire('will-redirect', { url: 'https://evil.example/', isMainFrame: true })).toBe(true);
    expect(fire('will-attach-webview', {})).toBe(true);
  });

  it('answers IPC only from the main frame of the app page', async () => {
    const invoke = electron.ipcHandlers.get('attest:invoke')!;
    const fromApp = { sender: contents, senderFrame: contents.mainFrame };
    expect(await invoke(fromApp, 'vault:status', {})).toEqual({ ok: true, value: 'fake' });
    expect(host().dispatched.at(-1)?.[2]).toMatchObject({ transport: 'ipc' });

    const iframe = new electron.FakeFrame('app://attest/index.html', contents.mainFrame as never, 1, 2);
    const foreign = new electron.FakeFrame('data:text/html,x');
    for (const event of [
      { sender: contents, senderFrame: iframe },
      { sender: { ...contents, mainFrame: foreign, isDestroyed: () => false }, senderFrame: foreign },
      { sender: contents, senderFrame: null },
    ]) {
      expect(await invoke(event, 'vault:status', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect(host().dispatched).toHaveLength(1);
  });

  it('forwards host pushes (auto-lock, progress) to the app window', () => {
    for (const listener of host().pushListeners) listener({ type: 'vault:locked', reason: 'idle' });
    expect(contents.sent).toContainEqual(['attest:push', { type: 'vault:locked', reason: 'idle' }]);
  });

  it('locks the vault when the screen locks or the machine suspends', async () => {
    const before = host().dispatched.length;
    electron.powerMonitor.emit('lock-screen');
    electron.powerMonitor.emit('suspend');
    await tick();
    expect(host().dispatched.slice(before).map((d) => [d[0], d[2].transport])).toEqual([
      ['vault:lock', 'inproc'],
      ['vault:lock', 'inproc'],
    ]);
  });

  it('focuses the existing window when a second instance starts', () => {
    electron.app.emit('second-instance');
    expect(electron.windows).toHaveLength(1);
    expect(electron.calls).toContainEqual(['win.focus']);
  });

  it('disposes the host (locking the vault) before quitting', async () => {
    electron.app.emit('window-all-closed');
    expect(electron.calls.filter((c) => c[0] === 'app.quit:done')).toHaveLength(0);
    await tick();
    expect(host().disposed).toBe(true);
    expect(electron.calls.filter((c) => c[0] === 'app.quit:done')).toHaveLength(1);
  });
});

describe('electron/main/index.ts with the real host', () => {
  it('answers vault:status over IPC from the app frame, through the registry and the SQLite binding it chose', async () => {
    const nodeAbiBinding = path.join(path.dirname(requireHere.resolve('better-sqlite3-multiple-ciphers/package.json')), 'build', 'Release', 'better_sqlite3.node');
    const { electron } = await loadMain('real-host', { stamp: goodStamp, realHost: true, sqliteBinding: nodeAbiBinding });
    electron.fireReady();
    await tick();
    expect(electron.calls.find((c) => c[0] === 'app.exit')).toBeUndefined();
    const contents = electron.windows[0]!.webContents;
    const invoke = electron.ipcHandlers.get('attest:invoke')!;
    const status = await invoke({ sender: contents, senderFrame: contents.mainFrame }, 'vault:status', {});
    expect(status).toMatchObject({ ok: true, value: { path: path.join(tmp, 'vault'), exists: false, locked: true } });
    // Creating a vault opens the encrypted database through the binding main chose from the stamp.
    const created = await invoke({ sender: contents, senderFrame: contents.mainFrame }, 'vault:create', { passphrase: 'correct horse battery' });
    expect(created).toMatchObject({ ok: true, value: { exists: true, locked: false } });
    const refused = await invoke({ sender: contents, senderFrame: new electron.FakeFrame('https://evil.example/') }, 'vault:status', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    electron.app.emit('window-all-closed');
    await vi.waitFor(() => expect(electron.calls.filter((c) => c[0] === 'app.quit:done')).toHaveLength(1));
  }, 60_000);
});

describe('electron/main/index.ts start-up refusals', () => {
  it('exits with a clear message when the native modules are not built for this Electron', async () => {
    const { electron } = await loadMain('no-native');
    electron.fireReady();
    await tick();
    expect(electron.calls).toContainEqual(['app.exit', 1]);
    const shown = electron.calls.find((c) => c[0] === 'dialog.showErrorBox');
    expect(shown?.[2]).toMatch(/not built for Electron.*npm start/);
    expect(electron.windows).toHaveLength(0);
  });

  it('leaves at once when another instance holds the lock', async () => {
    const { electron } = await loadMain('second', { stamp: goodStamp, singleInstance: false });
    electron.fireReady();
    await tick();
    expect(electron.calls).toContainEqual(['app.quit']);
    expect(electron.windows).toHaveLength(0);
  });
});
