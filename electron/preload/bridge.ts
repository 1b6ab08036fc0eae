import { contract, isChannel, PushSchema, type Channel, type Push, type RequestOf, type ResponseOf } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { IPC_INVOKE_CHANNEL, IPC_PUSH_CHANNEL } from '../host/ipc-adapter';

// Builds the object the preload exposes as `window.attest`. Electron is injected (ipcRenderer, webUtils)
// so this file runs under Vitest; index.ts is the only preload file that touches 'electron'.

/** The part of ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface BridgeDeps {
  ipc: IpcRendererLike;
  /** webUtils.getPathForFile */
  getPathForFile: (file: File) => string;
}

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type ActionsOf<D extends string> = Channel extends infer C ? (C extends `${D}:${infer A}` ? A : never) : never;
type ChannelFor<D extends string, A extends string> = Extract<Channel, `${D}:${A}`>;

/** `attest.vault.status(payload)` for 'vault:status', and so on for every channel in the contract. */
export type DomainApi = {
  readonly [D in DomainOf<Channel>]: {
    readonly [A in ActionsOf<D>]: (
      payload?: RequestOf<ChannelFor<D, A>>,
    ) => Promise<Result<ResponseOf<ChannelFor<D, A>>>>;
  };
};

export interface GenericApi {
  /** Calls a contract channel by name; a name not in the contract is refused here, before anything is sent. */
  invoke(channel: string, payload?: unknown): Promise<Result<unknown>>;
  /** Subscribes to pushes from main (vault:locked, ingest:progress); returns the unsubscribe function. */
  onPush(listener: (push: Push) => void): () => void;
  /** The on-disk path of a picked or dropped File; '' when it has none. */
  pathForFile(file: File): string;
}

export type AttestBridgeApi = DomainApi & GenericApi;

const RESERVED_NAMES = new Set(['invoke', 'onPush', 'pathForFile']);

/** Every contract channel grouped by domain: 'vault:status' -> { vault: { status: 'vault:status' } }. */
export function channelsByDomain(channels: readonly string[] = Object.keys(contract)): Record<string, Record<string, string>> {
  const domains: Record<string, Record<string, string>> = {};
  for (const channel of channels) {
    const separator = channel.indexOf(':');
    const domain = channel.slice(0, separator);
    const action = channel.slice(separator + 1);
    if (separator <= 0 || !action || RESERVED_NAMES.has(domain)) {
      throw new Error(`Contract channel "${channel}" cannot be exposed as window.attest.<domain>.<action>.`);
    }
    (domains[domain] ??= {})[action] = channel;
  }
  return domains;
}

export function buildAttestBridge(deps: BridgeDeps): AttestBridgeApi {
  const invoke = (channel: unknown, payload?: unknown): Promise<Result<unknown>> => {
    if (typeof channel !== 'string' || !isChannel(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel "${String(channel).slice(0, 64)}".` },
      });
    }
    return deps.ipc.invoke(IPC_INVOKE_CHANNEL, channel, payload ?? {}) as Promise<Result<unknown>>;
  };

  const onPush = (listener: (push: Push) => void): (() => void) => {
    // Only the message crosses into the page, never the IpcRendererEvent (it would expose ipcRenderer).
    const relay = (_event: unknown, message: unknown) => {
      const parsed = PushSchema.safeParse(message);
      if (parsed.success) listener(parsed.data);
    };
    deps.ipc.on(IPC_PUSH_CHANNEL, relay);
    return () => {
      deps.ipc.removeListener(IPC_PUSH_CHANNEL, relay);
    };
  };

  const pathForFile = (file: File): string => {
    try {
      return deps.getPathForFile(file);
    } catch {
      return '';
    }
  };

  const domains: Record<string, Record<string, (payload?: unknown) => Promise<Result<unknown>>>> = {};
  for (const [domain, actions] of Object.entries(channelsByDomain())) {
    const calls: Record<string, (payload?: unknown) => Promise<Result<unknown>>> = {};
    for (const [action, channel] of Object.entries(actions)) calls[action] = (payload) => invoke(channel, payload);
    domains[domain] = calls;
  }

  return { ...(domains as unknown as DomainApi), invoke, onPush, pathForFile };
}
