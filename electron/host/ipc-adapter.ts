import type { Push } from '../../shared/contract';
import type { AppError, Result } from '../../shared/result';
import type { Registry } from './registry';

// The Electron IPC transport over the handler registry. It never imports 'electron': main passes in
// ipcMain (anything with handle/removeHandler) and the sender check, so this file is testable in plain Node.

/** The single channel every renderer call travels on: (channel, payload) -> Result envelope. */
export const IPC_INVOKE_CHANNEL = 'attest:invoke';
/** The channel main uses to push Push messages (vault:locked, ingest:progress) to a window. */
export const IPC_PUSH_CHANNEL = 'attest:push';

/** The part of ipcMain this adapter uses. */
export interface IpcHandleTarget<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => Promise<unknown> | unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcAdapterOptions<E> {
  ipc: IpcHandleTarget<E>;
  registry: Pick<Registry, 'dispatch'>;
  /** Decides from the IPC event whether the sender is the app's own main frame. Checked on every message. */
  isAllowedSender: (event: E) => boolean;
  /** Operator name recorded in audit events. */
  operator: string;
  /** Sends a push back to the window that made the call. */
  pushToSender: (event: E, message: Push) => void;
}

const UNAUTHORIZED: AppError = {
  code: 'UNAUTHORIZED',
  message: 'This request did not come from the Attest window and was refused.',
};

/** Registers the invoke handler; returns the function that removes it. */
export function registerIpcAdapter<E>(opts: IpcAdapterOptions<E>): () => void {
  opts.ipc.handle(IPC_INVOKE_CHANNEL, async (event: E, channel: unknown, payload: unknown): Promise<Result<unknown>> => {
    if (!senderAllowed(opts.isAllowedSender, event)) return { ok: false, error: UNAUTHORIZED };
    if (typeof channel !== 'string') {
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'The channel name must be a string.' } };
    }
    return opts.registry.dispatch(channel, payload, {
      transport: 'ipc',
      operator: opts.operator,
      push: (message) => opts.pushToSender(event, message),
    });
  });
  return () => opts.ipc.removeHandler(IPC_INVOKE_CHANNEL);
}

/** A sender check that throws (a frame destroyed mid-call) counts as a refusal, never as a pass. */
function senderAllowed<E>(check: (event: E) => boolean, event: E): boolean {
  try {
    return check(event) === true;
  } catch {
    return false;
  }
}
