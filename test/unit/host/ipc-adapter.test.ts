import { describe, expect, it, vi } from 'vitest';
import type { Push } from '../../../shared/contract';
import { IPC_INVOKE_CHANNEL, registerIpcAdapter } from '../../../electron/host/ipc-adapter';
import { Registry, type CallContext, type HandlerTable } from '../../../electron/host/registry';

interface FakeEvent {
  trusted: boolean;
  id: number;
}
type Listener = (event: FakeEvent, ...args: unknown[]) => unknown;

function fakeIpc() {
  const handlers = new Map<string, Listener>();
  return {
    handlers,
    handle: (channel: string, listener: Listener) => {
      if (handlers.has(channel)) throw new Error('second handler');
      handlers.set(channel, listener);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
    invoke: (event: FakeEvent, ...args: unknown[]) => {
      const listener = handlers.get(IPC_INVOKE_CHANNEL);
      if (!listener) throw new Error('no handler');
      return Promise.resolve(listener(event, ...args));
    },
  };
}

function setup(isAllowedSender: (e: FakeEvent) => boolean = (e) => e.trusted) {
  const ipc = fakeIpc();
  const dispatch = vi.fn(async (_channel: string, _payload: unknown, _ctx: CallContext) => ({ ok: true as const, value: 'handled' }));
  const pushes: Array<{ event: FakeEvent; message: Push }> = [];
  const unregister = registerIpcAdapter<FakeEvent>({
    ipc,
    registry: { dispatch },
    isAllowedSender,
    operator: 'alice',
    pushToSender: (event, message) => pushes.push({ event, message }),
  });
  return { ipc, dispatch, pushes, unregister };
}

describe('registerIpcAdapter', () => {
  it('registers one handler, on attest:invoke, and removes it again', () => {
    const { ipc, unregister } = setup();
    expect([...ipc.handlers.keys()]).toEqual([IPC_INVOKE_CHANNEL]);
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('refuses an untrusted sender with UNAUTHORIZED before the registry sees anything', async () => {
    const { ipc, dispatch } = setup();
    const result = await ipc.invoke({ trusted: false, id: 1 }, 'vault:status', {});
    expect(result).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('treats a sender check that throws as a refusal', async () => {
    const { ipc, dispatch } = setup(() => {
      throw new Error('Object has been destroyed');
    });
    expect(await ipc.invoke({ trusted: true, id: 1 }, 'vault:status', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('checks the sender on every message, not once', async () => {
    let allow = true;
    const { ipc, dispatch } = setup(() => allow);
    expect(await ipc.invoke({ trusted: true, id: 1 }, 'vault:status', {})).toMatchObject({ ok: true });
    allow = false;
    expect(await ipc.invoke({ trusted: true, id: 1 }, 'vault:status', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it('dispatches a trusted call with the ipc transport and operator, and routes ctx.push to the caller', async () => {
    const { ipc, dispatch, pushes } = setup();
    const event = { trusted: true, id: 42 };
    expect(await ipc.invoke(event, 'events:count', { filter: {} })).toEqual({ ok: true, value: 'handled' });
    expect(dispatch).toHaveBeenCalledWith('events:count', { filter: {} }, expect.objectContaining({ transport: 'ipc', operator: 'alice' }));
    const ctx = dispatch.mock.calls[0]?.[2];
    ctx?.push({ type: 'vault:locked', reason: 'idle' });
    expect(pushes).toEqual([{ event, message: { type: 'vault:locked', reason: 'idle' } }]);
  });

  it('answers a non-string channel name with UNKNOWN_CHANNEL', async () => {
    const { ipc, dispatch } = setup();
    expect(await ipc.invoke({ trusted: true, id: 1 }, { toString: () => 'vault:status' }, {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('goes through the real registry: unknown channels and locked vaults are refused there', async () => {
    const ipc = fakeIpc();
    registerIpcAdapter<FakeEvent>({
      ipc,
      registry: new Registry({} as HandlerTable, { isUnlocked: () => false }),
      isAllowedSender: (e) => e.trusted,
      operator: 'alice',
      pushToSender: () => undefined,
    });
    const trusted = { trusted: true, id: 1 };
    expect(await ipc.invoke(trusted, 'shell:exec', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await ipc.invoke(trusted, 'events:count', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await ipc.invoke(trusted, 'events:count', { filter: 'x' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
