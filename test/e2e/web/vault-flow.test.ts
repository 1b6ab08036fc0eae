import http from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { announceSkip, hasChromium, launchChromium, openPage, screenshot, screenshotOnFailure, seriousProblems } from './browser';
import { ensureBuilt, startServe, tempVaultDir, type ServeProcess } from './serve-process';

// The vault's life in a browser against the real `attest serve`: create with a passphrase, lock, a wrong
// passphrase (clear message), the right one, Settings, lock again. Screenshots land in test-results/e2e/.

announceSkip('vault flow');

const PASSPHRASE = 'correct horse battery staple';

describe.skipIf(!hasChromium)('web: vault create, lock, unlock, settings', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let dirs: ReturnType<typeof tempVaultDir>;

  beforeAll(async () => {
    ensureBuilt();
    dirs = tempVaultDir('vault');
    serve = await startServe(dirs.vault);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    const code = await serve?.stop();
    dirs?.cleanup();
    expect(code === 0 || code === null, `attest serve exited with ${code}: ${serve?.stderr()}`).toBe(true);
  });

  it('prints the URL contract first and refuses the API without the token', async () => {
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: serve.port, method: 'POST', path: '/rpc/vault:status' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(401);
  });

  it('serves the built renderer with the strict CSP naming its own port', async () => {
    const page = await new Promise<{ status: number; csp: string | undefined; body: string }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: serve.port, path: '/' }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, csp: res.headers['content-security-policy'] as string | undefined, body }));
        })
        .on('error', reject);
    });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<script type="module"[^>]*src="\.\/assets\//);
    expect(page.csp).toContain(`connect-src 'self' ws://127.0.0.1:${serve.port} ws://localhost:${serve.port}`);
    expect(page.csp).toContain("script-src 'self';");
  });

  it('walks through create, lock, wrong and right passphrase, settings and lock again', async () => {
    const { page, problems } = await openPage(browser);
    onTestFailed(screenshotOnFailure(page));
    const main = page.getByRole('navigation', { name: 'Main' });

    // 1. No vault yet: the create form.
    await page.goto(serve.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Create your vault' }).isVisible(), { timeout: 20_000 }).toBe(true);
    // The token left the address bar (kept for the tab only).
    expect(page.url()).not.toContain(serve.token);
    await screenshot(page, '01-create-vault');

    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create vault' }).click();

    // 2. Created and unlocked: the shell with its navigation.
    await main.getByRole('link', { name: 'Overview' }).waitFor({ timeout: 60_000 });
    await screenshot(page, '02-unlocked-overview');

    // 3. Lock.
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlock your vault' }).waitFor({ timeout: 20_000 });
    await screenshot(page, '03-locked');

    // 4. Wrong passphrase: a clear message, still locked.
    await page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase at all');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    await expect.poll(() => alert.innerText()).toMatch(/wrong passphrase/i);
    expect(await page.getByRole('heading', { name: 'Unlock your vault' }).isVisible()).toBe(true);
    await screenshot(page, '04-wrong-passphrase');

    // 5. Right passphrase.
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await main.getByRole('link', { name: 'Overview' }).waitFor({ timeout: 60_000 });

    // 6. Settings: vault id, unlock methods, schema version.
    await main.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor({ timeout: 20_000 });
    const facts = page.locator('dl.facts');
    await facts.waitFor();
    // innerText follows CSS (the labels are upper-cased by the style sheet): match case-insensitively.
    const text = await facts.innerText();
    expect(text).toMatch(/Vault ID\s+[0-9a-f-]{8,}/i);
    expect(text).toMatch(/Unlock methods\s+Passphrase/i);
    expect(text).toMatch(/Schema version\s+\d+/i);
    await screenshot(page, '05-settings');

    // 7. Lock again.
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlock your vault' }).waitFor({ timeout: 20_000 });
    await screenshot(page, '06-locked-again');

    expect(seriousProblems(problems), 'console errors (CSP violations, crashes) in the page').toEqual([]);
  });
});
