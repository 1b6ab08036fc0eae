import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export interface WindowSecurityOptions {
  /** Absolute path of the bundled preload (out/preload/index.js). */
  preloadPath: string;
  /** DevTools only in development; packaged builds never open them. */
  devTools: boolean;
}

/** The webPreferences of every Attest window: Electron's security checklist, spelled out rather than defaulted. */
export function secureWebPreferences(opts: WindowSecurityOptions): WebPreferences {
  return {
    preload: opts.preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    plugins: false,
    // Dropping a file must not navigate the window to file://; the renderer handles drops itself.
    navigateOnDragDrop: false,
    // Chromium's Linux spellchecker downloads dictionaries: no remote content.
    spellcheck: false,
    safeDialogs: true,
    devTools: opts.devTools,
  };
}

/** The main window's options: hidden until painted, nothing that loads remote content. */
export function mainWindowOptions(opts: WindowSecurityOptions): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Attest',
    backgroundColor: '#ffffff',
    webPreferences: secureWebPreferences(opts),
  };
}
