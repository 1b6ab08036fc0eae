import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { screenshotDir } from './serve-process';

// Debian's Chromium driven by playwright-core (no downloaded browsers). playwright-core gives every
// launch a fresh user data dir.

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(chromiumPath);

/** Printed once per file when the suite is skipped, so a green run never hides that nothing ran. */
export function announceSkip(suite: string): void {
  if (!hasChromium) console.warn(`e2e ${suite}: SKIPPED — Chromium not found at ${chromiumPath} (set CHROMIUM_PATH or apt-get install chromium).`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught page errors (CSP violations show up here). */
  problems: string[];
  /** Text frames the page received per WebSocket URL path (tokens stripped), e.g. pushes on /ws. */
  socketFrames: Map<string, string[]>;
}

/** A new page whose console errors and page errors are collected, so a CSP violation fails the test. */
export async function openPage(browser: Browser): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  const socketFrames = new Map<string, string[]>();
  page.on('websocket', (ws) => {
    const key = new URL(ws.url()).pathname;
    const frames = socketFrames.get(key) ?? [];
    socketFrames.set(key, frames);
    ws.on('framereceived', (frame) => {
      if (typeof frame.payload === 'string') frames.push(frame.payload);
    });
  });
  return { page, problems, socketFrames };
}

/**
 * Errors worth failing on. Not counted: expected HTTP error answers (a wrong passphrase is a 403, the
 * favicon a 404). Any CSP complaint counts (the page's meta CSP must be one the browser accepts whole).
 */
export function seriousProblems(problems: string[]): string[] {
  return problems.filter((p) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(p));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  // The viewport, as the operator sees it: the shell scrolls inside itself, so a full-page capture would
  // show blank space below a 100vh layout instead of more content.
  await page.screenshot({ path: file });
  return file;
}

/** For onTestFailed: captures what the page showed when a step failed (test-results/e2e/FAILED-<test>.png). */
export function screenshotOnFailure(page: Page): (ctx: { task: { name: string } }) => Promise<void> {
  return async (ctx) => {
    const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await screenshot(page, `FAILED-${name}`).catch(() => undefined);
  };
}
