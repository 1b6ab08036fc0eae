import { describe, expect, it } from 'vitest';
import type { SignedBatchVerifier, SignedOutcome } from '../../../../electron/core/ingest/signed-batch';
import type { RawRecord } from '../../../../electron/core/ingest/record';
import { VerifyAhead } from '../../../../electron/core/ingest/verify-ahead';

const JWS = (n: number) => Buffer.from(`eyJhbGciOiJFZERTQSJ9.eyJuIjo${n}fQ.c2ln`);

/** A verifier whose checks stay pending until released, counting how many are in flight at most. */
function slowVerifier() {
  const pending: Array<() => void> = [];
  let inFlight = 0;
  let most = 0;
  const verifier = {
    verify: (line: Buffer): Promise<SignedOutcome> => {
      inFlight++;
      most = Math.max(most, inFlight);
      return new Promise((resolve) =>
        pending.push(() => {
          inFlight--;
          resolve({ ok: true, records: [line] });
        }),
      );
    },
  } as unknown as SignedBatchVerifier;
  return { verifier, releaseAll: () => pending.splice(0).forEach((r) => r()), most: () => most };
}

describe('VerifyAhead', () => {
  it('starts at most 64 checks ahead, and hands records back in file order', async () => {
    const { verifier, releaseAll, most } = slowVerifier();
    async function* records(): AsyncGenerator<RawRecord> {
      for (let i = 1; i <= 200; i++) yield { line: i, raw: i % 10 === 0 ? Buffer.from('not a jws') : JWS(i) };
    }
    const ahead = new VerifyAhead(records(), verifier);
    const lines: number[] = [];
    for (let item = await ahead.next(); item !== null; item = await ahead.next()) {
      lines.push(item.record.line);
      expect(item.verified === null).toBe(item.record.line % 10 === 0);
      releaseAll();
      if (item.verified) expect(await item.verified).toMatchObject({ ok: true });
    }
    expect(lines).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(most()).toBeGreaterThan(1);
    expect(most()).toBeLessThanOrEqual(64);
  });

  it('closes the file it reads when stopped early (a cancel)', async () => {
    const { verifier } = slowVerifier();
    let closed = false;
    async function* records(): AsyncGenerator<RawRecord> {
      try {
        for (let i = 1; i <= 1000; i++) yield { line: i, raw: JWS(i) };
      } finally {
        closed = true;
      }
    }
    const ahead = new VerifyAhead(records(), verifier);
    expect((await ahead.next())?.record.line).toBe(1);
    await ahead.close();
    expect(closed).toBe(true);
    expect(await ahead.next()).toBeNull();
  });
});
