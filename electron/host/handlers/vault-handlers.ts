import fs from 'node:fs';
import path from 'node:path';
import { AttestError } from '../../../shared/result';
import type { VaultService } from '../../core/vault/vault-service';
import type { Handler } from '../registry';

type VaultChannel =
  | 'vault:status'
  | 'vault:create'
  | 'vault:unlock'
  | 'vault:lock'
  | 'vault:addMethod'
  | 'vault:removeMethod'
  | 'vault:changePassphrase'
  | 'vault:rekey'
  | 'vault:setAutoLock'
  | 'vault:backup'
  | 'vault:touch';

/** Vault channels: thin mapping onto the vault service. Secrets never appear in a response. */
export function vaultHandlers(vault: VaultService, vaultDir: string): { [C in VaultChannel]: Handler<C> } {
  return {
    'vault:status': (req) => vault.status({ probeKeychain: req.probeKeychain ?? false }),
    'vault:create': (req) =>
      vault.create({
        keychain: req.keychain,
        ...(req.passphrase !== undefined ? { passphrase: req.passphrase } : {}),
        ...(req.cipher !== undefined ? { cipher: req.cipher } : {}),
      }),
    'vault:unlock': (req) =>
      req.method === 'passphrase' ? vault.unlockWithPassphrase(req.passphrase) : vault.unlockWithKeychain(),
    'vault:lock': () => vault.lock('operator'),
    'vault:addMethod': (req) => (req.method === 'passphrase' ? vault.addPassphrase(req.passphrase) : vault.addKeychain()),
    'vault:removeMethod': (req) => vault.removeMethod(req.method),
    'vault:changePassphrase': (req) => vault.changePassphrase(req.current, req.next),
    'vault:rekey': (req) => vault.rekey(req.passphrase !== undefined ? { passphrase: req.passphrase } : {}),
    'vault:setAutoLock': (req) => vault.setAutoLock(req.minutes),
    'vault:backup': (req, ctx) => vault.backup(ctx.transport === 'web' ? webBackupPath(vaultDir, req.outFile) : req.outFile),
    'vault:touch': () => {
      vault.touch();
      return { done: true as const };
    },
  };
}

/**
 * Browser mode: the page (and anything that ever ran inside it) must not choose where on disk a file is
 * written. A backup requested over the web host is a bare file name, written to the `backups` folder
 * beside the vault directory.
 */
export function webBackupPath(vaultDir: string, outFile: string): string {
  const name = outFile.trim();
  if (!name || name !== path.basename(name) || name === '.' || name === '..' || /[\\/\u0000]/.test(name)) {
    throw new AttestError('BAD_REQUEST', 'In the browser, give the backup a file name only; it is written to the backups folder beside the vault.');
  }
  const folder = path.join(path.dirname(path.resolve(vaultDir)), 'backups');
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  return path.join(folder, name);
}
