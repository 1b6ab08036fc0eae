import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Db } from '../../../../electron/core/vault/database';
import { migrate } from '../../../../electron/core/vault/migrator';
import type { CanonicalEvent } from '../../../../shared/domain/canonical-event';
import type { NewEvent } from '../../../../electron/core/chain/event-log';
import { openWithEventsTable } from './stored-events';

/** An encrypted, migrated vault database in a temp dir, with a random key. */
export interface TestVault {
  dir: string;
  file: string;
  key: Buffer;
  db: Db;
  reopen(): Db;
  cleanup(): void;
}

export function createTestVault(): TestVault {
  const dir = mkdtempSync(path.join(tmpdir(), 'attest-chain-'));
  const file = path.join(dir, 'vault.sqlite');
  const key = randomBytes(32);
  const vault: TestVault = {
    dir,
    file,
    key,
    db: openWithEventsTable(file, key, 'aegis'),
    reopen() {
      vault.db = openWithEventsTable(file, key, 'aegis');
      return vault.db;
    },
    cleanup() {
      if (vault.db.open) vault.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  migrate(vault.db);
  return vault;
}

export const BASE_TIME = Date.UTC(2026, 0, 5, 9, 0, 0);

export interface EventSpec {
  time?: number;
  user?: string;
  uid?: string;
  email?: string;
  ip?: string;
  statusId?: number;
  classUid?: number;
  message?: string;
}

export function makeEvent(i: number, spec: EventSpec = {}): CanonicalEvent {
  return {
    class_uid: spec.classUid ?? 3002,
    activity_id: 1,
    time: spec.time ?? BASE_TIME + i * 1000,
    status_id: spec.statusId ?? 1,
    severity_id: 1,
    message: spec.message ?? `login ${i}`,
    actor: { user: { name: spec.user ?? `user${i % 5}`, ...(spec.uid ? { uid: spec.uid } : {}), ...(spec.email ? { email_addr: spec.email } : {}) } },
    src_endpoint: { ip: spec.ip ?? `10.0.0.${i % 7}` },
    api: { operation: 'Login' },
    metadata: { product: { name: 'Test', vendor_name: 'Attest tests' }, uid: `e-${i}` },
  };
}

export function newEvent(i: number, sourceId: number, batchId: number | null, spec: EventSpec = {}): NewEvent {
  const event = makeEvent(i, spec);
  return { event, raw: Buffer.from(`raw line ${i} \u00e9`, 'utf8'), fp: BigInt(i) * 0x9e3779b97f4a7c15n, sourceId, batchId };
}
