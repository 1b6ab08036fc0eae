import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient, type Transport } from '../../../renderer/src/api';
import { createFakeTransport, vaultStatus } from '../helpers/fake-transport';
import { AttestError } from '../../../shared/result';

function transportReturning(envelope: unknown): Transport & { invoke: ReturnType<typeof vi.fn> } {
  return {
    kind: 'web',
    invoke: vi.fn(async () => envelope),
    subscribe: () => () => undefined,
    stageFile: async () => '/x',
  };
}

describe('api client', () => {
  it('returns the validated value of { ok: true }', async () => {
    const status = vaultStatus();
    const client = createApiClient(transportReturning({ ok: true, value: status }));
    await expect(client.call('vault:status', {})).resolves.toEqual(status);
  });

  it('throws ApiError with the code, message and details of { ok: false }', async () => {
    const client = createApiClient(
      transportReturning({ ok: false, error: { code: 'THROTTLED', message: 'Too many attempts.', details: { retryAfterMs: 30000 } } }),
    );
    const err = await client.call('vault:unlock', { method: 'passphrase', passphrase: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'THROTTLED', message: 'Too many attempts.', details: { retryAfterMs: 30000 } });
  });

  it('rejects a value that does not match the response schema', async () => {
    const client = createApiClient(transportReturning({ ok: true, value: { ...vaultStatus(), locked: 'no' } }));
    await expect(client.call('vault:status', {})).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('rejects something that is not an envelope at all', async () => {
    const client = createApiClient(transportReturning('<html>proxy error</html>'));
    await expect(client.call('vault:status', {})).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('checks the request against the contract before sending it', async () => {
    const transport = transportReturning({ ok: true, value: vaultStatus() });
    const client = createApiClient(transport);
    await expect(client.call('vault:create', { keychain: false })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Choose a passphrase, the OS keychain, or both.',
    });
    expect(transport.invoke).not.toHaveBeenCalled();
  });

  it('tells onLocked listeners when a call fails with LOCKED', async () => {
    const fake = createFakeTransport({
      'events:count': () => {
        throw new AttestError('LOCKED', 'The vault is locked.');
      },
    });
    const client = createApiClient(fake.transport);
    const onLocked = vi.fn();
    client.onLocked(onLocked);
    await expect(client.call('events:count', { filter: {} })).rejects.toMatchObject({ code: 'LOCKED' });
    expect(onLocked).toHaveBeenCalledTimes(1);
  });

  it('passes on only pushes that match the contract', () => {
    const fake = createFakeTransport({});
    const client = createApiClient(fake.transport);
    const seen: unknown[] = [];
    const off = client.onPush((p) => seen.push(p));
    fake.push({ type: 'vault:locked', reason: 'idle' });
    fake.push({ type: 'vault:locked', reason: 'because' });
    fake.push('garbage');
    off();
    fake.push({ type: 'vault:locked', reason: 'operator' });
    expect(seen).toEqual([{ type: 'vault:locked', reason: 'idle' }]);
  });
});
