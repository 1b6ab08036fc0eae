import { describe, expect, it, vi } from 'vitest';
import { contract } from '../../../shared/contract';
import { IPC_INVOKE_CHANNEL, IPC_PUSH_CHANNEL } from '../../../electron/host/ipc-adapter';
import { buildAttestBridge, channelsByDomain, type IpcRendererLike } from '../../../electron/preload/bridge';

type Relay = (event: unknown, ...args: unknown[]) => void;

function fakeIpcRenderer() {
  const listeners = new Map<string, Set<Relay>>();
  const invoke = vi.fn(async (_channel: string, ..._args: unknown[]) => ({ ok: true, value: 'from-main' }) as unknown);
  const ipc: IpcRendererLike = {
    invoke,
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const emit = (channel: string, ...args: unknown[]) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'the ipcRenderer object' }, ...args);
  };
  return { ipc, invoke, listeners, emit };
}

describe('buildAttestBridge', () => {
  it('exposes window.attest.<domain>.<action> for every contract channel', async () => {
    const { ipc, invoke } = fakeIpcRenderer();
    const bridge = buildAttestBridge({ ipc, getPathForFile: () => '' }) as unknown as Record<string, Record<string, (p?: unknown) => Promise<unknown>>>;
    for (const channel of Object.keys(contract)) {
      const [domain = '', action = ''] = channel.split(':');
      expect(typeof bridge[domain]?.[action], channel).toBe('function');
    }
    await expect(bridge.vault?.status?.({ probeKeychain: true })).resolves.toEqual({ ok: true, value: 'from-main' });
    expect(invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'vault:status', { probeKeychain: true });
    await bridge.vault?.lock?.();
    expect(invoke).toHaveBeenLastCalledWith(IPC_INVOKE_CHANNEL, 'vault:lock', {});
  });

  it('invoke sends contract channels and refuses anything else without sending', async () => {
    const { ipc, invoke } = fakeIpcRenderer();
    const bridge = buildAttestBridge({ ipc, getPathForFile: () => '' });
    await bridge.invoke('events:count', { filter: {} });
    expect(invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'events:count', { filter: {} });
    for (const bad of ['shell:exec', '__proto__', 'constructor', 'attest:invoke', 42]) {
      await expect(bridge.invoke(bad as string, {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it('relays valid pushes without the IPC event, drops malformed ones, and unsubscribes', () => {
    const { ipc, emit, listeners } = fakeIpcRenderer();
    const bridge = buildAttestBridge({ ipc, getPathForFile: () => '' });
    const received: unknown[][] = [];
    const unsubscribe = bridge.onPush((...args: unknown[]) => received.push(args));
    emit(IPC_PUSH_CHANNEL, { type: 'vault:locked', reason: 'idle' });
    emit(IPC_PUSH_CHANNEL, { type: 'shell:exec', command: 'rm -rf /' });
    emit(IPC_PUSH_CHANNEL, 'not an object');
    expect(received).toEqual([[{ type: 'vault:locked', reason: 'idle' }]]);
    unsubscribe();
    expect(listeners.get(IPC_PUSH_CHANNEL)?.size).toBe(0);
    emit(IPC_PUSH_CHANNEL, { type: 'vault:locked', reason: 'operator' });
    expect(received).toHaveLength(1);
  });

  it("pathForFile returns webUtils' path, or '' when the File has none", () => {
    const { ipc } = fakeIpcRenderer();
    const file = { name: 'auth.log' } as File;
    expect(buildAttestBridge({ ipc, getPathForFile: () => '/var/log/auth.log' }).pathForFile(file)).toBe('/var/log/auth.log');
    const throwing = buildAttestBridge({
      ipc,
      getPathForFile: () => {
        throw new TypeError('not a File');
      },
    });
    expect(throwing.pathForFile(file)).toBe('');
  });
});

describe('channelsByDomain', () => {
  it('groups channels and refuses names that cannot become attest.<domain>.<action>', () => {
    expect(channelsByDomain(['vault:status', 'vault:lock', 'events:query'])).toEqual({
      vault: { status: 'vault:status', lock: 'vault:lock' },
      events: { query: 'events:query' },
    });
    expect(() => channelsByDomain(['nocolon'])).toThrow();
    expect(() => channelsByDomain(['invoke:x'])).toThrow();
    expect(() => channelsByDomain([':x'])).toThrow();
  });
});
