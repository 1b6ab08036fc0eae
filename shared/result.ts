import { z } from 'zod';

/** Error codes every transport can return. Stable: the CLI maps them to exit codes, the UI to messages. */
export const errorCodes = [
  'BAD_REQUEST', // payload failed its schema
  'UNKNOWN_CHANNEL',
  'UNAUTHORIZED', // transport-level: token / sender frame
  'NO_VAULT', // no vault at that location
  'VAULT_EXISTS',
  'LOCKED', // the call needs an unlocked vault
  'AUTH_FAILED', // wrong passphrase or keychain secret does not open the vault
  'THROTTLED', // too many failed unlocks: wait retryAfterMs
  'KEYCHAIN_UNAVAILABLE',
  'VAULT_TOO_NEW', // written by a newer Attest
  'TAMPERED', // page authentication or chain check failed
  'NOT_FOUND',
  'CONFLICT',
  'UNSUPPORTED_FORMAT',
  'CANCELLED',
  'IO', // disk full, permission denied, missing file
  'INTERNAL',
] as const;
export const ErrorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const AppErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** Optional machine-readable details (e.g. retryAfterMs for THROTTLED). Never secrets. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type AppError = z.infer<typeof AppErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message: string, details?: AppError['details']): Result<T> => ({
  ok: false,
  error: details ? { code, message, details } : { code, message },
});

/**
 * An error thrown inside core or host code that carries a stable code and an operator-readable message.
 * The registry turns it into `{ ok: false, error }`; anything else becomes INTERNAL with a generic message.
 */
export class AttestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: AppError['details'],
  ) {
    super(message);
    this.name = 'AttestError';
  }
}
