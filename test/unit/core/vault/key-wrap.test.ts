import { describe, expect, it } from 'vitest';
import { deriveKek, newScryptParams, randomKey, unwrapKey, wrapKey } from '../../../../electron/core/vault/key-wrap';
import { MAX_DELAY_MS, retryAfterMs, throttleDelayMs } from '../../../../electron/core/vault/throttle';

const ID = '5b1f0f5e-2a7b-4a55-9a33-6d2f3f1c2b10';

describe('key wrapping', () => {
  it('round-trips and is bound to the vault id and the method', () => {
    const key = randomKey();
    const kek = randomKey();
    const wrapped = wrapKey(key, kek, ID, 'passphrase');
    expect(unwrapKey(wrapped, kek, ID, 'passphrase')!.equals(key)).toBe(true);
    expect(unwrapKey(wrapped, kek, ID, 'keychain')).toBeNull();
    expect(unwrapKey(wrapped, kek, '00000000-0000-4000-8000-000000000000', 'passphrase')).toBeNull();
    expect(unwrapKey(wrapped, randomKey(), ID, 'passphrase')).toBeNull();
    const tampered = { ...wrapped, data: Buffer.from(Buffer.from(wrapped.data, 'base64').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64') };
    expect(unwrapKey(tampered, kek, ID, 'passphrase')).toBeNull();
  });

  it('derives a 32-byte KEK with a fresh 16-byte salt each time', async () => {
    const a = newScryptParams({ N: 2 ** 10, r: 8, p: 1 });
    const b = newScryptParams({ N: 2 ** 10, r: 8, p: 1 });
    expect(a.salt).not.toBe(b.salt);
    expect(Buffer.from(a.salt, 'base64')).toHaveLength(16);
    const k1 = await deriveKek('pass phrase', a);
    expect(k1).toHaveLength(32);
    expect((await deriveKek('pass phrase', a)).equals(k1)).toBe(true);
    expect((await deriveKek('pass phrase', b)).equals(k1)).toBe(false);
  });
});

describe('throttle', () => {
  it('is free for five failures, then 30 s doubling, capped at 15 minutes', () => {
    expect([0, 4].map(throttleDelayMs)).toEqual([0, 0]);
    expect([5, 6, 7, 8, 9, 10, 50].map(throttleDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, MAX_DELAY_MS, MAX_DELAY_MS]);
    expect(retryAfterMs(5, 1_000, 11_000)).toBe(20_000);
    expect(retryAfterMs(5, 1_000, 100_000)).toBe(0);
    expect(retryAfterMs(5, null, 0)).toBe(0);
    expect(retryAfterMs(5, 100_000, 0)).toBe(30_000); // clock moved back: one full delay at most
  });
});
