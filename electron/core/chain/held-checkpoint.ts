import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { z } from 'zod';
import type { Db } from '../vault/database';
import { CHECKPOINT_JWS_TYPE } from './checkpoint';
import { blockReaderFor } from '../events/block-reader';

/**
 * A checkpoint someone held outside the laptop (`attest checkpoint export`), checked against the vault:
 * its signature verifies under the public key that came with it, it names this vault, and the event at
 * its sequence number still carries its head hash. Together with a chain that verifies, that proves the
 * record up to that point was not rewritten since the checkpoint was exported.
 */
const HeldCheckpointSchema = z.object({
  jws: z.string().min(1).max(10_000),
  publicJwk: z.record(z.string(), z.unknown()),
});

const PayloadSchema = z.object({
  vault_id: z.string(),
  seq: z.number().int().positive(),
  head_hash: z.string().regex(/^[0-9a-f]{64}$/),
  time: z.number().int(),
});

export interface HeldCheckpointResult {
  ok: boolean;
  seq: number | null;
  headHash: string | null;
  publicJwk: JWK | null;
  problem: string | null;
}

export async function checkHeldCheckpoint(db: Db, vaultId: string, held: unknown): Promise<HeldCheckpointResult> {
  const fail = (problem: string, seq: number | null = null, headHash: string | null = null): HeldCheckpointResult => ({
    ok: false,
    seq,
    headHash,
    publicJwk: null,
    problem,
  });
  const parsed = HeldCheckpointSchema.safeParse(held);
  if (!parsed.success) return fail('The checkpoint file is not an exported Attest checkpoint (it needs "jws" and "publicJwk").');
  const { jws, publicJwk } = parsed.data;
  let payloadBytes: Uint8Array;
  try {
    const header = decodeProtectedHeader(jws);
    if (header.alg !== 'EdDSA' || header.typ !== CHECKPOINT_JWS_TYPE) return fail('The checkpoint is not an Attest checkpoint signature (EdDSA, attest-checkpoint+jws).');
    const key = await importJWK(publicJwk as JWK, 'EdDSA');
    payloadBytes = (await compactVerify(jws, key, { algorithms: ['EdDSA'] })).payload;
  } catch {
    return fail('The checkpoint signature does not verify under the public key it came with.');
  }
  let payload: z.infer<typeof PayloadSchema>;
  try {
    const p = PayloadSchema.safeParse(JSON.parse(new TextDecoder().decode(payloadBytes)));
    if (!p.success) return fail('The checkpoint payload is not {vault_id, seq, head_hash, time}.');
    payload = p.data;
  } catch {
    return fail('The checkpoint payload is not JSON.');
  }
  if (payload.vault_id !== vaultId) return fail(`The checkpoint belongs to vault ${payload.vault_id}, not this one (${vaultId}).`, payload.seq, payload.head_hash);
  const found = blockReaderFor(db).event(payload.seq);
  const row = found ? { hash: found.block.hash(found.record) } : null;
  if (!row) return fail(`The vault has no event ${payload.seq} any more: the record was cut back below the held checkpoint.`, payload.seq, payload.head_hash);
  if (row.hash.toString('hex') !== payload.head_hash) {
    return fail(`The chain no longer passes through the held checkpoint: event ${payload.seq} now hashes to a different value.`, payload.seq, payload.head_hash);
  }
  return { ok: true, seq: payload.seq, headHash: payload.head_hash, publicJwk: publicJwk as JWK, problem: null };
}
