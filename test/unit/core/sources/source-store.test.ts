import { exportJWK, generateKeyPair } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getSourceByName, listSources, saveSource } from '../../../../electron/core/sources/source-store';
import { createPipelineVault, type PipelineVault } from '../ingest/pipeline/pipeline-fixture';

let vault: PipelineVault;
beforeEach(() => {
  vault = createPipelineVault();
});
afterEach(() => vault.cleanup());

async function jwks(withPrivate = false): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(withPrivate ? privateKey : publicKey);
  return JSON.stringify({ keys: [{ ...jwk, kid: 'k1' }] });
}

describe('source store', () => {
  it('creates, lists, reads and partially updates a source', async () => {
    const created = saveSource(vault.db, { name: 'okta-prod', jwksJson: await jwks(), issuer: ' https://okta.example.com ', syslogZone: 'Europe/Berlin' });
    expect(created).toEqual({
      name: 'okta-prod',
      signedOnly: false,
      hasJwks: true,
      jwksKeyIds: ['k1'],
      issuer: 'https://okta.example.com',
      csvMapping: null,
      syslogYear: null,
      syslogZone: 'Europe/Berlin',
    });
    const updated = saveSource(vault.db, { name: 'okta-prod', signedOnly: true, syslogYear: 2025 });
    expect(updated).toMatchObject({ signedOnly: true, hasJwks: true, issuer: 'https://okta.example.com', syslogYear: 2025, syslogZone: 'Europe/Berlin' });
    saveSource(vault.db, { name: 'csv-hr', csvMapping: { time: 'When' } });
    expect(listSources(vault.db).map((s) => s.name)).toEqual(['csv-hr', 'okta-prod']);
    expect(getSourceByName(vault.db, 'csv-hr')?.csvMapping).toEqual({ time: 'When' });
    expect(getSourceByName(vault.db, 'missing')).toBeNull();
    // Clearing with null / '' (the JWKS may only go once signed-only is off).
    saveSource(vault.db, { name: 'okta-prod', signedOnly: false });
    expect(saveSource(vault.db, { name: 'okta-prod', jwksJson: '', issuer: null, syslogZone: null })).toMatchObject({ hasJwks: false, jwksKeyIds: [], issuer: null, syslogZone: null });
  });

  it('refuses a CSV mapping that names a field Attest does not know or no column; an empty one is no mapping', () => {
    expect(() => saveSource(vault.db, { name: 'c', csvMapping: { 'actor.name': 'Who' } })).toThrow(/"actor.name" is not a field Attest can fill from a CSV column/);
    expect(() => saveSource(vault.db, { name: 'c', csvMapping: { time: ' ' } })).toThrow(/no column for the field "time"/);
    expect(saveSource(vault.db, { name: 'c', csvMapping: {} }).csvMapping).toBeNull();
  });

  it('refuses a JWKS that is not JSON, not a key set, or holds private keys', async () => {
    expect(() => saveSource(vault.db, { name: 's', jwksJson: '{nope' })).toThrow(/not valid JSON/);
    expect(() => saveSource(vault.db, { name: 's', jwksJson: '{"keys": 3}' })).toThrow(/"keys" array/);
    expect(() => saveSource(vault.db, { name: 's', jwksJson: '{"keys": [{"kty": "oct", "k": "AAAA"}]}' })).toThrow(/OKP|EC|RSA/);
    expect(() => saveSource(vault.db, { name: 's', jwksJson: '{"keys": []}' })).toThrow(/no keys/);
    const priv = await jwks(true);
    expect(() => saveSource(vault.db, { name: 's', jwksJson: priv })).toThrow(/private key/);
    expect(listSources(vault.db)).toEqual([]);
  });

  it('requires a JWKS and issuer for signed-only, and validates names and zones', async () => {
    expect(() => saveSource(vault.db, { name: 's', signedOnly: true })).toThrow(/JWKS and an expected issuer/);
    expect(() => saveSource(vault.db, { name: 's', signedOnly: true, jwksJson: '' })).toThrow(/JWKS/);
    expect(() => saveSource(vault.db, { name: 'a\u0000b' })).toThrow(/control, direction, zero-width or blank characters/);
    expect(() => saveSource(vault.db, { name: 'z', syslogZone: 'Mars/Olympus' })).toThrow(/Unknown time zone/);
    expect(saveSource(vault.db, { name: 'z', syslogZone: '+02:00' }).syslogZone).toBe('+02:00');
    const ok = saveSource(vault.db, { name: 'signed', signedOnly: true, jwksJson: await jwks(), issuer: 'iss' });
    expect(ok.signedOnly).toBe(true);
    // Removing the issuer of a signed-only source is refused, and nothing changes.
    expect(() => saveSource(vault.db, { name: 'signed', issuer: null })).toThrow(/signed-only/);
    expect(getSourceByName(vault.db, 'signed')?.issuer).toBe('iss');
  });
});
