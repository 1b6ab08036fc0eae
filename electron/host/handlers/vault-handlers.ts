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
export function vaultHandlers(vault: VaultService): { [C in VaultChannel]: Handler<C> } {
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
    'vault:backup': (req) => vault.backup(req.outFile),
    'vault:touch': () => {
      vault.touch();
      return { done: true as const };
    },
  };
}
