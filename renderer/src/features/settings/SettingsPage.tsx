import { useVault } from '../../app/vault-context';
import { AutoLock } from './AutoLock';
import { Backup } from './Backup';
import { ChangePassphrase } from './ChangePassphrase';
import { KeyRotation } from './KeyRotation';
import { SourcesSettings } from './SourcesSettings';
import { UnlockMethods } from './UnlockMethods';
import { VaultDetails } from './VaultDetails';

export function SettingsPage() {
  const { status } = useVault();
  return (
    <div className="page-grid">
      <VaultDetails status={status} />
      <div className="settings-columns">
        <UnlockMethods />
        {status.methods.includes('passphrase') && <ChangePassphrase />}
        <AutoLock />
        <KeyRotation />
        <Backup />
      </div>
      <SourcesSettings />
    </div>
  );
}
