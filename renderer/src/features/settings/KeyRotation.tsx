import { useState } from 'react';
import { useApi } from '../../app/api-context';
import { useVault } from '../../app/vault-context';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorText, Notice } from '../../components/ErrorText';
import { ProgressBar } from '../../components/ProgressBar';
import { useAction } from '../../components/use-action';
import { PasswordField } from '../../components/PasswordField';

/** Rotating the key re-encrypts every page: confirm first, and show that work is going on. */
export function KeyRotation() {
  const api = useApi();
  const { status, setStatus } = useVault();
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  // The new key is wrapped again for every method, so a vault with a passphrase needs it typed here.
  const needsPassphrase = status.methods.includes('passphrase');

  return (
    <Card title="Encryption key">
      <p className="muted">
        Rotating the key re-encrypts the whole vault with a new random key and re-wraps it for every unlock method. Older backups keep
        their old key.
      </p>
      {action.busy && <ProgressBar value={null} label="Rotating the encryption key" />}
      <ErrorText>{action.error}</ErrorText>
      {action.done && <Notice tone="success">{action.done}</Notice>}
      <div>
        <button type="button" className="btn" disabled={action.busy} onClick={() => setConfirming(true)}>
          {action.busy ? 'Rotating…' : 'Rotate key…'}
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Rotate the encryption key?"
        confirmLabel="Rotate key"
        onCancel={() => {
          setConfirming(false);
          setPassphrase('');
        }}
        onConfirm={() => {
          setConfirming(false);
          const typed = passphrase;
          setPassphrase('');
          void action.run(async () => {
            setStatus(await api.call('vault:rekey', needsPassphrase ? { passphrase: typed } : {}));
            return 'The vault now uses a new encryption key.';
          });
        }}
      >
        <p>Attest will re-encrypt every page of the vault. This can take a few minutes for a large vault; keep Attest open until it finishes.</p>
        {needsPassphrase && (
          <PasswordField
            id="rekey-passphrase"
            label="Your passphrase (the new key is wrapped with it)"
            autoComplete="current-password"
            value={passphrase}
            onChange={setPassphrase}
          />
        )}
      </ConfirmDialog>
    </Card>
  );
}
