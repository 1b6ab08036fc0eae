import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { announceSkip, hasChromium, launchChromium, openPage, screenshot, screenshotOnFailure, seriousProblems } from './browser';
import { ensureBuilt, repoRoot, runCli, startServe, tempVaultDir, type ServeProcess } from './serve-process';

// The Events screen against the real `attest serve`: a vault made and filled through the CLI (real sshd
// log), rows shown, a row's detail panel; then a second file imported through the browser's upload path.

announceSkip('events');

const PASSPHRASE = 'e2e events passphrase';
// Shared with the ingestion tests (attribution in test/fixtures/README.md).
const SSHD_LOG = path.join(repoRoot, 'test/fixtures/ingest/syslog/OpenSSH_2k.log');
const OCSF_AUTH = path.join(repoRoot, 'test/fixtures/ingest/ocsf/authentication.ocsf.json');

/** Opens the app and unlocks it when needed (the vault stays unlocked on the host between pages). */
async function openUnlocked(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const unlockHeading = page.getByRole('heading', { name: 'Unlock your vault' });
  const eventsLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' });
  await unlockHeading.or(eventsLink).first().waitFor({ timeout: 20_000 });
  if (await unlockHeading.isVisible()) {
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  }
  await eventsLink.waitFor({ timeout: 60_000 });
}

/** The events list, by its accessible name (its role is grid or table depending on the renderer's version). */
const eventsGrid = (page: Page) => page.getByLabel('Events, latest recorded first', { exact: true });

describe.skipIf(!hasChromium)('web: events explorer', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let dirs: ReturnType<typeof tempVaultDir>;

  beforeAll(async () => {
    ensureBuilt();
    dirs = tempVaultDir('events');
    const env = { ATTEST_PASSPHRASE: PASSPHRASE };
    const init = runCli(['init', '--vault', dirs.vault], env);
    expect(init.status, `attest init failed: ${init.stderr}`).toBe(0);
    const ingest = runCli(['ingest', '--vault', dirs.vault, SSHD_LOG], env);
    expect(ingest.status, `attest ingest failed: ${ingest.stderr}`).toBe(0);
    serve = await startServe(dirs.vault);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dirs?.cleanup();
  });

  it('shows imported rows and opens the detail panel of one', async () => {
    const { page, problems } = await openPage(browser);
    onTestFailed(screenshotOnFailure(page));
    await openUnlocked(page, serve.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();

    const table = eventsGrid(page);
    await table.waitFor({ timeout: 20_000 });
    const dataRows = table.locator('[role="row"][aria-selected]');
    await dataRows.first().waitFor({ timeout: 30_000 });
    expect(await dataRows.count()).toBeGreaterThan(5);
    // Hostile-looking log text is shown as text: the sshd lines name the host and the daemon.
    expect(await table.innerText()).toMatch(/sshd|LabSZ|webmaster|invalid/i);
    await screenshot(page, '10-events');

    // The newest rows are the vault's own audit events (unlock); open a failed sshd login.
    const sshdFailure = dataRows.filter({ hasText: 'syslog' }).filter({ hasText: 'Failure' }).first();
    await sshdFailure.click();
    const panel = page.getByRole('complementary', { name: 'Event details' });
    await panel.waitFor({ timeout: 20_000 });
    await panel.getByRole('heading', { name: /^Event #\d+/ }).waitFor({ timeout: 20_000 });
    await expect.poll(() => panel.getByLabel('Raw record as received').innerText(), { timeout: 20_000 }).toMatch(/sshd\[\d+\]/);
    await screenshot(page, '11-event-detail');

    await panel.getByRole('button', { name: 'Close event details' }).click();
    await panel.waitFor({ state: 'detached', timeout: 10_000 });
    expect(seriousProblems(problems), 'console errors in the page').toEqual([]);
  });

  it('lists the oldest recorded first when asked, from the address as from the Order list', async () => {
    const { page, problems } = await openPage(browser);
    onTestFailed(screenshotOnFailure(page));
    await openUnlocked(page, serve.url);
    await page.goto(`${serve.url.split('#')[0]}#/events`);
    const firstRowText = async (label: string) => {
      const row = page.getByLabel(label, { exact: true }).locator('[role="row"][aria-selected]').first();
      await row.waitFor({ timeout: 30_000 });
      return row.innerText();
    };
    // Latest first: Attest's own unlock; oldest first: the vault's creation, then the sshd log's first line.
    expect(await firstRowText('Events, latest recorded first')).toMatch(/vault\.unlock/);
    await page.getByRole('combobox', { name: 'Order' }).selectOption('oldest');
    await page.waitForFunction(() => location.hash.includes('order=oldest'));
    expect(await firstRowText('Events, oldest recorded first')).toMatch(/vault\.create/);
    const oldestGrid = page.getByLabel('Events, oldest recorded first', { exact: true });
    // Filtered to the sshd source, the first row is the log's first line. Matched by its message, not its time:
    // the table shows times in the browser's zone, which a CI machine may not have set to UTC.
    await page.goto(`${serve.url.split('#')[0]}#/events?source=syslog&order=oldest`);
    await expect.poll(() => oldestGrid.locator('[role="row"][aria-selected]').first().innerText(), { timeout: 30_000 }).toMatch(/reverse mapping checking getaddrinfo for ns\.marryaldkfaczcz\.com/);
    await screenshot(page, '12-events-oldest-first');
    expect(seriousProblems(problems), 'console errors in the page').toEqual([]);
  });

  it('imports a file through the browser upload and shows its events', async () => {
    const { page, problems, socketFrames } = await openPage(browser);
    onTestFailed(screenshotOnFailure(page));
    await openUnlocked(page, serve.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    await eventsGrid(page).waitFor({ timeout: 20_000 });

    await page.locator('input[type="file"]').setInputFiles(OCSF_AUTH);
    const summary = page.getByRole('status').filter({ hasText: /Import (finished|failed|cancelled)/ });
    await summary.waitFor({ timeout: 60_000 });
    const summaryText = await summary.innerText();
    // innerText follows the style sheet (upper-cased headings): match case-insensitively.
    expect(summaryText).toMatch(/Import finished/i);
    expect(summaryText).toMatch(/Imported\s+1\b/i);
    await screenshot(page, '12-upload-imported');

    // The OCSF event's actor is now in the table.
    const table = eventsGrid(page);
    await expect.poll(() => table.innerText(), { timeout: 20_000 }).toMatch(/anaya/);
    // Progress reached the page over the push socket, not only by polling.
    const pushes = (socketFrames.get('/ws') ?? []).map((f) => JSON.parse(f) as { type?: string });
    expect(pushes.some((p) => p.type === 'ingest:progress')).toBe(true);
    // The uploaded copy is removed once imported: the evidence now lives only in the encrypted vault.
    const uploads = path.join(dirs.vault, 'uploads');
    await expect.poll(() => (fs.existsSync(uploads) ? fs.readdirSync(uploads) : []), { timeout: 10_000 }).toEqual([]);
    expect(seriousProblems(problems), 'console errors in the page').toEqual([]);
  });

  it('lists the imports in the history and opens one batch\'s events from it', async () => {
    const { page, problems } = await openPage(browser);
    onTestFailed(screenshotOnFailure(page));
    await openUnlocked(page, serve.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    await page.getByRole('link', { name: 'Import history' }).click();
    const history = page.locator('.history-table');
    await history.waitFor({ timeout: 20_000 });
    // Batch 1 is the sshd log imported through the CLI: 2,000 lines, all accounted for.
    const first = history.locator('tbody tr').filter({ hasText: 'OpenSSH_2k.log' });
    expect(await first.innerText()).toMatch(/2,000/);
    await page.getByRole('button', { name: 'Show the details of batch 1' }).click();
    await page.getByRole('link', { name: 'Show these events' }).click();
    await expect.poll(() => page.locator('.explorer-meta p').innerText(), { timeout: 20_000 }).toMatch(/^2,000 events match/);
    expect(await page.getByLabel('Batch').inputValue()).toBe('1');
    await screenshot(page, '13-batch-events');
    expect(seriousProblems(problems), 'console errors in the page').toEqual([]);
  });

  it('narrows the Overview to a period dragged across its chart', async () => {
    const { page, problems } = await openPage(browser);
    onTestFailed(screenshotOnFailure(page));
    await openUnlocked(page, serve.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    const surface = page.locator('.chart-zoomable svg[role="application"]');
    await surface.waitFor({ timeout: 30_000 });
    const box = await surface.boundingBox();
    if (!box) throw new Error('the chart has no box');
    const y = box.y + box.height / 2;
    // From the last bucket (this run's own audit events, at the right edge of the plot) back to mid-way.
    await page.mouse.move(box.x + box.width - 18, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, y, { steps: 10 });
    await page.mouse.up();
    await page.getByText(/^Showing .+ to .+\./).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('combobox').first().inputValue()).toBe('custom');
    // The period's events are one click away, with the period as the explorer's filter.
    const href = await page.getByRole('link', { name: 'Show these events' }).getAttribute('href');
    expect(href).toMatch(/^#\/events\?since=\d+&until=\d+&hideOwn=1$/);
    await screenshot(page, '14-overview-zoomed');
    // The period is in the address: after following the link, Back returns to it.
    await page.getByRole('link', { name: 'Show these events' }).click();
    await page.locator('.explorer-meta p').filter({ hasText: /events? match/ }).waitFor({ timeout: 20_000 });
    await page.goBack();
    await page.getByText(/^Showing .+ to .+\./).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Back to all time' }).click();
    await page.getByText(/^Showing /).waitFor({ state: 'detached', timeout: 10_000 });
    expect(seriousProblems(problems), 'console errors in the page').toEqual([]);
  });
});
