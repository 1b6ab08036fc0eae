import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiClient, selectTransport } from '../../../renderer/src/api';
import type { AttestBridge } from '../../../renderer/src/api/attest-bridge';
import { takeTokenFromLocation } from '../../../renderer/src/api/web-token';
import { backoffMs, createWebTransport } from '../../../renderer/src/api/web-transport';
import { vaultStatus } from '../helpers/fake-transport';

const jsonResponse = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('transport selection', () => {
  afterEach(() => {
    delete window.attest;
    window.sessionStorage.clear();
    window.history.replaceState(null, '', '/');
    vi.unstubAllGlobals();
  });

  it('uses the preload bridge when window.attest exists', async () => {
    const bridge: AttestBridge = {
      invoke: vi.fn(async () => ({ ok: true, value: vaultStatus() })),
      onPush: vi.fn(() => () => undefined),
      pathForFile: vi.fn(() => '/home/officer/logs/okta.jsonl'),
    };
    window.attest = bridge;
    const fetchSpy = vi.fn();
    vi.stubGlobal('fetch', fetchSpy);
    const transport = selectTransport(window);
    expect(transport.kind).toBe('electron');
    await createApiClient(transport).call('vault:status', { probeKeychain: true });
    expect(bridge.invoke).toHaveBeenCalledWith('vault:status', { probeKeychain: true });
    expect(fetchSpy).not.toHaveBeenCalled();
    await expect(transport.stageFile(new File(['x'], 'okta.jsonl'), () => undefined)).resolves.toBe('/home/officer/logs/okta.jsonl');
  });

  it('uses the web host otherwise, with the token taken from the address fragment', async () => {
    window.history.replaceState(null, '', '/#token=abc123');
    const fetchSpy = vi.fn(async () => jsonResponse({ ok: true, value: vaultStatus() }));
    vi.stubGlobal('fetch', fetchSpy);
    const transport = selectTransport(window);
    expect(transport.kind).toBe('web');
    // The token leaves the visible address but stays for reloads of this tab.
    expect(window.location.hash).toBe('');
    expect(window.sessionStorage.getItem('attest.token')).toBe('abc123');

    await createApiClient(transport).call('vault:status', {});
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const [url, init] = fetchSpy.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/rpc/vault%3Astatus');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer abc123');
    expect(JSON.parse(String(init.body))).toEqual({});
  });
});

describe('web token', () => {
  afterEach(() => {
    window.sessionStorage.clear();
    window.history.replaceState(null, '', '/');
  });

  it('falls back to the token kept in sessionStorage after a reload', () => {
    window.sessionStorage.setItem('attest.token', 'kept');
    window.history.replaceState(null, '', '/#/events');
    expect(takeTokenFromLocation(window)).toBe('kept');
    expect(window.location.hash).toBe('#/events');
  });

  it('returns null when there is no token anywhere', () => {
    expect(takeTokenFromLocation(window)).toBeNull();
  });
});

describe('web transport', () => {
  beforeEach(() => window.sessionStorage.clear());

  it('maps an error envelope on a 401 to ApiError UNAUTHORIZED', async () => {
    const fetchImpl = vi.fn(async () => jsonResponse({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Wrong token.' } }, 401));
    const client = createApiClient(createWebTransport({ token: 't', fetchImpl }));
    await expect(client.call('vault:status', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: 'Wrong token.' });
  });

  it('maps AUTH_FAILED to an ApiError carrying the server message', async () => {
    const fetchImpl = vi.fn(async () => jsonResponse({ ok: false, error: { code: 'AUTH_FAILED', message: 'That passphrase does not open this vault.' } }));
    const client = createApiClient(createWebTransport({ token: 't', fetchImpl }));
    await expect(client.call('vault:unlock', { method: 'passphrase', passphrase: 'nope' })).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: 'That passphrase does not open this vault.',
    });
  });

  it('reports an unreachable host as TRANSPORT', async () => {
    const fetchImpl = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const client = createApiClient(createWebTransport({ token: 't', fetchImpl }));
    await expect(client.call('vault:status', {})).rejects.toMatchObject({ code: 'TRANSPORT' });
  });

  it('reports a non-JSON error page as TRANSPORT', async () => {
    const fetchImpl = vi.fn(async () => new Response('Bad gateway', { status: 502 }));
    const client = createApiClient(createWebTransport({ token: 't', fetchImpl }));
    await expect(client.call('vault:status', {})).rejects.toMatchObject({ code: 'TRANSPORT' });
  });

  it('refuses to call without a token, and says where to get one', async () => {
    const fetchImpl = vi.fn();
    const client = createApiClient(createWebTransport({ token: null, fetchImpl }));
    await expect(client.call('vault:status', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('opens the push socket with the token, and reconnects with growing delays', async () => {
    vi.useFakeTimers();
    const sockets: FakeSocket[] = [];
    class FakeSocket {
      onopen: (() => void) | null = null;
      onmessage: ((m: MessageEvent) => void) | null = null;
      onclose: (() => void) | null = null;
      closed = false;
      constructor(readonly url: string) {
        sockets.push(this);
      }
      close() {
        this.closed = true;
      }
    }
    try {
      const transport = createWebTransport({
        token: 'tok en',
        fetchImpl: vi.fn(),
        WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
        location: { protocol: 'http:', host: '127.0.0.1:4100' },
      });
      const seen: unknown[] = [];
      const off = transport.subscribe((p) => seen.push(p));
      expect(sockets[0]?.url).toBe('ws://127.0.0.1:4100/ws?token=tok%20en');
      sockets[0]?.onmessage?.({ data: JSON.stringify({ type: 'vault:locked', reason: 'idle' }) } as MessageEvent);
      expect(seen).toEqual([{ type: 'vault:locked', reason: 'idle' }]);

      sockets[0]?.onclose?.();
      vi.advanceTimersByTime(backoffMs(0) - 1);
      expect(sockets).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(sockets).toHaveLength(2);
      sockets[1]?.onclose?.();
      vi.advanceTimersByTime(backoffMs(1));
      expect(sockets).toHaveLength(3);
      off();
      expect(sockets[2]?.closed).toBe(true);
      expect(backoffMs(20)).toBe(15_000);
    } finally {
      vi.useRealTimers();
    }
  });
});
