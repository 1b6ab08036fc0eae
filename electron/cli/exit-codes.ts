import type { ErrorCode } from '../../shared/result';

/** The CLI's exit codes (a contract): 0 ok, 1 failure, 2 usage error, 3 authentication failure. */
/** interrupted: stopped by Ctrl+C (128 + SIGINT, as shells report it); what was committed stays. */
export const EXIT = { ok: 0, failure: 1, usage: 2, auth: 3, interrupted: 130 } as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'AUTH_FAILED':
    case 'THROTTLED':
    case 'KEYCHAIN_UNAVAILABLE':
    case 'UNAUTHORIZED':
      return EXIT.auth;
    case 'BAD_REQUEST':
      return EXIT.usage;
    default:
      return EXIT.failure;
  }
}
