import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The hardened Electron shell, driven by playwright-core's _electron. Needs the Electron runtime, which an
// offline install does not have (electron 45 downloads it on first use): then the suite skips with one line.
// Detection reads node_modules/electron/path.txt + dist/ and never require('electron'), which would download.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const preloadPath = path.join(root, 'out', 'preload', 'index.js');
const APP_URL = /^app:\/\/attest\//;

function installedElectronBinary(): string | null {
  const electronDir = path.join(root, 'node_modules', 'electron');
  try {
    const relative = fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim();
    const binary = path.join(electronDir, 'dist', relative);
    return relative && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const electronBinary = installedElectronBinary();
if (!electronBinary) console.log('Electron binary absent (offline install): shell tests skipped');
const suite = electronBinary ? describe : describe.skip;

/** A private X server when Linux has no display (CI): Xvfb picks a free display number and reports it on fd 3. */
async function startXvfb(): Promise<{ display: string; process: ChildProcess } | null> {
  if (process.platform !== 'linux' || process.env.DISPLAY) return null;
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    (xvfb.stdio[3] as Readable).on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${String(code)} before reporting a display`)));
  });
  return { display, process: xvfb };
}

suite('Electron shell (hardened)', () => {
  let tmp = '';
  let env: Record<string, string> = {};
  let xvfb: { display: string; process: ChildProcess } | null = null;
  let app: ElectronApplication | undefined;
  let page: Page;

  beforeAll(async () => {
    // Build and make the Electron-ABI native modules (once per Electron version; minutes the first time).
    const prepared = spawnSync(process.execPath, [path.join(root, 'build', 'scripts', 'start.mjs'), '--prepare-only'], {
      cwd: root,
      stdio: 'inherit',
      timeout: 20 * 60_000,
    });
    expect(prepared.status, 'npm start --prepare-only failed').toBe(0);

    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-shell-'));
    xvfb = await startXvfb();
    env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
    delete env.ELECTRON_RUN_AS_NODE;
    env.ATTEST_USER_DATA_DIR = path.join(tmp, 'user-data');
    env.ATTEST_VAULT_DIR = path.join(tmp, 'vault');
    if (xvfb) env.DISPLAY = xvfb.display;

    app = await _electron.launch({ args: [root], cwd: root, env, timeout: 60_000 });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 25 * 60_000);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    xvfb?.process.kill();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('serves the window from app://attest/ with contextIsolation, sandbox and no Node', async () => {
    expect(page.url()).toMatch(APP_URL);
    const prefs = await app!.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]?.webContents as unknown as {
        getLastWebPreferences(): Record<string, unknown> | null;
      };
      const p = contents.getLastWebPreferences() ?? {};
      return {
        contextIsolation: p.contextIsolation,
        sandbox: p.sandbox,
        nodeIntegration: p.nodeIntegration,
        nodeIntegrationInSubFrames: p.nodeIntegrationInSubFrames,
        webSecurity: p.webSecurity,
        webviewTag: p.webviewTag,
      };
    });
    expect(prefs).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    });
    const globals = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const bridge = w.attest as { invoke?: unknown; vault?: { status?: unknown } } | undefined;
      return {
        require: typeof w.require,
        process: typeof w.process,
        module: typeof w.module,
        invoke: typeof bridge?.invoke,
        vaultStatus: typeof bridge?.vault?.status,
      };
    });
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', invoke: 'function', vaultStatus: 'function' });
  });

  it('sends the strict CSP with app pages, refuses traversal, and the page enforces the policy', async () => {
    const served = await app!.evaluate(async ({ net }) => {
      const index = await net.fetch('app://attest/index.html');
      const traversal = await net.fetch('app://attest/..%2f..%2fpackage.json');
      return { status: index.status, csp: index.headers.get('content-security-policy'), traversal: traversal.status };
    });
    expect(served.status).toBe(200);
    expect(served.csp).toContain("default-src 'self'");
    expect(served.csp).toContain("script-src 'self'");
    expect(served.traversal).toBe(403);

    const inlineRan = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__attestInlineRan = true';
      document.head.appendChild(script);
      await new Promise((r) => setTimeout(r, 100));
      return (window as unknown as { __attestInlineRan?: boolean }).__attestInlineRan === true;
    });
    expect(inlineRan).toBe(false);
  });

  it('blocks navigation to an outside URL, by script and by link', async () => {
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(1000);
    expect(page.url()).toMatch(APP_URL);

    await page.evaluate(() => {
      const a = document.createElement('a');
      a.href = 'file:///etc/passwd';
      a.id = 'attest-e2e-link';
      a.textContent = 'x';
      document.body.appendChild(a);
      a.click();
    });
    await page.waitForTimeout(1000);
    expect(page.url()).toMatch(APP_URL);
  });

  it('denies window.open (no new window, not even for the app origin)', async () => {
    const results = await page.evaluate(() => [
      window.open('https://example.com/', '_blank') === null,
      window.open('app://attest/index.html') === null,
    ]);
    expect(results).toEqual([true, true]);
    await page.waitForTimeout(500);
    const windowCount = await app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
    expect(windowCount).toBe(1);
  });

  it('answers IPC from the app window and refuses it from a page of another origin, even with the preload', async () => {
    const own = await page.evaluate(() =>
      (window as unknown as { attest: { invoke(c: string, p: unknown): Promise<unknown> } }).attest.invoke('vault:status', {}),
    );
    expect(own).toMatchObject({ ok: true });

    const foreign = await app!.evaluate(
      async ({ BrowserWindow }, { preload, urls }) => {
        const results: unknown[] = [];
        for (const url of urls) {
          const win = new BrowserWindow({ show: false, webPreferences: { preload, sandbox: true, contextIsolation: true } });
          await win.loadURL(url).catch(() => undefined);
          results.push(
            await win.webContents.executeJavaScript(
              "window.attest ? window.attest.invoke('vault:status', {}) : Promise.resolve('no bridge')",
            ),
          );
          win.destroy();
        }
        return results;
      },
      { preload: preloadPath, urls: ['app://elsewhere/index.html', 'data:text/html,<title>foreign</title>'] },
    );
    expect(foreign).toEqual([
      { ok: false, error: expect.objectContaining({ code: 'UNAUTHORIZED' }) },
      { ok: false, error: expect.objectContaining({ code: 'UNAUTHORIZED' }) },
    ]);
  });

  it('refuses unknown channels in the preload, before anything reaches main', async () => {
    const result = await page.evaluate(() =>
      (window as unknown as { attest: { invoke(c: string, p: unknown): Promise<unknown> } }).attest.invoke('shell:exec', {}),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('denies permission requests and permission checks', async () => {
    const permissions = await page.evaluate(async () => ({
      notificationRequest: await Notification.requestPermission(),
      geolocationCheck: (await navigator.permissions.query({ name: 'geolocation' })).state,
      clipboardRead: await navigator.clipboard.readText().then(
        () => 'granted',
        () => 'denied',
      ),
    }));
    expect(permissions).toEqual({ notificationRequest: 'denied', geolocationCheck: 'denied', clipboardRead: 'denied' });
  });

  it('lets only one instance run: a second launch hands over and exits', async () => {
    const second = spawn(electronBinary!, [...(process.platform === 'linux' ? ['--no-sandbox'] : []), root], {
      cwd: root,
      env,
      stdio: 'ignore',
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        second.kill();
        reject(new Error('the second instance did not exit'));
      }, 30_000);
      second.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(code).toBe(0);
    expect(await app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });
});
