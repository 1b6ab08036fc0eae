import { useState } from 'react';
import { useApi } from '../../app/api-context';
import { useVault } from '../../app/vault-context';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorText, Notice } from '../../components/ErrorText';
import { ProgressBar } from '../../components/ProgressBar';
import { useAction } from '../../components/use-action';

/** Rotating the key re-encrypts every page: confirm first, and show that work is going on. */
export function KeyRotation() {
  const api = useApi();
  const { setStatus } = useVault();
  const action = useAction();
  const [confirming, setConfirming] = useState(false);

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
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void action.run(async () => {
            setStatus(await api.call('vault:rekey', {}));
            return 'The vault now uses a new encryption key.';
          });
        }}
      >
        <p>Attest will re-encrypt every page of the vault. This can take a few minutes for a large vault; keep Attest open until it finishes.</p>
      </ConfirmDialog>
    </Card>
  );
}
