import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';

const APP_CSS = path.resolve(__dirname, '../../../renderer/src/styles/app.css');

/**
 * Loads the app's stylesheet into the test document: happy-dom does no layout, but it does cascade, so a
 * test can check the rules a layout fault came from (a control's width, a cell's ellipsis).
 */
export function useAppStyles(): void {
  let style: HTMLStyleElement | null = null;
  beforeEach(() => {
    style = document.createElement('style');
    style.textContent = fs.readFileSync(APP_CSS, 'utf8');
    document.head.appendChild(style);
  });
  afterEach(() => {
    style?.remove();
    style = null;
  });
}
