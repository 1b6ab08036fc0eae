import { ApiError } from './api-error';
import type { AttestBridge } from './attest-bridge';
import type { Transport } from './transport';

/** Electron: everything goes through the preload's `window.attest` bridge. */
export function createPreloadTransport(bridge: AttestBridge): Transport {
  return {
    kind: 'electron',
    async invoke(channel, payload) {
      try {
        return await bridge.invoke(channel, payload);
      } catch {
        throw new ApiError('TRANSPORT', 'The Attest main process did not answer. Restart Attest if this persists.');
      }
    },
    subscribe(listener) {
      return bridge.onPush(listener);
    },
    async stageFile(file, onProgress, signal) {
      if (signal?.aborted) throw new ApiError('CANCELLED', 'The upload was cancelled.');
      const path = bridge.pathForFile(file);
      if (!path) throw new ApiError('IO', `“${file.name}” is not a file on this computer's disk, so it cannot be imported.`);
      onProgress(file.size, file.size);
      return path;
    },
  };
}
