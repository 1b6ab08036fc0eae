import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { AttestError } from '../../shared/result';

// Files a browser hands to the engine: the raw request body is streamed into a fresh file in the upload
// directory (random name, 0600), and ingest:start is then called with that path. The browser's file name
// only contributes a sanitised extension (format detection may look at it), never a path component.

export interface UploadedFile {
  path: string;
  /** The browser's file name, trimmed to something printable (for display only). */
  name: string;
  bytes: number;
}

const MAX_NAME = 200;

/** Printable, single-line, bounded version of a client-supplied file name. */
export function displayName(raw: string | null): string {
  const cleaned = (raw ?? '')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '')
    .split(/[\\/]/)
    .pop()!
    .trim()
    .slice(0, MAX_NAME);
  return cleaned || 'upload';
}

/** `.csv`, `.log`, `.json`... from a client name, or '' when it has none or an odd one. */
export function safeExtension(name: string): string {
  const ext = path.extname(name).toLowerCase();
  return /^\.[a-z0-9]{1,10}$/.test(ext) ? ext : '';
}

export class UploadStore {
  private readonly files = new Set<string>();
  private readonly active = new Set<IncomingMessage>();
  private ready: Promise<void> | null = null;
  private closed = false;
  private readonly dir: string;

  constructor(
    dir: string,
    private readonly maxBytes: number,
    private readonly idleMs = 60_000,
  ) {
    this.dir = path.resolve(dir);
  }

  /** Creates the directory 0700 (or tightens an existing one) on first use. */
  private ensureDir(): Promise<void> {
    this.ready ??= (async () => {
      await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
      const stat = await fs.promises.lstat(this.dir);
      if (!stat.isDirectory()) throw new AttestError('IO', 'The upload area of the vault is not a directory.');
      await fs.promises.chmod(this.dir, 0o700);
    })();
    return this.ready;
  }

  /**
   * Removes uploads a previous run left behind (a killed `attest serve`): they are plaintext copies of
   * logs whose evidence belongs in the encrypted vault, and nothing will ever import them.
   */
  async purgeLeftovers(): Promise<number> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.dir);
    } catch {
      return 0; // no upload area yet
    }
    const stale = names.filter((n) => n.startsWith('upload-') && !this.files.has(path.join(this.dir, n)));
    await Promise.all(stale.map((n) => fs.promises.rm(path.join(this.dir, n), { force: true }).catch(() => undefined)));
    return stale.length;
  }

  /** Whether a path was produced by this store (and so is inside its directory). */
  owns(file: string): boolean {
    return this.files.has(path.resolve(file));
  }

  /** Streams the request body into a new file; rejects with an AttestError and leaves nothing behind. */
  async save(req: IncomingMessage, clientName: string | null): Promise<UploadedFile> {
    if (this.closed) throw new AttestError('CANCELLED', 'The web host is shutting down.');
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > this.maxBytes) throw tooLarge(this.maxBytes);
    try {
      await this.ensureDir();
    } catch (err) {
      if (err instanceof AttestError) throw err;
      throw new AttestError('IO', 'The upload area of the vault could not be prepared.');
    }
    const name = displayName(clientName);
    const file = path.join(this.dir, `upload-${crypto.randomBytes(16).toString('hex')}${safeExtension(name)}`);
    this.files.add(file);
    this.active.add(req);
    try {
      const bytes = await this.writeBody(req, file);
      return { path: file, name, bytes };
    } catch (err) {
      this.files.delete(file);
      await fs.promises.rm(file, { force: true }).catch(() => undefined);
      throw err;
    } finally {
      this.active.delete(req);
    }
  }

  private writeBody(req: IncomingMessage, file: string): Promise<number> {
    return new Promise((resolve, reject) => {
      // 'wx': never follow or reuse an existing file at that name.
      const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
      let bytes = 0;
      let settled = false;
      const timer = setTimeout(() => fail(new AttestError('BAD_REQUEST', 'The upload stalled; it was not stored.')), this.idleMs);
      const fail = (err: AttestError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.unpipe(out);
        // The file is opened asynchronously: rejecting at once let the caller remove it before the open
        // created it, leaving an empty upload behind (seen when a 413 came fast on a busy machine).
        out.once('close', () => reject(err));
        out.destroy();
      };
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        timer.refresh();
        if (bytes > this.maxBytes) fail(tooLarge(this.maxBytes));
      });
      const interrupted = () => fail(new AttestError('CANCELLED', 'The upload was interrupted; it was not stored.'));
      req.on('aborted', interrupted);
      req.on('error', interrupted);
      req.on('close', () => {
        if (!req.complete) interrupted();
      });
      out.on('error', (err: NodeJS.ErrnoException) =>
        fail(new AttestError('IO', err.code === 'ENOSPC' ? 'The disk is full; the upload was not stored.' : 'The upload could not be written to disk.')),
      );
      out.on('finish', () => {
        if (settled) return;
        if (this.closed) return fail(new AttestError('CANCELLED', 'The web host is shutting down.'));
        settled = true;
        clearTimeout(timer);
        resolve(bytes);
      });
      req.pipe(out);
    });
  }

  /** Stops accepting uploads, interrupts running ones and removes every file this store wrote. */
  async close(): Promise<void> {
    this.closed = true;
    for (const req of this.active) req.destroy();
    const files = [...this.files];
    this.files.clear();
    await Promise.all(files.map((f) => fs.promises.rm(f, { force: true }).catch(() => undefined)));
  }
}

/** Answered with HTTP 413; the envelope code stays BAD_REQUEST. */
export class UploadTooLargeError extends AttestError {}

function tooLarge(maxBytes: number): AttestError {
  return new UploadTooLargeError('BAD_REQUEST', `The file is larger than the upload limit of ${formatBytes(maxBytes)}.`);
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 === 0 ? 0 : 1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}
