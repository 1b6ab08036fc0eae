import { parentPort, workerData } from 'node:worker_threads';
import { openEncryptedDatabase, translateOpenError } from '../vault/database';
import type { Cipher } from '../../../shared/contract/vault';
import { verifyRange, type RangeInput, type RangeResult } from './verify-range';

/** Input of one verification worker: its own read-only connection and the run of blocks it re-hashes. */
export interface VerifyWorkerInput {
  file: string;
  key: Uint8Array;
  cipher: Cipher;
  nativeBinding?: string;
  range: RangeInput;
}

export type VerifyWorkerOutput = { ok: true; result: RangeResult } | { ok: false; code: string; message: string };

function run(input: VerifyWorkerInput): VerifyWorkerOutput {
  try {
    const key = Buffer.from(input.key);
    let db;
    try {
      db = openEncryptedDatabase(input.file, key, input.cipher, {
        readonly: true,
        ...(input.nativeBinding ? { nativeBinding: input.nativeBinding } : {}),
      });
    } finally {
      // The connection holds what it needs; no copy of the key stays in this thread's heap.
      key.fill(0);
      input.key.fill(0);
    }
    try {
      return { ok: true, result: verifyRange(db, input.range) };
    } finally {
      db.close();
    }
  } catch (err) {
    const translated = translateOpenError(err);
    return { ok: false, code: translated.code, message: translated.message };
  }
}

if (parentPort) parentPort.postMessage(run(workerData as VerifyWorkerInput));
