import { BrowserWindow } from 'electron';
import { mainWindowOptions } from './web-preferences';
import { APP_ENTRY_URL } from './security-policy';

export interface MainWindowOptions {
  preloadPath: string;
  devTools: boolean;
}

/** The one application window: secure webPreferences, shown once painted, loaded from app://attest/. */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(opts));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
