// Stands in for electron/host/create-host.ts in main-process.test.ts: records what main passes and calls.
import type { Push } from '../../../../shared/contract';

export interface FakeHost {
  options: unknown;
  dispatched: Array<[string, unknown, { transport: string; operator: string }]>;
  pushListeners: Array<(msg: Push) => void>;
  disposed: boolean;
  registry: { dispatch(channel: string, payload: unknown, ctx: { transport: string; operator: string }): Promise<unknown> };
  onPush(listener: (msg: Push) => void): () => void;
  dispose(): Promise<void>;
}

export function createAppHost(options: unknown): FakeHost {
  const host: FakeHost = {
    options,
    dispatched: [],
    pushListeners: [],
    disposed: false,
    registry: {
      dispatch: async (channel, payload, ctx) => {
        host.dispatched.push([channel, payload, ctx]);
        return { ok: true, value: 'fake' };
      },
    },
    onPush: (listener) => {
      host.pushListeners.push(listener);
      return () => undefined;
    },
    dispose: async () => {
      host.disposed = true;
    },
  };
  (globalThis as { __fakeHost?: FakeHost }).__fakeHost = host;
  return host;
}
