import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Push, VaultStatus } from '../../../shared/contract';
import { errorMessage } from '../api';
import { ErrorText } from '../components/ErrorText';
import { UnlockScreen } from '../features/vault/UnlockScreen';
import { useApi } from './api-context';
import { Shell } from './Shell';
import { VaultContext, type VaultState } from './vault-context';
import { IngestProvider } from '../features/events/ingest-context';

function lockedNotice(reason: Extract<Push, { type: 'vault:locked' }>['reason'], minutes: number | undefined): string {
  if (reason === 'idle') {
    return minutes ? `Attest locked the vault after ${minutes} minutes of inactivity.` : 'Attest locked the vault after a period of inactivity.';
  }
  return 'The vault was locked.';
}

/** Loads the vault status, shows the unlock gate while locked, and the shell once unlocked. */
export function App() {
  const api = useApi();
  const [status, setStatus] = useState<VaultStatus | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const statusRef = useRef(status);
  statusRef.current = status;

  const refresh = useCallback(async () => {
    try {
      setStatus(await api.call('vault:status', { probeKeychain: true }));
      setLoadError(null);
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, [api]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    const offPush = api.onPush((push) => {
      if (push.type !== 'vault:locked') return;
      setNotice(lockedNotice(push.reason, statusRef.current?.autoLockMinutes));
      setStatus((s) => (s ? { ...s, locked: true, schemaVersion: null } : s));
      void refresh();
    });
    const offLocked = api.onLocked(() => {
      setStatus((s) => (s && !s.locked ? { ...s, locked: true } : s));
      setNotice((n) => n ?? 'The vault is locked. Unlock it to continue.');
      void refresh();
    });
    return () => {
      offPush();
      offLocked();
    };
  }, [api, refresh]);

  const vault = useMemo<VaultState | null>(
    () =>
      status && {
        status,
        setStatus,
        refresh,
        lock: async () => {
          const next = await api.call('vault:lock', {});
          setNotice(null);
          setStatus(next);
        },
      },
    [api, status, refresh],
  );

  if (!status || !vault) {
    return (
      <main className="unlock-page">
        <div className="unlock-card">
          {loadError ? (
            <>
              <h1 className="unlock-title">Attest cannot start</h1>
              <ErrorText>{loadError}</ErrorText>
              <button type="button" className="btn btn-primary" onClick={() => void refresh()}>
                Try again
              </button>
            </>
          ) : (
            <p className="muted" role="status">
              Opening Attest…
            </p>
          )}
        </div>
      </main>
    );
  }

  if (!status.exists || status.locked) {
    return (
      <UnlockScreen
        key={`${status.exists}`}
        status={status}
        notice={notice}
        onUnlocked={(next) => {
          setNotice(null);
          setStatus(next);
        }}
      />
    );
  }

  return (
    <VaultContext.Provider value={vault}>
      <IngestProvider>
        <Shell />
      </IngestProvider>
    </VaultContext.Provider>
  );
}
