import os from 'node:os';

/** The OS account running Attest: recorded as the operator on every audit event. */
export function currentOperator(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
