import path from 'node:path';
import type { Push } from '../../shared/contract';
import { VaultService } from '../core/vault/vault-service';
import type { KeyStore } from '../core/vault/keystore';
import { IngestJobs } from '../core/ingest/ingest-jobs';
import { Registry, type HandlerTable } from './registry';
import { PushHub } from './push-hub';
import { vaultHandlers } from './handlers/vault-handlers';
import { eventHandlers } from './handlers/event-handlers';

export interface AppHostOptions {
  vaultDir: string;
  keyStore: KeyStore;
  operator: string;
  /** Folder holding the bundled worker scripts (ingest-worker.js, verify-worker.js). */
  workerDir: string;
  /** Electron-ABI build of better-sqlite3 (the Electron main process passes it; Node uses node_modules). */
  sqliteNativeBinding?: string;
  logError?: (channel: string, err: unknown) => void;
}

/** The engine behind every transport: one vault, one ingestion job manager, one registry. */
export interface AppHost {
  registry: Registry;
  vault: VaultService;
  ingest: IngestJobs;
  workerDir: string;
  operator: string;
  onPush(listener: (msg: Push) => void): () => void;
  dispose(): Promise<void>;
}

/** Browser uploads (web host) land here, inside the vault directory, and are removed once imported. */
export const uploadDirFor = (vaultDir: string): string => path.join(vaultDir, 'uploads');

export function createAppHost(opts: AppHostOptions): AppHost {
  const hub = new PushHub();
  const vault = new VaultService({
    dir: opts.vaultDir,
    keyStore: opts.keyStore,
    operator: opts.operator,
    ...(opts.sqliteNativeBinding ? { nativeBinding: opts.sqliteNativeBinding } : {}),
    onLocked: (reason) => {
      ingest.cancelAll();
      hub.publish({ type: 'vault:locked', reason });
    },
  });
  const ingest = new IngestJobs({
    workerScript: path.join(opts.workerDir, 'ingest-worker.js'),
    openKey: () => {
      const { key, cipher, file } = vault.databaseKey();
      return { key, cipher, file, vaultId: vault.vaultId() ?? '' };
    },
    operator: opts.operator,
    onProgress: (progress) => hub.publish({ type: 'ingest:progress', progress }),
    ...(opts.sqliteNativeBinding ? { nativeBinding: opts.sqliteNativeBinding } : {}),
  });
  const handlers: HandlerTable = {
    ...vaultHandlers(vault, opts.vaultDir),
    ...eventHandlers({ vault, ingest, workerDir: opts.workerDir, uploadDir: uploadDirFor(opts.vaultDir) }),
  };
  const registry = new Registry(handlers, {
    isUnlocked: () => vault.isUnlocked,
    onActivity: () => vault.touch(),
    ...(opts.logError ? { logError: opts.logError } : {}),
  });
  return {
    registry,
    vault,
    ingest,
    workerDir: opts.workerDir,
    operator: opts.operator,
    onPush: (listener) => hub.subscribe(listener),
    async dispose() {
      await ingest.dispose();
      await vault.close();
    },
  };
}
