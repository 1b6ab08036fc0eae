import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { IngestFormat } from '../../../shared/contract/events';
import { AttestError } from '../../../shared/result';
import { invalidCsvMappingEntries, missingRequiredCsvFields, suggestCsvMapping } from './csv-mapping';
import { DETECT_SAMPLE_BYTES, describeUnrecognised, detectFormat, detectJsonLayout, firstContentLine, JSON_FORMATS, type JsonLayout } from './detect';
import { detectCsvDelimiter, headerDelimiters, parseCsvRow } from './formats/csv';
import type { RawRecord } from './record';
import { CsvSplitter } from './split/csv-splitter';
import { JsonDocumentSplitter } from './split/json-splitter';
import { LineSplitter } from './split/line-splitter';
import { splitRecordBatches, stripBomSync } from './split/split-records';
import { CR, endsLinesWithCr, LF, type Splitter } from './split/splitter';
import { inflateGzipMembers, type GzipTail } from './gzip-members';

const READ_CHUNK_BYTES = 1024 * 1024;
/** Blank lines read ahead for the first record, for detection, at most. */
const MAX_BLANK_LEAD_BYTES = 16 * 1024 * 1024;

export interface OpenedInput {
  format: IngestFormat;
  gzip: boolean;
  records: AsyncIterable<RawRecord>;
  /** The same records grouped per read chunk (use one or the other, not both): fewer awaits per record. */
  recordBatches: AsyncIterable<RawRecord[]>;
  /** Compressed bytes consumed so far, for progress. */
  bytesRead(): number;
  totalBytes: number;
  /** JSON formats only: whether records are lines or elements of a document. */
  jsonLayout?: JsonLayout;
  /** CSV only: the header row's column names (the header is not a record). */
  csvHeader?: string[];
  /** CSV only: the mapping in effect (the one given, else the suggested one). */
  csvMapping?: Record<string, string>;
  /** CSV only: the delimiter found in the header. */
  csvDelimiter?: string;
  /** Set when the file's lines end with a bare CR (classic Mac OS): records were split there. */
  lineEnding?: 'cr';
  /** A gzip: bytes after its last member that are not gzip (not read as records), once read to the end. */
  gzipTrailingBytes(): number;
  /** Releases the file early when the records are not read to the end. */
  close(): Promise<void>;
}

export interface OpenInputOptions {
  format?: IngestFormat;
  csvMapping?: Record<string, string> | null;
  /** The file as the operator knows it, for messages (an upload is stored under a name of its own). */
  name?: string;
  /** The source a CSV file is recorded under, whose mapping a refusal tells the operator to save. */
  csvSourceName?: string;
  /** A gzip: the member its check found damaged (gzip-check.ts); reading stops, with an error, where it starts. */
  gzipStopAtMember?: number;
}

function ioError(name: string, e: unknown): AttestError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'ENOENT' ? 'the file does not exist'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a folder, not a file'
    : code === 'EMFILE' || code === 'ENFILE' ? 'too many files are open'
    : 'the file could not be read';
  return new AttestError('IO', `Could not read ${name}: ${why}.`);
}

/**
 * Reads a file in fresh 1 MiB buffers (records may keep views into them), counting bytes for progress.
 * The next read is already under way while the caller works on a chunk: waiting for each read in turn
 * left the importing thread idle for about a seventh of an import.
 */
async function* fileChunks(fh: FileHandle, name: string, counter: { bytes: number }): AsyncGenerator<Buffer> {
  const readNext = (): Promise<Buffer> => {
    const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    return fh.read(buf, 0, READ_CHUNK_BYTES, null).then(
      ({ bytesRead: n }) => (n === READ_CHUNK_BYTES ? buf : buf.subarray(0, n)),
      (e: unknown) => {
        throw ioError(name, e);
      },
    );
  };
  let pending: Promise<Buffer> | null = readNext();
  try {
    for (;;) {
      const chunk: Buffer = await pending;
      pending = null;
      if (chunk.length === 0) return;
      counter.bytes += chunk.length;
      pending = readNext();
      // Settled later (or never, when the caller stops here): its failure must not go unhandled.
      pending.catch(() => undefined);
      yield chunk;
    }
  } finally {
    // The handle is closed only once no read is in flight on it.
    if (pending !== null) await pending.catch(() => undefined);
    await fh.close().catch(() => undefined);
  }
}

/** The chunks read before a read error, then the error. */
async function* replayThenFail(head: Buffer[], error: unknown): AsyncGenerator<Buffer> {
  for (const chunk of head) yield chunk;
  head.length = 0;
  throw error;
}

/** Replays the chunks read for detection, then continues with the rest of the stream. */
async function* replay(head: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    for (const chunk of head) yield chunk;
    head.length = 0;
    for (;;) {
      const r = await rest.next();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await rest.return?.();
  }
}

function splitterFor(format: IngestFormat, layout: JsonLayout | undefined, csvDelimiter: string, terminator: number): Splitter {
  if (format === 'csv') return new CsvSplitter(csvDelimiter, terminator);
  if (JSON_FORMATS.has(format) && layout === 'document') return new JsonDocumentSplitter();
  return new LineSplitter(terminator);
}

/** The sample with every CR read as LF: detection then sees the lines of a bare-CR file as lines. */
function crAsLf(sample: Buffer): Buffer {
  const copy = Buffer.from(sample);
  for (let i = copy.indexOf(CR); i !== -1; i = copy.indexOf(CR, i + 1)) copy[i] = LF;
  return copy;
}

/**
 * Opens a log file for ingestion: detects gzip (magic 1f 8b) and the format (unless given), and returns
 * its records as a stream. Memory stays constant whatever the file size.
 * Throws AttestError IO (unreadable) or UNSUPPORTED_FORMAT (not recognised, unusable CSV mapping).
 */
export async function openInput(path: string, opts: OpenInputOptions): Promise<OpenedInput> {
  const name = opts.name ?? basename(path);
  let fh: FileHandle;
  let totalBytes: number;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw ioError(name, e);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    totalBytes = st.size;
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw ioError(name, e);
  }

  const counter = { bytes: 0 };
  const raw = fileChunks(fh, name, counter);
  // Peek at the first chunk for the gzip magic, then put it back.
  const first = await raw.next();
  const firstChunk = first.done ? Buffer.alloc(0) : first.value;
  const gzip = firstChunk.length >= 2 && firstChunk[0] === 0x1f && firstChunk[1] === 0x8b;
  const compressed = replay(firstChunk.length > 0 ? [firstChunk] : [], raw);
  const tail: GzipTail = { trailingBytes: 0 };
  const decoded = gzip ? inflateGzipMembers(compressed, name, tail, opts.gzipStopAtMember !== undefined ? { stopAtMember: opts.gzipStopAtMember } : {}) : compressed;

  // Read ahead far enough to detect, keeping what was read for the splitter.
  const head: Buffer[] = [];
  let headBytes = 0;
  // A gzip that breaks within the sample: what came before the break is detected and imported, and the
  // error is met again where the records reach it (it made the whole file NOT IMPORTED).
  let headError: unknown = null;
  // Blank lines before the first record do not count towards the sample (a file starting with more than
  // the sample's worth of them was refused as empty), up to MAX_BLANK_LEAD_BYTES of them.
  let contentAt = -1;
  try {
    while (contentAt === -1 ? headBytes < MAX_BLANK_LEAD_BYTES : headBytes - contentAt < DETECT_SAMPLE_BYTES) {
      const r = await decoded.next();
      if (r.done) break;
      head.push(r.value);
      headBytes += r.value.length;
      if (contentAt === -1 && firstContentLine(r.value) !== -1) contentAt = firstContentLine(Buffer.concat(head));
    }
  } catch (e) {
    await decoded.return(undefined).catch(() => undefined);
    if (!gzip || headBytes === 0) throw e;
    headError = e;
  }
  const headAll = Buffer.concat(head);
  const headSample = headAll.subarray(Math.max(0, contentAt), Math.max(0, contentAt) + DETECT_SAMPLE_BYTES);
  const crLines = endsLinesWithCr(headSample);
  const sample = crLines ? crAsLf(headSample) : headSample;
  const close = async (): Promise<void> => {
    await decoded.return(undefined).catch(() => undefined);
  };

  // A source's saved CSV mapping makes a file whose header has its columns that CSV.
  const format = opts.format ?? detectFormat(sample, { csvMapping: opts.csvMapping ?? null });
  if (format === null) {
    await close();
    throw new AttestError('UNSUPPORTED_FORMAT', `Could not recognise the format of ${name}: ${describeUnrecognised(sample)}.`);
  }

  const jsonLayout = JSON_FORMATS.has(format) ? detectJsonLayout(sample) : undefined;
  let csvDelimiter = ',';
  if (format === 'csv') {
    const body = stripBomSync(sample);
    const nl = body.indexOf(10);
    csvDelimiter = detectCsvDelimiter((nl === -1 ? body : body.subarray(0, nl)).toString('utf8'));
  }

  const batches = splitRecordBatches(headError === null ? replay(head, decoded) : replayThenFail(head, headError), splitterFor(format, jsonLayout, csvDelimiter, crLines ? CR : LF));
  let pendingBatch: RawRecord[] = [];
  const result: OpenedInput = {
    format,
    gzip,
    records: flatten(() => pendingBatch, batches),
    recordBatches: withPending(() => pendingBatch, batches),
    bytesRead: () => counter.bytes,
    totalBytes,
    gzipTrailingBytes: () => tail.trailingBytes,
    close: async () => {
      await batches.return(undefined).catch(() => undefined);
      // A reader closed before its records were read (an identical re-import) never started `batches`,
      // so returning it did not reach the file: close the stream under it too.
      await decoded.return(undefined).catch(() => undefined);
    },
  };
  if (jsonLayout !== undefined) result.jsonLayout = jsonLayout;
  if (crLines) result.lineEnding = 'cr';

  if (format === 'csv') {
    // The header is the first row; it is consumed here, not a record.
    let header: RawRecord | undefined;
    while (header === undefined) {
      const r = await batches.next();
      if (r.done) break;
      header = r.value[0];
      pendingBatch = r.value.slice(1);
    }
    const names = header && !header.error ? parseCsvRow(header.raw.toString('utf8').replace(/^\uFEFF/, ''), csvDelimiter) : 'no header';
    if (typeof names === 'string' || names.length === 0) {
      await result.close();
      throw new AttestError('UNSUPPORTED_FORMAT', `Could not read ${name} as CSV: the first row is not a usable header.`);
    }
    const mapping = opts.csvMapping ?? suggestCsvMapping(names);
    const problems = invalidCsvMappingEntries(mapping, names);
    const missing = missingRequiredCsvFields(mapping, names);
    if (missing.length > 0 || (opts.csvMapping && problems.length > 0)) {
      await result.close();
      // A saved mapping says what it lacks in this header; without one, which required field no column fills.
      const why = opts.csvMapping && problems.length > 0 ? problems.join('; ') : `no column is mapped to the required field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
      const source = opts.csvSourceName ?? 'csv';
      const command = `attest sources set ${shellWord(source)} --csv-map ${missing[0] ?? 'time'}=COLUMN`;
      const advice = opts.csvMapping ? `Change the CSV mapping saved for source “${source}”` : `Save a CSV mapping for source “${source}”`;
      throw new AttestError(
        'UNSUPPORTED_FORMAT',
        `Could not import ${name} as CSV: ${why}. ${advice}, the source it is recorded under (Settings › Sources; on the command line: ${command} …), then import the file again (columns: ${names.slice(0, 30).join(', ').slice(0, 400)}).`,
        {
          missing: missing.join(','),
          csvMappingSource: source,
        },
      );
    }
    result.csvHeader = names;
    result.csvMapping = mapping;
    result.csvDelimiter = csvDelimiter;
    headerDelimiters.set(names, csvDelimiter);
  }
  return result;
}

/** A source name as one shell word: as it is when plain, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w.@-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

async function* flatten(pending: () => RawRecord[], batches: AsyncGenerator<RawRecord[]>): AsyncGenerator<RawRecord> {
  for (const r of pending()) yield r;
  for await (const batch of batches) for (const r of batch) yield r;
}

async function* withPending(pending: () => RawRecord[], batches: AsyncGenerator<RawRecord[]>): AsyncGenerator<RawRecord[]> {
  const p = pending();
  if (p.length > 0) yield p;
  yield* batches;
}

export { suggestCsvMapping };
