import { AttestError } from '../../../shared/result';
import type { Db } from './database';
import { migrations as allMigrations, LATEST_SCHEMA_VERSION } from './migrations';
import type { Migration } from './migrations/migration';

/**
 * Brings the schema up to date in one transaction, tracked by PRAGMA user_version. A vault written by a
 * newer Attest is refused rather than guessed at.
 */
export function migrate(db: Db, migrations: readonly Migration[] = allMigrations): { from: number; to: number } {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > latest) {
    throw new AttestError(
      'VAULT_TOO_NEW',
      `This vault was written by a newer version of Attest (schema ${current}; this version knows up to ${latest}). Update Attest to open it.`,
    );
  }
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return { from: current, to: current };
  db.transaction(() => {
    for (const m of pending) {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
  return { from: current, to: pending[pending.length - 1]!.version };
}

export { LATEST_SCHEMA_VERSION };
