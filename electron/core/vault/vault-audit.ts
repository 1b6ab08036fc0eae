import type { UnlockMethod } from '../../../shared/contract/vault';
import type { CanonicalEvent } from '../../../shared/domain/canonical-event';
import { STATUS } from '../../../shared/domain/canonical-event';

/**
 * Audit events for what an operator does to the vault, written into the vault's own event log. OCSF:
 * unlock/lock are Authentication (3002: 1 Logon, 2 Logoff); everything else is Entity Management
 * (3004: 1 Create, 3 Update, 4 Delete, 99 Other). Messages describe the operation, never a key or passphrase.
 */
export type VaultOperation =
  | 'create'
  | 'unlock'
  | 'unlock-failed'
  | 'lock'
  | 'method-added'
  | 'method-removed'
  | 'passphrase-changed'
  | 'rekey'
  | 'rekey-interrupted'
  | 'auto-lock-set'
  | 'kdf-upgraded'
  | 'backup'
  | 'restore';

const AUTHENTICATION = 3002;
const ENTITY_MANAGEMENT = 3004;

const shape: Record<VaultOperation, { class_uid: number; activity_id: number; activity_name: string; operation: string }> = {
  create: { class_uid: ENTITY_MANAGEMENT, activity_id: 1, activity_name: 'Create', operation: 'vault.create' },
  unlock: { class_uid: AUTHENTICATION, activity_id: 1, activity_name: 'Logon', operation: 'vault.unlock' },
  'unlock-failed': { class_uid: AUTHENTICATION, activity_id: 1, activity_name: 'Logon', operation: 'vault.unlock' },
  lock: { class_uid: AUTHENTICATION, activity_id: 2, activity_name: 'Logoff', operation: 'vault.lock' },
  'method-added': { class_uid: ENTITY_MANAGEMENT, activity_id: 1, activity_name: 'Create', operation: 'vault.addMethod' },
  'method-removed': { class_uid: ENTITY_MANAGEMENT, activity_id: 4, activity_name: 'Delete', operation: 'vault.removeMethod' },
  'passphrase-changed': { class_uid: ENTITY_MANAGEMENT, activity_id: 3, activity_name: 'Update', operation: 'vault.changePassphrase' },
  rekey: { class_uid: ENTITY_MANAGEMENT, activity_id: 3, activity_name: 'Update', operation: 'vault.rekey' },
  'rekey-interrupted': { class_uid: ENTITY_MANAGEMENT, activity_id: 3, activity_name: 'Update', operation: 'vault.rekey' },
  'auto-lock-set': { class_uid: ENTITY_MANAGEMENT, activity_id: 3, activity_name: 'Update', operation: 'vault.setAutoLock' },
  'kdf-upgraded': { class_uid: ENTITY_MANAGEMENT, activity_id: 3, activity_name: 'Update', operation: 'vault.kdfUpgrade' },
  backup: { class_uid: ENTITY_MANAGEMENT, activity_id: 99, activity_name: 'Other', operation: 'vault.backup' },
  restore: { class_uid: ENTITY_MANAGEMENT, activity_id: 99, activity_name: 'Other', operation: 'vault.restore' },
};

export interface VaultAuditInput {
  operation: VaultOperation;
  time: number;
  operator: string;
  vaultId: string;
  message: string;
  failed?: boolean;
  method?: UnlockMethod;
  /** Extra non-secret facts (sizes, hashes, minutes). */
  details?: Record<string, string | number | boolean>;
}

export function vaultAuditEvent(input: VaultAuditInput): CanonicalEvent {
  const s = shape[input.operation];
  const failed = input.failed === true || input.operation === 'unlock-failed';
  const event: CanonicalEvent = {
    class_uid: s.class_uid,
    class_name: s.class_uid === AUTHENTICATION ? 'Authentication' : 'Entity Management',
    activity_id: s.activity_id,
    activity_name: s.activity_name,
    time: input.time,
    status_id: failed ? STATUS.failure : STATUS.success,
    status: failed ? 'Failure' : 'Success',
    severity_id: failed ? 3 : 1, // Medium for a failed unlock, Informational otherwise
    message: input.message,
    actor: { user: { name: input.operator } },
    api: { operation: s.operation, service: { name: 'attest-vault' } },
    resources: [{ type: 'vault', uid: input.vaultId, name: 'Attest vault' }],
    metadata: { product: { name: 'Attest', vendor_name: 'Attest' }, version: '1.1.0' },
  };
  const unmapped: Record<string, unknown> = { ...(input.details ?? {}) };
  if (input.method) unmapped.unlock_method = input.method;
  if (Object.keys(unmapped).length) event.unmapped = unmapped;
  return event;
}
