import type { Push } from '../../shared/contract';

/** Fan-out of pushes (lock, progress) to every transport listening: Electron windows, web sockets. */
export class PushHub {
  private readonly listeners = new Set<(msg: Push) => void>();

  subscribe(listener: (msg: Push) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(msg: Push): void {
    for (const listener of this.listeners) {
      try {
        listener(msg);
      } catch {
        // A broken listener (closed window, dead socket) must not stop the others.
      }
    }
  }
}
