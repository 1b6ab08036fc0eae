import { useState, type FormEvent } from 'react';
import type { UnlockMethod } from '../../../../shared/contract';
import { useApi } from '../../app/api-context';
import { useVault } from '../../app/vault-context';
import { Card } from '../../components/Card';
import { ErrorText, Notice } from '../../components/ErrorText';
import { useAction } from '../../components/use-action';
import { PasswordField } from '../../components/PasswordField';

const label: Record<UnlockMethod, string> = { keychain: 'OS keychain', passphrase: 'Passphrase' };

/** Add or remove ways to unlock. The last remaining method cannot be removed. */
export function UnlockMethods() {
  const api = useApi();
  const { status, setStatus } = useVault();
  const action = useAction();
  const [newPassphrase, setNewPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const keychainAvailable = status.keychain?.available !== false;

  async function addPassphrase(e: FormEvent) {
    e.preventDefault();
    if (newPassphrase.length < 8) return setFormError('Use at least 8 characters for the passphrase.');
    if (newPassphrase !== confirm) return setFormError('The two passphrases do not match.');
    setFormError(null);
    const ok = await action.run(async () => {
      setStatus(await api.call('vault:addMethod', { method: 'passphrase', passphrase: newPassphrase }));
      return 'Passphrase added.';
    });
    if (ok) {
      setNewPassphrase('');
      setConfirm('');
    }
  }

  return (
    <Card title="Unlock methods">
      <ul className="method-list">
        {status.methods.map((m) => (
          <li key={m} className="method-row">
            <span>{label[m]}</span>
            <button
              type="button"
              className="btn btn-small"
              disabled={action.busy || status.methods.length < 2}
              title={status.methods.length < 2 ? 'The vault needs at least one way to unlock.' : undefined}
              onClick={() =>
                void action.run(async () => {
                  setStatus(await api.call('vault:removeMethod', { method: m }));
                  return `${label[m]} removed.`;
                })
              }
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      {!status.methods.includes('keychain') && (
        <div className="row">
          <button
            type="button"
            className="btn"
            disabled={action.busy || !keychainAvailable}
            onClick={() =>
              void action.run(async () => {
                setStatus(await api.call('vault:addMethod', { method: 'keychain' }));
                return 'The OS keychain can now unlock this vault.';
              })
            }
          >
            Add OS keychain
          </button>
          {!keychainAvailable && <span className="muted">The OS keychain is unavailable{status.keychain?.reason ? `: ${status.keychain.reason}` : '.'}</span>}
        </div>
      )}
      {!status.methods.includes('passphrase') && (
        <form className="stack narrow" onSubmit={addPassphrase} aria-label="Add a passphrase">
          <PasswordField id="add-passphrase" label="New passphrase" autoComplete="new-password" value={newPassphrase} onChange={setNewPassphrase} />
          <PasswordField id="add-passphrase-confirm" label="Confirm passphrase" autoComplete="new-password" value={confirm} onChange={setConfirm} />
          <div>
            <button type="submit" className="btn" disabled={action.busy}>
              Add passphrase
            </button>
          </div>
        </form>
      )}
      <ErrorText>{formError ?? action.error}</ErrorText>
      {action.done && <Notice tone="success">{action.done}</Notice>}
    </Card>
  );
}
