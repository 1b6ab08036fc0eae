import { Worker } from 'node:worker_threads';
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import type { Db } from '../vault/database';
import { openEncryptedDatabase, translateOpenError } from '../vault/database';
import type { Cipher } from '../../../shared/contract/vault';
import type { VerifyReport } from '../../../shared/contract/events';
import { checkSearchIndexes } from './index-consistency';
import { AttestError } from '../../../shared/result';
import { CHECKPOINT_JWS_TYPE, isCheckpointPayload, publicKeysByKid } from './checkpoint';
import { verifyRange, type RangeResult } from './verify-range';
import type { VerifyWorkerInput, VerifyWorkerOutput } from './verify-worker';

/**
 * Verification of the whole log: every event re-hashed (see chain-record.ts for the bytes), every
 * checkpoint's signature checked and its head_hash compared with the chain at that seq. The first seq
 * that breaks is reported; a vault file whose pages fail authentication is reported as tampered, never
 * thrown.
 */
export interface VerifyTarget {
  /** An open connection (the vault service's), or none: then file/key/cipher are opened read-only. */
  db?: Db;
  /** Database file, key and cipher: needed to open it here or in worker threads. */
  file?: string;
  key?: Buffer;
  cipher?: Cipher;
  nativeBinding?: string;
}

export interface VerifyOptions {
  /** Path of the bundled verify-worker.js; without it verification runs in this thread. */
  workerScript?: string;
  /** Worker threads to split the chain across (default 2). */
  threads?: number;
  /** A public key the auditor kept: checkpoints must verify with it instead of the vault's stored keys. */
  trustedPublicJwk?: JWK;
  /** When given, every checkpoint must name this vault. */
  vaultId?: string;
  /** Below this many events per thread, threads cost more than they save (default 50,000). */
  minEventsPerThread?: number;
}

/** Below this many events, starting threads costs more than it saves. */
const MIN_EVENTS_PER_WORKER = 50_000;

interface Problem {
  seq: number | null;
  message: string;
}

export async function verifyChain(target: VerifyTarget, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = Date.now();
  const report = (fields: Omit<VerifyReport, 'ms'>): VerifyReport => ({ ...fields, ms: Date.now() - started });
  const empty = { count: 0, headSeq: 0, headHash: '', checkpoints: 0 };
  let db = target.db;
  let opened = false;
  try {
    if (!db) {
      if (!target.file || !target.key || !target.cipher) throw new AttestError('INTERNAL', 'Verification needs a vault to read.');
      db = openEncryptedDatabase(target.file, target.key, target.cipher, {
        readonly: true,
        ...(target.nativeBinding ? { nativeBinding: target.nativeBinding } : {}),
      });
      opened = true;
    }
    const bounds = db.prepare<[], { lo: number | null; hi: number | null }>('SELECT min(seq) AS lo, max(seq) AS hi FROM events').get();
    const maxSeq = bounds?.hi ?? 0;
    const head = maxSeq > 0 ? db.prepare<[number], { hash: Buffer }>('SELECT hash FROM events WHERE seq = ?').get(maxSeq) : undefined;
    const headHash = head && Buffer.isBuffer(head.hash) ? head.hash.toString('hex') : '';

    let chain: RangeResult;
    let indexProblem: Problem | null = null;
    if (bounds?.lo !== null && bounds?.lo !== undefined && bounds.lo < 1) {
      chain = { verified: 0, firstBadSeq: bounds.lo, problem: `An event with the impossible seq ${bounds.lo} was inserted.` };
    } else {
      const events = verifyEvents(db, target, options, maxSeq);
      // Runs on this thread while worker threads hash the chain.
      indexProblem = safeIndexCheck(db);
      chain = await events;
    }

    const checked = await verifyCheckpoints(db, options, chain.firstBadSeq);
    readEveryOtherPage(db);
    let first: Problem | null = chain.firstBadSeq !== null ? { seq: chain.firstBadSeq, message: chain.problem ?? 'The chain breaks here.' } : null;
    if (checked.problem && (first === null || (checked.problem.seq ?? Infinity) < (first.seq ?? Infinity))) first = checked.problem;
    // Only meaningful once the events themselves verify: then their JSON is the truth to compare with.
    if (first === null && indexProblem) first = indexProblem;
    return report({
      ok: first === null,
      count: first === null ? maxSeq : chain.verified,
      headSeq: maxSeq,
      headHash,
      checkpoints: checked.verified,
      firstBadSeq: first?.seq ?? null,
      problem: first ? oneLine(first.message) : null,
    });
  } catch (err) {
    const translated = err instanceof AttestError ? err : translateOpenError(err);
    return report({ ok: false, ...empty, firstBadSeq: null, problem: oneLine(translated.message) });
  } finally {
    if (opened) db?.close();
  }
}

async function verifyEvents(db: Db, target: VerifyTarget, options: VerifyOptions, maxSeq: number): Promise<RangeResult> {
  const threads = Math.max(1, options.threads ?? 2);
  const file = target.file ?? (target.db ? target.db.name : undefined);
  const canSplit = options.workerScript && file && target.key && target.cipher && threads > 1 && maxSeq >= threads * (options.minEventsPerThread ?? MIN_EVENTS_PER_WORKER);
  if (!canSplit) return verifyRange(db, 1, maxSeq);
  const per = Math.ceil(maxSeq / threads);
  const inputs: VerifyWorkerInput[] = [];
  for (let from = 1; from <= maxSeq; from += per) {
    inputs.push({
      file: file!,
      key: new Uint8Array(target.key!),
      cipher: target.cipher!,
      ...(target.nativeBinding ? { nativeBinding: target.nativeBinding } : {}),
      from,
      to: Math.min(maxSeq, from + per - 1),
    });
  }
  const results = await Promise.all(inputs.map((input) => runWorker(options.workerScript!, input))).finally(() => {
    for (const input of inputs) input.key.fill(0); // workerData was cloned into each worker
  });
  // Ranges are in seq order: the first range with a problem holds the first bad seq.
  let verified = 0;
  for (const result of results) {
    verified += result.verified;
    if (result.firstBadSeq !== null) return { ...result, verified };
  }
  return { verified, firstBadSeq: null, problem: null };
}

function runWorker(script: string, input: VerifyWorkerInput): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: input });
    let settled = false;
    worker.once('message', (message: VerifyWorkerOutput) => {
      settled = true;
      if (message.ok) resolve(message.result);
      else reject(new AttestError(message.code === 'TAMPERED' ? 'TAMPERED' : 'INTERNAL', message.message));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(new AttestError('INTERNAL', `A verification thread failed: ${err.message}`));
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new AttestError('INTERNAL', `A verification thread stopped unexpectedly (exit code ${code}).`));
    });
  });
}

interface CheckpointRow {
  seq: unknown;
  head_hash: unknown;
  jws: unknown;
}

async function verifyCheckpoints(
  db: Db,
  options: VerifyOptions,
  chainBreak: number | null,
): Promise<{ verified: number; problem: Problem | null }> {
  const rows = db.prepare<[], CheckpointRow>('SELECT seq, head_hash, jws FROM checkpoints ORDER BY seq').all();
  const storedKeys = options.trustedPublicJwk ? null : publicKeysByKid(db);
  const hashAt = db.prepare<[number], { hash: unknown }>('SELECT hash FROM events WHERE seq = ?');
  let vaultId = options.vaultId ?? null;
  let verified = 0;
  let previousSeq = 0;
  for (const row of rows) {
    const seq = typeof row.seq === 'number' ? row.seq : null;
    const bad = (message: string): { verified: number; problem: Problem } => ({ verified, problem: { seq, message } });
    if (seq === null || typeof row.jws !== 'string' || !Buffer.isBuffer(row.head_hash)) return bad('A stored checkpoint is malformed.');
    // Checkpoints after the first broken event cannot be compared with a trustworthy chain.
    if (chainBreak !== null && seq >= chainBreak) break;
    let payload: unknown;
    try {
      const header = decodeProtectedHeader(row.jws);
      if (header.alg !== 'EdDSA' || header.typ !== CHECKPOINT_JWS_TYPE) return bad(`The checkpoint at event ${seq} has an unexpected signature header.`);
      const jwk = options.trustedPublicJwk ?? (typeof header.kid === 'string' ? storedKeys?.get(header.kid) : undefined);
      if (!jwk) return bad(`The checkpoint at event ${seq} was signed with a key this vault does not hold.`);
      const verifiedJws = await compactVerify(row.jws, await importJWK(jwk, 'EdDSA'), { algorithms: ['EdDSA'] });
      payload = JSON.parse(Buffer.from(verifiedJws.payload).toString('utf8'));
    } catch {
      return bad(`The signature of the checkpoint at event ${seq} is not valid.`);
    }
    if (!isCheckpointPayload(payload) || payload.seq !== seq || payload.head_hash !== row.head_hash.toString('hex')) {
      return bad(`The checkpoint at event ${seq} does not match its signed content.`);
    }
    if (vaultId === null) vaultId = payload.vault_id;
    if (payload.vault_id !== vaultId) return bad(`The checkpoint at event ${seq} was signed for a different vault.`);
    const event = hashAt.get(seq);
    if (!event) return bad(`Event ${seq}, covered by a signed checkpoint, is missing: events were removed from the log.`);
    if (!Buffer.isBuffer(event.hash) || event.hash.toString('hex') !== payload.head_hash) {
      return bad(
        `The chain no longer matches the checkpoint signed at event ${seq}: events after ${previousSeq} were rewritten.`,
      );
    }
    previousSeq = seq;
    verified++;
  }
  return { verified, problem: null };
}

/**
 * Reads every b-tree page the chain walk did not (indexes, postings, summaries, dictionaries, ...), so
 * page authentication covers the whole file: a flipped byte anywhere surfaces as SQLITE_CORRUPT here.
 * count(*) walks a whole b-tree; the events table itself was already read row by row.
 */
function readEveryOtherPage(db: Db): void {
  const objects = db
    .prepare<[], { type: string; name: string; tbl_name: string }>(
      "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index') AND rootpage > 0",
    )
    .all();
  const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
  for (const o of objects) {
    if (o.type === 'table' && o.name === 'events') continue;
    const sql = o.type === 'table' ? `SELECT count(*) FROM ${q(o.name)} NOT INDEXED` : `SELECT count(*) FROM ${q(o.tbl_name)} INDEXED BY ${q(o.name)}`;
    try {
      db.prepare(sql).get();
    } catch (err) {
      // An index the planner refuses to use this way (none in our schema) is skipped, corruption is not.
      const code = (err as { code?: string }).code;
      if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') throw err;
    }
  }
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

/** The dictionary check; a read error here is left to the chain and page checks to report. */
function safeIndexCheck(db: Db): Problem | null {
  try {
    return checkSearchIndexes(db);
  } catch {
    return null;
  }
}
