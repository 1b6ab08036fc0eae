import { useState, type FormEvent } from 'react';
import type { VaultStatus } from '../../../../shared/contract';
import { errorMessage } from '../../api';
import { useApi } from '../../app/api-context';
import { ErrorText } from '../../components/ErrorText';
import { PasswordField } from '../../components/PasswordField';

/** Creates the vault with a passphrase, the OS keychain, or both. */
export function CreateVaultForm({ status, onCreated }: { status: VaultStatus; onCreated: (status: VaultStatus) => void }) {
  const api = useApi();
  const keychainAvailable = status.keychain?.available !== false;
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [useKeychain, setUseKeychain] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!passphrase && !useKeychain) return setError('Choose a passphrase, the OS keychain, or both.');
    if (passphrase && passphrase.length < 8) return setError('Use at least 8 characters for the passphrase.');
    if (passphrase && passphrase !== confirm) return setError('The two passphrases do not match.');
    setError(null);
    setBusy(true);
    try {
      const created = await api.call('vault:create', { keychain: useKeychain, ...(passphrase ? { passphrase } : {}) });
      onCreated(created);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="Create vault" noValidate>
      <p className="muted">There is no vault here yet. Choose how it will be unlocked. The passphrase cannot be recovered if it is lost.</p>
      <ErrorText id="create-error">{error}</ErrorText>
      <PasswordField
        id="create-passphrase"
        label="Passphrase"
        autoComplete="new-password"
        value={passphrase}
        onChange={setPassphrase}
        hint="At least 8 characters. A few unrelated words are easier to remember than symbols."
        autoFocus
      />
      <PasswordField id="create-confirm" label="Confirm passphrase" autoComplete="new-password" value={confirm} onChange={setConfirm} />
      <label className="checkbox">
        <input type="checkbox" checked={useKeychain} disabled={!keychainAvailable} onChange={(e) => setUseKeychain(e.target.checked)} />
        <span>
          Also unlock with the OS keychain
          {!keychainAvailable && <span className="field-hint"> — unavailable on this computer{status.keychain?.reason ? `: ${status.keychain.reason}` : ''}</span>}
        </span>
      </label>
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? 'Creating vault…' : 'Create vault'}
      </button>
    </form>
  );
}
