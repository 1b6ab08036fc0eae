import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { z } from 'zod';
import { buildAttestBridge } from './bridge';

// zod's JIT uses new Function, which the page's CSP forbids: skip the probe (and its CSP violation report).
z.config({ jitless: true });

// Sandboxed preload (bundled into one CommonJS file; it may only require 'electron'). Exposes named
// functions only: never ipcRenderer itself, never an event object.
contextBridge.exposeInMainWorld(
  'attest',
  buildAttestBridge({
    ipc: ipcRenderer,
    getPathForFile: (file) => webUtils.getPathForFile(file),
  }),
);
