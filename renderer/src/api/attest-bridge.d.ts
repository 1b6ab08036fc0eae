/**
 * What the Electron preload exposes on `window.attest` (contextBridge). Only the generic entry points are
 * typed here: the renderer calls every channel through `invoke`, and validates what comes back.
 */
export interface AttestBridge {
  /** Calls one contract channel; resolves to the `{ ok, value } | { ok, error }` envelope. */
  invoke(channel: string, payload: unknown): Promise<unknown>;
  /** Subscribes to main-process pushes (vault:locked, ingest:progress); returns the unsubscribe function. */
  onPush(listener: (push: unknown) => void): () => void;
  /** The on-disk path of a dropped or picked File (Electron's webUtils.getPathForFile); '' when it has none. */
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    attest?: AttestBridge;
  }
}
