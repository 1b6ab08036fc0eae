import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppError, ErrorCode, Result } from '../../shared/result';

// Small HTTP helpers of the web host: bounded body reading and the JSON result envelope.

/** HTTP status for each error code. The body always carries the `{ ok: false, error }` envelope too. */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNKNOWN_CHANNEL: 404,
  UNAUTHORIZED: 401,
  NO_VAULT: 409,
  VAULT_EXISTS: 409,
  LOCKED: 423,
  AUTH_FAILED: 403,
  THROTTLED: 429,
  KEYCHAIN_UNAVAILABLE: 503,
  VAULT_TOO_NEW: 409,
  TAMPERED: 409,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNSUPPORTED_FORMAT: 422,
  CANCELLED: 409,
  IO: 500,
  INTERNAL: 500,
};

export function statusForError(error: AppError): number {
  return STATUS_BY_CODE[error.code] ?? 500;
}

/** Writes a result envelope as JSON: 200 for ok, the code's status otherwise (or `status` when given). */
export function sendResult(
  res: ServerResponse,
  result: Result<unknown>,
  headers: Record<string, string>,
  status?: number,
): void {
  if (res.headersSent || res.destroyed) return;
  let body: string;
  let code = status ?? (result.ok ? 200 : statusForError(result.error));
  try {
    body = JSON.stringify(result);
  } catch {
    // A value JSON cannot carry (BigInt, cycles) is a bug in a handler; never send half an answer.
    code = 500;
    body = JSON.stringify(internalError());
  }
  const extra: Record<string, string> = {};
  if (!result.ok && result.error.code === 'THROTTLED') {
    const retryAfterMs = Number(result.error.details?.retryAfterMs ?? 0);
    if (Number.isFinite(retryAfterMs) && retryAfterMs > 0) extra['Retry-After'] = String(Math.ceil(retryAfterMs / 1000));
  }
  res.writeHead(code, {
    ...headers,
    ...extra,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

export const failure = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });

export const internalError = (): Result<never> =>
  failure('INTERNAL', 'Something went wrong inside Attest; the operation was not completed.');

/** Why a body could not be read; the caller turns it into an answer. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a whole request body, refusing more than `limit` bytes (by Content-Length up front, by counting
 * otherwise) and a client that stops sending for `idleMs`.
 */
export function readBody(req: IncomingMessage, limit: number, idleMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyError(413, 'BAD_REQUEST', `The request body is larger than ${limit} bytes.`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const timer = setTimeout(() => finish(new BodyError(408, 'BAD_REQUEST', 'The request body arrived too slowly.')), idleMs);
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish(new BodyError(413, 'BAD_REQUEST', `The request body is larger than ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
      timer.refresh();
    };
    const onEnd = () => finish(null);
    const onError = () => finish(new BodyError(400, 'BAD_REQUEST', 'The request body could not be read.'));
    const onAborted = () => finish(new BodyError(400, 'BAD_REQUEST', 'The request was aborted.'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** How much of a refused body is read and thrown away so the client sees our answer instead of a reset. */
const DISCARD_LIMIT = 1024 * 1024;
const DISCARD_MS = 2_000;

/**
 * For a request whose body we refuse (401, 413, 405...): after the answer is flushed, read and discard a
 * bounded rest of the body, then cut the connection. Closing at once with unread bytes makes the kernel
 * send a reset that can destroy the answer before the client reads it; reading a multi-GiB body into the
 * void is no option either.
 */
export function discardRestOfBody(req: IncomingMessage, res: ServerResponse): void {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > DISCARD_LIMIT && !res.headersSent) res.setHeader('Connection', 'close');
  res.once('finish', () => {
    if (req.complete) return;
    let discarded = 0;
    const cut = () => {
      clearTimeout(timer);
      req.socket.destroy();
    };
    const timer = setTimeout(cut, DISCARD_MS);
    timer.unref();
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DISCARD_LIMIT) cut();
    });
    req.once('end', () => clearTimeout(timer));
    req.once('close', () => clearTimeout(timer));
    req.resume();
  });
}
