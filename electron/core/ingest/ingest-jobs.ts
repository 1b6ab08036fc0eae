import { randomUUID } from 'node:crypto';
import type { TimeIfMissingChoice } from './missing-time';
import { Worker } from 'node:worker_threads';
import type { IngestFormat, IngestProgress, IngestSummary } from '../../../shared/contract/events';
import type { Cipher } from '../../../shared/contract/vault';
import { AttestError } from '../../../shared/result';
import type { ImportProgress } from './import-file';

export type IngestJobState = 'running' | 'done' | 'cancelled' | 'failed';

export interface IngestJobFile {
  path: string;
  name?: string;
}

export interface IngestJobOptions {
  format?: IngestFormat;
  source?: string;
  syslogYear?: number;
  syslogZone?: string;
  timeIfMissing?: TimeIfMissingChoice;
}

/** What the worker receives. The key is a copy made for this worker; the worker zeroes it once opened. */
export interface IngestWorkerData {
  files: IngestJobFile[];
  options: IngestJobOptions;
  dbFile: string;
  key: Uint8Array;
  cipher: Cipher;
  nativeBinding?: string;
  vaultId: string;
  operator: string;
  /** Int32 flag, 1 = cancel: read between chunks, so a busy worker sees it without its event loop. */
  cancelFlag: SharedArrayBuffer;
  progressIntervalMs?: number;
}

export interface WorkerStats {
  maxRssBytes: number;
  heapPeakBytes: number;
}

export type IngestWorkerMessage =
  | { type: 'progress'; fileIndex: number; fileCount: number; progress: ImportProgress }
  | { type: 'file'; fileIndex: number; summary: IngestSummary }
  | { type: 'done'; stats: WorkerStats }
  | { type: 'error'; code: string; message: string };

export interface IngestJobsOptions {
  /** Path of the bundled ingest-worker.js. */
  workerScript: string;
  /**
   * The open vault's key material, asked for when a job starts (throws LOCKED when locked). Must return a
   * fresh copy of the key on every call: the importer zeroes it once the worker has its own.
   */
  openKey: () => { key: Buffer; cipher: Cipher; file: string; vaultId: string };
  operator: string;
  onProgress: (progress: IngestProgress) => void;
  /** Electron-ABI native module path, when running inside Electron. */
  nativeBinding?: string;
  progressIntervalMs?: number;
}

const WORKER_HEAP_MB = 512;

interface Job {
  id: string;
  files: IngestJobFile[];
  options: IngestJobOptions;
  state: IngestJobState;
  summaries: IngestSummary[];
  cancelFlag: SharedArrayBuffer;
  worker: Worker | null;
  stats: WorkerStats | null;
  settled: Promise<void>;
  settle: () => void;
  failure: AttestError | null;
}

/**
 * Runs imports in a worker thread (one writer connection of its own), one job at a time per vault so a
 * batch left 'running' can only be a dead process's. Jobs queue; each reports progress and a summary
 * per file. Cancel lands between chunks: what was committed stays, and the summary says cancelled.
 */
export class IngestJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private disposed = false;

  constructor(private readonly opts: IngestJobsOptions) {}

  start(files: IngestJobFile[], options: IngestJobOptions = {}): string {
    if (this.disposed) throw new AttestError('INTERNAL', 'The importer has been shut down.');
    if (files.length === 0) throw new AttestError('BAD_REQUEST', 'Choose at least one file to import.');
    this.opts.openKey().key.fill(0); // a locked vault is refused now (LOCKED), not reported later as a failed job
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const job: Job = {
      id: randomUUID(),
      files: files.map((f) => ({ ...f })),
      options: { ...options },
      state: 'running',
      summaries: [],
      cancelFlag: new SharedArrayBuffer(4),
      worker: null,
      stats: null,
      settled,
      settle,
      failure: null,
    };
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.pump();
    return job.id;
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.state !== 'running') return false;
    Atomics.store(new Int32Array(job.cancelFlag), 0, 1);
    const queued = this.queue.indexOf(job);
    if (queued !== -1) {
      this.queue.splice(queued, 1);
      this.finish(job, 'cancelled');
    }
    return true;
  }

  result(jobId: string): { state: IngestJobState; summaries: IngestSummary[] } {
    const job = this.get(jobId);
    return { state: job.state, summaries: job.summaries.map((s) => ({ ...s })) };
  }

  /** Resolves with one summary per file when the job ends; rejects when the worker itself failed. */
  async wait(jobId: string): Promise<IngestSummary[]> {
    const job = this.get(jobId);
    await job.settled;
    if (job.failure) throw job.failure;
    return job.summaries.map((s) => ({ ...s }));
  }

  /** Peak memory the last worker of this job reported (benchmark). */
  workerStats(jobId: string): WorkerStats | null {
    return this.get(jobId).stats;
  }

  /** Cancels every queued and running job (the vault is locking: the worker must let go of the key). */
  cancelAll(): void {
    for (const job of [...this.queue]) this.cancel(job.id);
    if (this.current) this.cancel(this.current.id);
  }

  /** Stops everything: queued jobs end cancelled, a running worker is cancelled and then terminated. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const job of this.queue.splice(0)) this.finish(job, 'cancelled');
    const running = this.current;
    if (running?.worker) {
      Atomics.store(new Int32Array(running.cancelFlag), 0, 1);
      const worker = running.worker;
      const timer = setTimeout(() => void worker.terminate(), 5000);
      await running.settled;
      clearTimeout(timer);
    }
  }

  private get(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new AttestError('NOT_FOUND', 'There is no import job with that id.');
    return job;
  }

  private pump(): void {
    if (this.current || this.disposed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    try {
      this.launch(job);
    } catch (err) {
      job.failure = err instanceof AttestError ? err : new AttestError('INTERNAL', 'The import could not be started.');
      this.finish(job, 'failed');
    }
  }

  private launch(job: Job): void {
    const vault = this.opts.openKey();
    const key = new Uint8Array(vault.key);
    vault.key.fill(0); // the worker gets its own copy (zeroed there once its connection is open)
    const data: IngestWorkerData = {
      files: job.files,
      options: job.options,
      dbFile: vault.file,
      key,
      cipher: vault.cipher,
      vaultId: vault.vaultId,
      operator: this.opts.operator,
      cancelFlag: job.cancelFlag,
      ...(this.opts.nativeBinding ? { nativeBinding: this.opts.nativeBinding } : {}),
      ...(this.opts.progressIntervalMs !== undefined ? { progressIntervalMs: this.opts.progressIntervalMs } : {}),
    };
    let worker: Worker;
    try {
      // A bounded old generation makes V8 collect instead of growing: measured peak RSS for a 1 GB import
      // drops from ~400 MB to under 200 MB at the same speed. 512 MB still leaves room for the largest
      // record a splitter passes (16 MiB) to be parsed.
      worker = new Worker(this.opts.workerScript, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    } finally {
      key.fill(0); // workerData was copied into the worker when it was created
    }
    job.worker = worker;
    let ended = false;
    worker.on('message', (message: IngestWorkerMessage) => {
      switch (message.type) {
        case 'progress':
          this.opts.onProgress({ jobId: job.id, fileIndex: message.fileIndex, fileCount: message.fileCount, ...message.progress });
          break;
        case 'file':
          job.summaries[message.fileIndex] = message.summary;
          break;
        case 'done':
          job.stats = message.stats;
          ended = true;
          break;
        case 'error':
          job.failure = new AttestError(isKnownCode(message.code) ? message.code : 'INTERNAL', message.message);
          break;
      }
    });
    worker.on('error', () => {
      job.failure ??= new AttestError('INTERNAL', 'The import worker stopped unexpectedly.');
    });
    worker.on('exit', (code) => {
      if (!ended) job.failure ??= new AttestError('INTERNAL', `The import worker stopped unexpectedly (exit code ${code}).`);
      const cancelled = Atomics.load(new Int32Array(job.cancelFlag), 0) === 1;
      this.finish(job, job.failure ? 'failed' : cancelled ? 'cancelled' : job.summaries.some((s) => s?.error) ? 'failed' : 'done');
    });
  }

  private finish(job: Job, state: IngestJobState): void {
    if (job.state !== 'running') return;
    // Every file gets a summary, even those the job never reached.
    for (let i = 0; i < job.files.length; i++) {
      if (job.summaries[i]) continue;
      const file = job.files[i]!;
      job.summaries[i] = {
        file: file.name ?? baseName(file.path),
        sha256: '',
        format: null,
        bytes: 0,
        read: 0,
        imported: 0,
        duplicates: 0,
        quarantined: 0,
        batchId: null,
        cancelled: state === 'cancelled',
        error: state === 'cancelled' ? null : 'Not imported: the import stopped before this file.',
      };
    }
    job.state = state;
    job.worker = null;
    if (this.current === job) this.current = null;
    job.settle();
    queueMicrotask(() => this.pump());
  }
}

function baseName(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] ?? p;
}

function isKnownCode(code: string): code is 'IO' | 'AUTH_FAILED' | 'TAMPERED' | 'LOCKED' | 'INTERNAL' | 'UNSUPPORTED_FORMAT' {
  return ['IO', 'AUTH_FAILED', 'TAMPERED', 'LOCKED', 'INTERNAL', 'UNSUPPORTED_FORMAT'].includes(code);
}
