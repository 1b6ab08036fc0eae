import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { CompactSign, compactVerify, exportJWK, generateKeyPair, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attest, buildCli, tempDir } from './cli-harness';

const env = { ATTEST_PASSPHRASE: 'signed batch test passphrase' };
const ISSUER = 'https://idp.example';

describe('attest signed-batch export', () => {
  const dir = tempDir('attest-cli-signed-');
  const vault = path.join(dir, 'vault');
  beforeAll(() => {
    buildCli();
    expect(attest(['init', '--vault', vault], { env }).code).toBe(0);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a stored batch JWS byte for byte, which verifies with the source\'s key outside Attest', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' };
    const jwksFile = path.join(dir, 'jwks.json');
    fs.writeFileSync(jwksFile, JSON.stringify({ keys: [publicJwk] }));
    expect(attest(['sources', 'set', 'idp', '--vault', vault, '--jwks', jwksFile, '--issuer', ISSUER], { env }).code).toBe(0);
    const records = Array.from({ length: 3 }, (_, i) =>
      JSON.stringify({ class_uid: 3002, activity_id: 1, time: Date.UTC(2026, 9, 1, 10, i), status_id: 1, severity_id: 1, actor: { user: { name: `user${i}` } }, metadata: { product: { name: 'IdP' }, version: '1.1.0' } }),
    );
    const jws = await new CompactSign(new TextEncoder().encode(records.join('\n'))).setProtectedHeader({ alg: 'EdDSA', kid: 'k1', iss: ISSUER }).sign(privateKey);
    const file = path.join(dir, 'batch.jws');
    fs.writeFileSync(file, `${jws}\n`);
    const ingest = attest(['ingest', '--vault', vault, '--source', 'idp', '--json', file], { env });
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ read: 3, imported: 3 });

    const sha = createHash('sha256').update(jws).digest('hex');
    const out = path.join(dir, 'exported.jws');
    const written = attest(['signed-batch', 'export', sha, '--vault', vault, '--out', out], { env });
    expect(written.code, written.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(jws);
    const toStdout = attest(['signed-batch', 'export', sha.toUpperCase(), '--vault', vault], { env });
    expect(toStdout.stdout).toBe(jws);
    // What an auditor does with it: the signature verifies with the public key alone.
    const { payload } = await compactVerify(fs.readFileSync(out, 'utf8'), await importJWK(publicJwk, 'EdDSA'));
    expect(new TextDecoder().decode(payload).split('\n')).toEqual(records);
    expect(attest(['verify', '--vault', vault], { env }).code).toBe(0);

    const unknown = attest(['signed-batch', 'export', '0'.repeat(64), '--vault', vault], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No signed batch with SHA-256 0{64} is in this vault\./);
    const malformed = attest(['signed-batch', 'export', 'abc', '--vault', vault], { env });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr.trim().split('\n')).toEqual([expect.stringMatching(/64 hexadecimal digits/)]);
  });
});
