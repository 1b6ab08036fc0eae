import { Worker } from 'node:worker_threads';
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import type { Db } from '../vault/database';
import { openEncryptedDatabase, translateOpenError } from '../vault/database';
import type { Cipher } from '../../../shared/contract/vault';
import type { VerifyReport } from '../../../shared/contract/events';
import { BlockReader } from '../events/block-reader';
import { GENESIS_HASH } from './chain-record';
import { AttestError } from '../../../shared/result';
import { CHECKPOINT_JWS_TYPE, isCheckpointPayload, publicKeysByKid } from './checkpoint';
import { dictionaryShapeProblem, verifyRange, type RangeInput, type RangeResult } from './verify-range';
import { importsProblem, type ImportRecord } from './verify-imports';
import { SummaryComparison, type SummaryTallyData } from './verify-summary';
import { postingsShapeProblem } from './verify-postings';
import { ownSourceId } from './own-source';
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
  /**
   * Check the chain only (hashes, checkpoints, block index, dictionary, dedup keys), not the data derived
   * from it for searching and charts (postings, per-minute counts) nor the import history: about 40%
   * faster on a large vault. The report's scope says which was done.
   */
  chainOnly?: boolean;
}

/** Below this many events, starting threads costs more than it saves. */
const MIN_EVENTS_PER_WORKER = 50_000;

interface Problem {
  seq: number | null;
  message: string;
}

export async function verifyChain(target: VerifyTarget, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = Date.now();
  const scope = options.chainOnly ? 'chain' : 'full';
  const report = (fields: Omit<VerifyReport, 'ms' | 'scope'>): VerifyReport => ({ ...fields, ms: Date.now() - started, scope });
  const empty = { count: 0, headSeq: 0, headHash: '', checkpoints: 0 };
  let db = target.db;
  let opened = false;
  let snapshot = false;
  try {
    // A connection of its own when it can (the app's may write meanwhile, and must not be held in a read
    // transaction), read inside one transaction: an import committing while verify runs is outside the
    // snapshot, not reported as events or index entries the chain does not hold. The threads read only
    // the seqs of this snapshot.
    if (target.file && target.key && target.cipher) {
      db = openEncryptedDatabase(target.file, target.key, target.cipher, {
        readonly: true,
        ...(target.nativeBinding ? { nativeBinding: target.nativeBinding } : {}),
      });
      opened = true;
    }
    if (!db) throw new AttestError('INTERNAL', 'Verification needs a vault to read.');
    if (!db.inTransaction) {
      db.exec('BEGIN');
      snapshot = true;
    }
    const zones = db
      .prepare<[], ZoneRow>('SELECT first_seq, last_seq, count, head_hash FROM event_blocks ORDER BY first_seq')
      .all();
    const last = zones[zones.length - 1];
    const maxSeq = last && typeof last.last_seq === 'number' ? last.last_seq : 0;
    const headHash = last && Buffer.isBuffer(last.head_hash) ? last.head_hash.toString('hex') : '';

    let chain: ChainResult;
    const summary = options.chainOnly ? null : new SummaryComparison();
    const firstBlock = zones[0]?.first_seq;
    if (typeof firstBlock === 'number' && firstBlock < 1) {
      chain = { verified: 0, firstBadSeq: firstBlock, problem: `An event with the impossible seq ${firstBlock} was inserted.` };
    } else {
      chain = await verifyEvents(db, target, options, zones, summary);
    }
    const keys = chain.firstBadSeq === null ? keyCountProblem(db, maxSeq) : null;
    const dictionaryShape = chain.firstBadSeq === null ? dictionaryShapeProblem(db, maxSeq) : null;
    const derived = chain.firstBadSeq === null && !options.chainOnly;
    const postingsShape = derived ? postingsShapeProblem(db, maxSeq) : null;
    const history = derived ? importsProblem(db, chain.imports ?? [], chain.batches ?? []) : null;
    let charts: string | null = null;
    if (derived && summary !== null) {
      for (const tally of chain.summaries ?? []) summary.addTally(tally);
      charts = summary.problem();
    }
    const checked = await verifyCheckpoints(db, options, chain.firstBadSeq);
    readEveryOtherPage(db);
    let first: Problem | null = chain.firstBadSeq !== null ? { seq: chain.firstBadSeq, message: chain.problem ?? 'The chain breaks here.' } : null;
    if (checked.problem && (first === null || (checked.problem.seq ?? Infinity) < (first.seq ?? Infinity))) first = checked.problem;
    // Only meaningful once the events themselves verify: then their JSON is the truth to compare with.
    if (first === null && dictionaryShape !== null) first = { seq: null, message: dictionaryShape };
    if (first === null && chain.indexProblem) first = chain.indexProblem;
    if (first === null && postingsShape !== null) first = { seq: null, message: postingsShape };
    if (first === null && history) first = history;
    if (first === null && charts !== null) first = { seq: null, message: charts };
    if (first === null && keys) first = keys;
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
    if (snapshot && db?.open && db.inTransaction) {
      try {
        db.exec('ROLLBACK'); // a read transaction: nothing to keep, and a damaged file must not throw here
      } catch {
        /* the report already says what is wrong */
      }
    }
    if (opened) db?.close();
  }
}

/** The whole chain's result: the runs' results merged, with every run's per-minute tally. */
interface ChainResult extends RangeResult {
  summaries?: SummaryTallyData[];
}

interface ZoneRow {
  first_seq: number;
  last_seq: unknown;
  count: unknown;
  head_hash: unknown;
}

/**
 * Splits the blocks into runs of about equal work (events plus weighted dictionary entries, blockCosts),
 * one per thread, ending only where an appended chunk ends; each run starts from the head hash stored in
 * the block before it, which that block's own run proves (verify-range.ts).
 */
async function verifyEvents(db: Db, target: VerifyTarget, options: VerifyOptions, zones: ZoneRow[], summary: SummaryComparison | null): Promise<ChainResult> {
  if (zones.length === 0) {
    summary?.loadTable(db); // no events: any count in the Overview's table is forged
    return { verified: 0, firstBadSeq: null, problem: null, indexProblem: null };
  }
  const total = zones.reduce((n, z) => n + (typeof z.count === 'number' && z.count > 0 ? z.count : 0), 0);
  const threads = Math.max(1, options.threads ?? 2);
  const file = target.file ?? (target.db ? target.db.name : undefined);
  const canSplit = options.workerScript && file && target.key && target.cipher && threads > 1 && total >= threads * (options.minEventsPerThread ?? MIN_EVENTS_PER_WORKER);
  const runs: RangeInput[] = [];
  const checkIndexes = !options.chainOnly;
  const auditSourceId = ownSourceId(db);
  const costs = canSplit ? blockCosts(db, zones) : zones.map(() => 0);
  const per = canSplit ? Math.ceil(costs.reduce((a, b) => a + b, 0) / threads) : Number.POSITIVE_INFINITY;
  let start = 0;
  let inRun = 0;
  // A run ends only where an appended chunk ends: each run checks whole chunks' postings (verify-postings.ts).
  const chunkStarts = canSplit && checkIndexes ? new Set(db.prepare<[], number>('SELECT DISTINCT first_seq FROM postings').pluck().all()) : new Set<number>();
  for (let i = 0; i < zones.length; i++) {
    inRun += costs[i]!;
    const canEnd = !checkIndexes || chunkStarts.has(zones[i + 1]?.first_seq ?? Number.NaN);
    if ((inRun >= per && canEnd) || i === zones.length - 1) {
      runs.push(runInput(zones, start, i, checkIndexes ? auditSourceId : null, checkIndexes));
      start = i + 1;
      inRun = 0;
    }
  }
  if (!canSplit || runs.length === 1) {
    summary?.loadTable(db);
    const one = verifyRange(db, runs[0] ?? runInput(zones, 0, zones.length - 1, checkIndexes ? auditSourceId : null, checkIndexes));
    return { ...one, summaries: one.summary ? [one.summary] : [] };
  }
  const inputs: VerifyWorkerInput[] = runs.map((range) => ({
    file: file!,
    key: new Uint8Array(target.key!),
    cipher: target.cipher!,
    ...(target.nativeBinding ? { nativeBinding: target.nativeBinding } : {}),
    range,
  }));
  const running = Promise.all(inputs.map((input) => runWorker(options.workerScript!, input))).finally(() => {
    for (const input of inputs) input.key.fill(0); // workerData was cloned into each worker
  });
  running.catch(() => undefined); // awaited below; should the table read throw, it is not left unobserved
  // The main thread is idle while the threads walk: read the Overview's table meanwhile.
  summary?.loadTable(db);
  const results = await running;
  // Runs are in seq order: the first run with a problem holds the first bad seq.
  let verified = 0;
  let indexProblem: RangeResult['indexProblem'] = null;
  const imports: ImportRecord[] = [];
  const summaries: SummaryTallyData[] = [];
  const batches: number[] = [];
  for (const result of results) {
    verified += result.verified;
    if (result.firstBadSeq !== null) return { ...result, verified };
    if (indexProblem === null && result.indexProblem) indexProblem = result.indexProblem;
    if (result.imports) imports.push(...result.imports);
    if (result.summary) summaries.push(result.summary);
    if (result.batches) batches.push(...result.batches);
  }
  return { verified, firstBadSeq: null, problem: null, indexProblem, imports, summaries, batches };
}

/** Dictionary checks cost about twice as much as re-hashing an event (bench profile): the split's weight. */
const DICTIONARY_ENTRY_COST = 2;

/**
 * The work of verifying each block, in event-equivalents: its events, plus the dictionary entries first
 * used in it (checked by its run, verify-range.ts). New values cluster early in a log (the first days name
 * most users and addresses), so an even split by events left one thread with nearly all of them.
 */
function blockCosts(db: Db, zones: ZoneRow[]): number[] {
  const entries = db.prepare<[number, number], { n: number }>('SELECT count(*) AS n FROM dim_values WHERE first_seq >= ? AND first_seq <= ?');
  return zones.map((z) => {
    const events = typeof z.count === 'number' && z.count > 0 ? z.count : 0;
    if (typeof z.last_seq !== 'number') return events;
    return events + DICTIONARY_ENTRY_COST * (entries.get(z.first_seq, z.last_seq)?.n ?? 0);
  });
}

function runInput(zones: ZoneRow[], from: number, to: number, auditSourceId: number | null, checkIndexes: boolean): RangeInput {
  const before = from > 0 ? zones[from - 1] : undefined;
  const end = zones[to]!.last_seq;
  const prevHash = before === undefined ? GENESIS_HASH : Buffer.isBuffer(before.head_hash) ? before.head_hash : Buffer.alloc(0);
  return {
    fromBlock: zones[from]!.first_seq,
    toBlock: zones[to]!.first_seq,
    expectedSeq: before === undefined ? 1 : typeof before.last_seq === 'number' ? before.last_seq + 1 : zones[from]!.first_seq,
    prevHashHex: prevHash.toString('latin1'),
    auditSourceId,
    checkIndexes,
    // The runs partition the seqs of the snapshot, so each dictionary entry is checked by exactly one of
    // them; what lies past its head (an import committing meanwhile) is no run's. Entries and postings
    // that name seqs past the head are reported by the whole-table checks, in the snapshot.
    lastSeq: typeof end === 'number' ? end : Number.MAX_SAFE_INTEGER,
  };
}

/** event_keys holds one dedup key per event ever appended: any other count means it was altered. */
function keyCountProblem(db: Db, events: number): Problem | null {
  const keys = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM event_keys').get()?.n ?? 0;
  if (keys === events) return null;
  return {
    seq: null,
    message: `The duplicate-detection index was altered (${keys} keys for ${events} events): a re-import could add events twice or skip new ones.`,
  };
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
  const hashAt = hashAtSeq(db);
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
    const hash = hashAt(seq);
    if (!hash) return bad(`Event ${seq}, covered by a signed checkpoint, is missing: events were removed from the log.`);
    if (hash.toString('hex') !== payload.head_hash) {
      return bad(
        `The chain no longer matches the checkpoint signed at event ${seq}: events after ${previousSeq} were rewritten.`,
      );
    }
    previousSeq = seq;
    verified++;
  }
  return { verified, problem: null };
}

/** The stored hash of an event: a checkpoint usually sits at a block's end (its head hash column). */
function hashAtSeq(db: Db): (seq: number) => Buffer | null {
  const atBlockEnd = db.prepare<[number], { head_hash: unknown }>('SELECT head_hash FROM event_blocks WHERE last_seq = ?');
  const reader = new BlockReader(db);
  return (seq) => {
    const row = atBlockEnd.get(seq);
    if (row && Buffer.isBuffer(row.head_hash)) return row.head_hash;
    try {
      const found = reader.event(seq);
      return found ? found.block.hash(found.record) : null;
    } catch {
      return null;
    }
  };
}

/**
 * Reads every b-tree page the chain walk did not (indexes, postings, summaries, dictionaries, ...), so
 * page authentication covers the whole file: a flipped byte anywhere surfaces as SQLITE_CORRUPT here.
 * count(*) walks a whole b-tree; the event blocks were already read by the chain walk.
 */
function readEveryOtherPage(db: Db): void {
  const objects = db
    .prepare<[], { type: string; name: string; tbl_name: string }>(
      "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index') AND rootpage > 0",
    )
    .all();
  const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
  for (const o of objects) {
    if (o.type === 'table' && o.name === 'event_blocks') continue;
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
