import type { VaultStatus } from '../../../../shared/contract';
import { Card } from '../../components/Card';
import { formatAge, formatDateTime } from '../../components/format';

const methodLabel = { keychain: 'OS keychain', passphrase: 'Passphrase' } as const;
const cipherLabel = { aegis: 'AEGIS-256 (page encryption)', sqlcipher: 'SQLCipher v4 (AES-256, page encryption)' } as const;

/** What the vault is: read-only facts from vault:status. */
export function VaultDetails({ status }: { status: VaultStatus }) {
  const keyCreated = status.keyCreatedAt ? Date.parse(status.keyCreatedAt) : null;
  return (
    <Card title="Vault">
      <dl className="facts">
        <div>
          <dt>Location</dt>
          <dd className="mono break">{status.path}</dd>
        </div>
        <div>
          <dt>Vault ID</dt>
          <dd className="mono break">{status.vaultId ?? '—'}</dd>
        </div>
        <div>
          <dt>Unlock methods</dt>
          <dd>{status.methods.length ? status.methods.map((m) => methodLabel[m]).join(', ') : 'None'}</dd>
        </div>
        <div>
          <dt>Encryption key</dt>
          <dd>
            {keyCreated !== null && status.keyCreatedAt ? (
              <>
                {formatAge(status.keyCreatedAt)}{' '}
                <span className="muted">
                  (since{' '}
                  <time dateTime={status.keyCreatedAt} title={status.keyCreatedAt}>
                    {formatDateTime(keyCreated)}
                  </time>
                  )
                </span>
              </>
            ) : (
              '—'
            )}
          </dd>
        </div>
        <div>
          <dt>Schema version</dt>
          <dd>
            {status.schemaVersion ?? '—'}
            <span className="muted"> (this version of Attest writes {status.appSchemaVersion})</span>
          </dd>
        </div>
        <div>
          <dt>Cipher</dt>
          <dd>{status.cipher ? cipherLabel[status.cipher] : '—'}</dd>
        </div>
        <div>
          <dt>Auto-lock</dt>
          <dd>
            After {status.autoLockMinutes} {status.autoLockMinutes === 1 ? 'minute' : 'minutes'} without activity
          </dd>
        </div>
      </dl>
    </Card>
  );
}
