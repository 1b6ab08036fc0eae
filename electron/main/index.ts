import { app, BrowserWindow, dialog, ipcMain, protocol, session, type IpcMainInvokeEvent } from 'electron';
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import type { Push } from '../../shared/contract';
import { createAppHost, type AppHost } from '../host/create-host';
import { IPC_PUSH_CHANNEL, registerIpcAdapter } from '../host/ipc-adapter';
import { currentOperator } from '../host/operator';
import { createKeytarKeyStore } from '../core/vault/keystore';
import { defaultVaultDir } from '../core/vault/default-location';
import { createAppProtocolHandler } from './app-protocol';
import { hardenSession, hardenWebContents } from './harden';
import { isAllowedInvokeEvent } from './ipc-sender';
import { chooseNativeModules } from './native-modules';
import { lockOnScreenLockAndSuspend } from './power';
import { APP_SCHEME, isAppUrl } from './security-policy';
import { createMainWindow } from './window';

// The Electron main process: lifecycle, the app:// protocol, IPC registration and push forwarding.
// Every decision lives in a pure module beside this one; this file only wires them to Electron.

const outDir = path.join(__dirname, '..'); // out/main/index.js -> out/
const rendererRoot = path.join(outDir, 'renderer');
const preloadPath = path.join(outDir, 'preload', 'index.js');
const operator = currentOperator();

// Tests (and only unpackaged runs) may point Chromium's profile (and so the single-instance lock) elsewhere.
const userDataOverride = process.env.ATTEST_USER_DATA_DIR;
if (!app.isPackaged && userDataOverride) app.setPath('userData', userDataOverride);

// Must precede 'ready'. Standard + secure: relative URLs, a real origin, storage and fetch work as on https.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();

let host: AppHost | null = null;
let mainWindow: BrowserWindow | null = null;
let disposed = false;

/** A reason to stop at start-up that the operator can act on (shown as is). */
class StartupProblem extends Error {}

function exitWithProblem(message: string): void {
  process.stderr.write(`Attest: ${message}\n`);
  if (app.isReady()) dialog.showErrorBox('Attest cannot start', message);
  app.exit(1);
}

function logError(channel: string, err: unknown): void {
  process.stderr.write(`Attest: ${channel} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
}

/** Pushes go to Attest's own pages only (never a window that somehow shows something else). */
function broadcast(message: Push): void {
  for (const win of BrowserWindow.getAllWindows()) {
    const contents = win.webContents;
    if (!win.isDestroyed() && !contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(IPC_PUSH_CHANNEL, message);
  }
}

function showMainWindow(): void {
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    return;
  }
  mainWindow = createMainWindow({ preloadPath, devTools: !app.isPackaged });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

function start(): void {
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererRoot }));
  if (!fs.existsSync(path.join(rendererRoot, 'index.html')) || !fs.existsSync(preloadPath)) {
    throw new StartupProblem('The app is not built. Run "npm start", which builds it first.');
  }

  const native = chooseNativeModules({
    outDir,
    electronVersion: process.versions.electron ?? '',
    requireFn: createRequire(__filename),
  });
  if (native.problem) throw new StartupProblem(native.problem);

  const appHost = createAppHost({
    // The same vault the CLI and `npm run serve` open (ATTEST_VAULT_DIR or the per-user data folder).
    // userData would differ on Linux (~/.config/attest, and ~/.config/Attest once packaged).
    vaultDir: defaultVaultDir(),
    keyStore: createKeytarKeyStore(native.loadKeytar),
    operator,
    workerDir: __dirname,
    ...(native.sqliteNativeBinding ? { sqliteNativeBinding: native.sqliteNativeBinding } : {}),
    logError,
  });
  host = appHost;

  registerIpcAdapter<IpcMainInvokeEvent>({
    ipc: ipcMain,
    registry: appHost.registry,
    isAllowedSender: isAllowedInvokeEvent,
    operator,
    pushToSender: (event, message) => {
      if (!event.sender.isDestroyed()) event.sender.send(IPC_PUSH_CHANNEL, message);
    },
  });
  // Auto-lock and ingest progress reach the window from here.
  appHost.onPush(broadcast);
  lockOnScreenLockAndSuspend(() => {
    void appHost.registry.dispatch('vault:lock', {}, { transport: 'inproc', operator, push: broadcast });
  });

  showMainWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another Attest is running; it is told to come forward (second-instance) and we leave.
  process.stderr.write('Attest is already running: its window was brought to the front.\n');
  app.quit();
} else {
  app.on('second-instance', () => {
    if (host) showMainWindow();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('activate', () => {
    if (host && BrowserWindow.getAllWindows().length === 0) showMainWindow();
  });
  // Closing the window ends the app on every platform: the vault must not stay open with no window.
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (disposed || !host) return;
    event.preventDefault();
    disposed = true;
    host
      .dispose()
      .catch((err: unknown) => logError('dispose', err))
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      if (err instanceof StartupProblem) return exitWithProblem(err.message);
      logError('start', err);
      exitWithProblem('Attest could not start; the reason is printed above.');
    });
}
