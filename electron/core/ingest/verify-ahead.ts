import type { RawRecord } from './record';
import { MAX_JWS_BYTES, looksLikeCompactJws, type SignedBatchVerifier, type SignedOutcome } from './signed-batch';

/** Signed records verified at most this many at a time ahead of the one being stored... */
const VERIFY_AHEAD_RECORDS = 64;
/** ...and holding at most this many bytes of records (a signed line may be up to 64 MiB). */
const VERIFY_AHEAD_BYTES = 32 * 1024 * 1024;

interface VerifyingRecord {
  record: RawRecord;
  /** Null: the record is not a JWS that can be verified (a split error, too large, not compact JWS). */
  verified: Promise<SignedOutcome> | null;
}

/** The records of a signed file in order, each with its signature check started a little ahead. */
export class VerifyAhead {
  private readonly iterator: AsyncIterator<RawRecord>;
  private readonly queue: VerifyingRecord[] = [];
  private queuedBytes = 0;
  private done = false;
  /** A read error met while reading ahead: thrown once the records read before it are taken. */
  private readError: { error: unknown } | null = null;

  constructor(records: AsyncIterable<RawRecord>, private readonly verifier: SignedBatchVerifier) {
    this.iterator = records[Symbol.asyncIterator]();
  }

  async next(): Promise<VerifyingRecord | null> {
    while (!this.done && this.queue.length < VERIFY_AHEAD_RECORDS && (this.queue.length === 0 || this.queuedBytes < VERIFY_AHEAD_BYTES)) {
      let next: IteratorResult<RawRecord>;
      try {
        next = await this.iterator.next();
      } catch (error) {
        this.done = true;
        this.readError = { error };
        break;
      }
      if (next.done) {
        this.done = true;
        break;
      }
      const record = next.value;
      const verifiable = record.error === undefined && record.raw.length <= MAX_JWS_BYTES && looksLikeCompactJws(record.raw);
      const verified = verifiable ? this.verifier.verify(record.raw) : null;
      // Awaited in turn by the caller; a record left queued by a cancel must not reject unhandled.
      verified?.catch(() => undefined);
      this.queue.push({ record, verified });
      this.queuedBytes += record.raw.length;
    }
    const item = this.queue.shift();
    if (item === undefined) {
      if (this.readError !== null) throw this.readError.error;
      return null;
    }
    this.queuedBytes -= item.record.raw.length;
    return item;
  }

  /** Stops reading (a cancel or a failure before the end): the file is closed now, not when collected. */
  async close(): Promise<void> {
    this.queue.length = 0;
    if (!this.done) {
      this.done = true;
      await this.iterator.return?.();
    }
  }
}
