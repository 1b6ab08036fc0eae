import type { AppError, ErrorCode } from '../../../shared/result';

/** Codes the client adds for failures that never reached a handler. */
export type ClientErrorCode = 'TRANSPORT' | 'BAD_RESPONSE';
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/** A failed call, with the stable code the UI maps to a message and the operator-readable message. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: AppError['details'],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromAppError(error: AppError): ApiError {
    return new ApiError(error.code, error.message, error.details);
  }
}

export const isApiError = (value: unknown): value is ApiError => value instanceof ApiError;

/** A message safe to show for any thrown value: never a stack trace. */
export function errorMessage(value: unknown): string {
  if (value instanceof ApiError) return value.message;
  return 'Something went wrong. Try again, and restart Attest if it keeps happening.';
}
