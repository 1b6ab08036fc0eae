import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { VaultStatus } from '../../../../shared/contract';
import { isApiError, errorMessage } from '../../api';
import { useApi } from '../../app/api-context';
import { ErrorText, Notice } from '../../components/ErrorText';
import { formatDuration } from '../../components/format';
import { CreateVaultForm } from './CreateVaultForm';
import { useCountdown } from './use-countdown';

type Mode = 'keychain' | 'passphrase';

function initialMode(status: VaultStatus): Mode {
  const keychainUsable = status.methods.includes('keychain') && status.keychain?.available !== false;
  return keychainUsable ? 'keychain' : 'passphrase';
}

/**
 * The gate before everything else: unlock with the OS keychain or the passphrase, or create the vault when
 * there is none. Failures say plainly what happened and what to do next.
 */
export function UnlockScreen({
  status,
  notice,
  onUnlocked,
}: {
  status: VaultStatus;
  /** A line explaining why the vault is locked (e.g. after inactivity). */
  notice?: string | null;
  onUnlocked: (status: VaultStatus) => void;
}) {
  const api = useApi();
  const [creating, setCreating] = useState(!status.exists);
  const [mode, setMode] = useState<Mode>(() => initialMode(status));
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Once the keychain said no, stop offering it on this screen.
  const [keychainFailed, setKeychainFailed] = useState(false);
  const [retryUntil, setRetryUntil] = useState<number | null>(status.retryAfterMs > 0 ? Date.now() + status.retryAfterMs : null);
  const waitMs = useCountdown(retryUntil);
  const throttled = waitMs > 0;
  const passphraseRef = useRef<HTMLInputElement>(null);
  const hasPassphrase = status.methods.includes('passphrase') || status.methods.length === 0;
  const hasKeychain = status.methods.includes('keychain');

  useEffect(() => {
    if (mode === 'passphrase' && !creating) passphraseRef.current?.focus();
  }, [mode, creating]);

  if (creating) {
    return (
      <UnlockFrame title="Create your vault" path={status.path}>
        <CreateVaultForm status={status} onCreated={onUnlocked} />
      </UnlockFrame>
    );
  }

  async function attempt(request: { method: 'keychain' } | { method: 'passphrase'; passphrase: string }) {
    setBusy(true);
    setError(null);
    try {
      const next = await api.call('vault:unlock', request);
      setPassphrase('');
      onUnlocked(next);
    } catch (err) {
      if (!isApiError(err)) {
        setError(errorMessage(err));
      } else if (err.code === 'NO_VAULT') {
        setCreating(true);
      } else if (err.code === 'THROTTLED') {
        const retryAfterMs = Number(err.details?.retryAfterMs ?? 0);
        setRetryUntil(Date.now() + (Number.isFinite(retryAfterMs) ? retryAfterMs : 0));
        setError(err.message);
      } else if (err.code === 'KEYCHAIN_UNAVAILABLE') {
        setKeychainFailed(true);
        setError(
          hasPassphrase
            ? `${err.message} Unlock with your passphrase instead.`
            : `${err.message} This vault has no passphrase, so it can only be opened where the keychain works.`,
        );
        if (hasPassphrase) setMode('passphrase');
      } else {
        if (err.code === 'AUTH_FAILED') setPassphrase('');
        setError(err.message);
      }
      if (request.method === 'passphrase') passphraseRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  function submitPassphrase(e: FormEvent) {
    e.preventDefault();
    if (!passphrase || throttled || busy) return;
    void attempt({ method: 'passphrase', passphrase });
  }

  return (
    <UnlockFrame title="Unlock your vault" path={status.path}>
      {notice && <Notice tone="warning">{notice}</Notice>}
      <ErrorText id="unlock-error">{error}</ErrorText>
      {throttled && (
        <p className="countdown" role="timer" aria-live="polite">
          You can try again in <strong>{formatDuration(waitMs)}</strong>.
        </p>
      )}

      {mode === 'keychain' ? (
        <div className="stack">
          <button type="button" className="btn btn-primary btn-block" autoFocus disabled={busy || throttled} onClick={() => void attempt({ method: 'keychain' })}>
            {busy ? 'Unlocking…' : 'Unlock with the OS keychain'}
          </button>
          {hasPassphrase && (
            <button type="button" className="btn btn-link" onClick={() => setMode('passphrase')}>
              Use the passphrase instead
            </button>
          )}
        </div>
      ) : (
        <form className="stack" onSubmit={submitPassphrase} aria-label="Unlock with passphrase">
          <div className="field">
            <label htmlFor="unlock-passphrase" className="field-label">
              Passphrase
            </label>
            <input
              id="unlock-passphrase"
              ref={passphraseRef}
              className="input"
              type="password"
              autoComplete="current-password"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'unlock-error' : undefined}
              disabled={!hasPassphrase}
            />
          </div>
          <button type="submit" className="btn btn-primary btn-block" disabled={busy || throttled || !passphrase || !hasPassphrase}>
            {busy ? 'Unlocking…' : 'Unlock'}
          </button>
          {hasKeychain && status.keychain?.available !== false && !keychainFailed && (
            <button type="button" className="btn btn-link" onClick={() => setMode('keychain')}>
              Use the OS keychain instead
            </button>
          )}
        </form>
      )}
    </UnlockFrame>
  );
}

function UnlockFrame({ title, path, children }: { title: string; path: string; children: ReactNode }) {
  return (
    <main className="unlock-page">
      <div className="unlock-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Attest</span>
        </div>
        <h1 className="unlock-title">{title}</h1>
        <p className="unlock-path">
          Vault location <span className="mono">{path}</span>
        </p>
        {children}
      </div>
    </main>
  );
}
