// A stand-in for the 'electron' module, bundled into electron/main/index.ts by main-process.test.ts so the
// main process's wiring runs in plain Node. It records what main asks Electron to do; the test drives events.
type Listener = (...args: unknown[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

export interface PreventableEvent {
  prevented: boolean;
  preventDefault(): void;
}
export const preventable = (extra: Record<string, unknown> = {}): PreventableEvent & Record<string, unknown> => ({
  prevented: false,
  preventDefault() {
    this.prevented = true;
  },
  ...extra,
});

const config = (globalThis as { __fakeElectronConfig?: { singleInstance?: boolean } }).__fakeElectronConfig ?? {};
const calls: Array<[string, ...unknown[]]> = [];
let ready = false;
let fireReady: () => void = () => undefined;
const readyPromise = new Promise<void>((resolve) => {
  fireReady = () => {
    ready = true;
    resolve();
  };
});

export const app = Object.assign(new Emitter(), {
  isPackaged: false,
  setPath: (name: string, value: string) => calls.push(['app.setPath', name, value]),
  getPath: (name: string) => `/fake/${name}`,
  requestSingleInstanceLock: () => config.singleInstance !== false,
  enableSandbox: () => calls.push(['app.enableSandbox', ready]),
  whenReady: () => readyPromise,
  isReady: () => ready,
  quit() {
    calls.push(['app.quit']);
    const event = preventable();
    app.emit('before-quit', event);
    if (!event.prevented) calls.push(['app.quit:done']);
  },
  exit: (code: number) => calls.push(['app.exit', code]),
});

class FakeFrame {
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
    public processId = 1,
    public routingId = 1,
  ) {}
  isDestroyed() {
    return false;
  }
}

export class FakeWebContents extends Emitter {
  url = '';
  readonly sent: Array<[string, unknown]> = [];
  windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
  readonly mainFrame = new FakeFrame('');
  send(channel: string, message: unknown) {
    this.sent.push([channel, message]);
  }
  isDestroyed() {
    return false;
  }
  getURL() {
    return this.url;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown) {
    this.windowOpenHandler = handler;
  }
}

const windows: BrowserWindow[] = [];
export class BrowserWindow extends Emitter {
  readonly webContents = new FakeWebContents();
  constructor(readonly options: unknown) {
    super();
    windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  static getAllWindows() {
    return [...windows];
  }
  loadURL(url: string) {
    this.webContents.url = url;
    this.webContents.mainFrame.url = url;
    calls.push(['win.loadURL', url]);
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {
    calls.push(['win.focus']);
  }
  show() {}
}

const sessionHandlers: Record<string, unknown> = {};
export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h: unknown) => (sessionHandlers.permissionRequest = h),
    setPermissionCheckHandler: (h: unknown) => (sessionHandlers.permissionCheck = h),
    setDevicePermissionHandler: (h: unknown) => (sessionHandlers.devicePermission = h),
    setDisplayMediaRequestHandler: (h: unknown) => (sessionHandlers.displayMedia = h),
    webRequest: {
      onBeforeRequest: (h: unknown) => {
        sessionHandlers.beforeRequest = h;
      },
    },
  },
};

const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown) => calls.push(['protocol.registerSchemesAsPrivileged', schemes, ready]),
  handle: (scheme: string, handler: (request: Request) => Promise<Response>) => protocolHandlers.set(scheme, handler),
};

const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
export const ipcMain = {
  handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => ipcHandlers.set(channel, handler),
  removeHandler: (channel: string) => ipcHandlers.delete(channel),
};

export const dialog = { showErrorBox: (title: string, message: string) => calls.push(['dialog.showErrorBox', title, message]) };
export const powerMonitor = new Emitter();
export const shell = {
  openExternal: (url: string) => {
    calls.push(['shell.openExternal', url]);
    return Promise.resolve();
  },
};

export const controller = {
  calls,
  fireReady: () => fireReady(),
  windows,
  sessionHandlers,
  protocolHandlers,
  ipcHandlers,
  app,
  powerMonitor,
  FakeFrame,
};
(globalThis as { __fakeElectron?: typeof controller }).__fakeElectron = controller;
