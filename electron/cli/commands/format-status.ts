import type { VaultStatus } from '../../../shared/contract/vault';

/** Human lines describing a vault's state. */
export function formatStatus(s: VaultStatus): string[] {
  if (!s.exists) return [`No vault at ${s.path}.`];
  const age = s.keyCreatedAt ? ` (${describeAge(Date.now() - Date.parse(s.keyCreatedAt))} old)` : '';
  const lines = [
    `Vault       ${s.path}`,
    `State       ${s.locked ? 'locked' : 'unlocked'}`,
    `Vault id    ${s.vaultId ?? '-'}`,
    `Cipher      ${s.cipher ?? '-'}`,
    `Unlock      ${s.methods.join(', ') || '-'}`,
    `Key         created ${s.keyCreatedAt ?? '-'}${age}`,
    `Schema      ${s.schemaVersion ?? '(locked)'} (this Attest writes ${s.appSchemaVersion})`,
    `Auto-lock   after ${s.autoLockMinutes} min idle`,
  ];
  if (s.failedAttempts > 0) lines.push(`Failed      ${s.failedAttempts} failed unlock attempt(s) in a row`);
  if (s.retryAfterMs > 0) lines.push(`Throttled   next attempt allowed in ${Math.ceil(s.retryAfterMs / 1000)} s`);
  if (s.keychain) lines.push(`Keychain    ${s.keychain.available ? 'available' : `unavailable: ${s.keychain.reason ?? 'unknown reason'}`}`);
  return lines;
}

function describeAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}
