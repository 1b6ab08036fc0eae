import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { EventLog } from '../../../../electron/core/chain/event-log';
import { ensureSource } from '../../../../electron/core/chain/self-audit';
import { exportLatestCheckpoint, exportPublicJwk, signCheckpoint } from '../../../../electron/core/chain/checkpoint';
import { verifyChain } from '../../../../electron/core/chain/verify';
import { createTestVault, newEvent, type TestVault } from './vault-fixture';

let vault: TestVault;
beforeEach(() => {
  vault = createTestVault();
});
afterEach(() => vault.cleanup());

function append(from: number, count: number): void {
  const { db } = vault;
  const sourceId = ensureSource(db, 'okta');
  db.transaction(() => new EventLog(db).appendChunk(Array.from({ length: count }, (_, i) => newEvent(from + i, sourceId, 1)))).immediate();
}

describe('checkpoints', () => {
  it('has nothing to sign or export before the first event', async () => {
    expect(await signCheckpoint(vault.db, 'v1')).toBeNull();
    expect(() => exportLatestCheckpoint(vault.db)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => exportPublicJwk(vault.db)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('signs the head as a compact EdDSA JWS an outsider can verify with the exported public JWK', async () => {
    append(0, 5);
    const checkpoint = await signCheckpoint(vault.db, 'vault-abc', 1_700_000_000_000);
    const head = vault.db.prepare('SELECT hash FROM events WHERE seq = 5').pluck().get() as Buffer;
    expect(checkpoint).toMatchObject({ seq: 5, headHash: head.toString('hex'), time: 1_700_000_000_000, created: true });

    const exported = exportLatestCheckpoint(vault.db);
    expect(exported.payload).toEqual({ vault_id: 'vault-abc', seq: 5, head_hash: head.toString('hex'), time: 1_700_000_000_000 });
    // The outsider's check: only jose, the JWS and the public JWK.
    const publicJwk = JSON.parse(JSON.stringify(exported.publicJwk)) as typeof exported.publicJwk;
    expect(publicJwk).not.toHaveProperty('d');
    expect(publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    const { payload, protectedHeader } = await compactVerify(exported.jws, await importJWK(publicJwk, 'EdDSA'));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(exported.payload);
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: publicJwk.kid });
    expect(exportPublicJwk(vault.db)).toEqual(publicJwk);

    // A tampered payload fails the outsider's check.
    const [h, , s] = exported.jws.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...exported.payload, seq: 4 })).toString('base64url')}.${s}`;
    await expect(compactVerify(forged, await importJWK(publicJwk, 'EdDSA'))).rejects.toThrow();
  });

  it('writes a new checkpoint only when the head moved, and keeps one key', async () => {
    append(0, 3);
    const first = await signCheckpoint(vault.db, 'v1', 1_000);
    const again = await signCheckpoint(vault.db, 'v1', 2_000);
    expect(again).toEqual({ ...first, created: false });
    expect(vault.db.prepare('SELECT count(*) FROM checkpoints').pluck().get()).toBe(1);
    append(3, 2);
    const moved = await signCheckpoint(vault.db, 'v1', 3_000);
    expect(moved).toMatchObject({ seq: 5, created: true });
    expect(vault.db.prepare('SELECT count(*) FROM checkpoints').pluck().get()).toBe(2);
    expect(vault.db.prepare('SELECT count(*) FROM signing_keys').pluck().get()).toBe(1);
    expect(decodeProtectedHeader(moved!.jws).kid).toBe(decodeProtectedHeader(first!.jws).kid);
    expect(await verifyChain({ db: vault.db }, { vaultId: 'v1' })).toMatchObject({ ok: true, checkpoints: 2, count: 5 });
  });

  it('keeps the private key inside the vault only: the exported key and the JWS carry no private part', async () => {
    append(0, 1);
    const checkpoint = await signCheckpoint(vault.db, 'v1');
    const stored = JSON.parse(vault.db.prepare('SELECT private_jwk FROM signing_keys').pluck().get() as string) as { d?: string };
    expect(stored.d).toBeTruthy();
    expect(JSON.stringify(exportLatestCheckpoint(vault.db))).not.toContain(stored.d);
    expect(checkpoint!.jws).not.toContain(stored.d);
  });
});
