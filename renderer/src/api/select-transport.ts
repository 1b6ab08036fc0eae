import { createPreloadTransport } from './preload-transport';
import type { Transport } from './transport';
import { takeTokenFromLocation } from './web-token';
import { createWebTransport } from './web-transport';

/** Electron when the preload bridge is present, otherwise the loopback web host. Chosen once, at start. */
export function selectTransport(win: Window = window): Transport {
  if (win.attest) return createPreloadTransport(win.attest);
  return createWebTransport({ token: takeTokenFromLocation(win), location: win.location });
}
