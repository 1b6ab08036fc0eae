/**
 * How the renderer reaches the engine. Two implementations: the Electron preload bridge and the loopback
 * web host (`attest serve`). Both hand back raw envelopes and raw pushes; the client validates them.
 */
export interface Transport {
  readonly kind: 'electron' | 'web';
  /** Sends one call; resolves to the raw result envelope. Throws ApiError('TRANSPORT') when unreachable. */
  invoke(channel: string, payload: unknown): Promise<unknown>;
  /** Subscribes to raw pushes; returns the unsubscribe function. */
  subscribe(listener: (push: unknown) => void): () => void;
  /**
   * Makes a user-chosen file readable by the engine and returns the path ingest:start takes:
   * its own path in Electron, an uploaded copy in the browser.
   */
  stageFile(file: File, onProgress: (sentBytes: number, totalBytes: number) => void, signal?: AbortSignal): Promise<string>;
}
