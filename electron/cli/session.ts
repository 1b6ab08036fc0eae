import path from 'node:path';
import { AttestError } from '../../shared/result';
import type { VaultStatus } from '../../shared/contract/vault';
import { createAppHost, type AppHost } from '../host/create-host';
import { currentOperator } from '../host/operator';
import { createKeytarKeyStore } from '../core/vault/keystore';
import { defaultVaultDir } from '../core/vault/default-location';
import { Credentials, canPrompt } from './credentials';

/** The bundled CLI lives in out/node: workers sit beside it, the renderer one folder over. */
export const workerDir = __dirname;
export const rendererDir = path.join(__dirname, '..', 'renderer');

export function resolveVaultDir(option: string | undefined): string {
  return path.resolve(option ?? defaultVaultDir());
}

export function openHost(vaultDir: string): AppHost {
  return createAppHost({
    vaultDir,
    keyStore: createKeytarKeyStore(),
    operator: currentOperator(),
    workerDir,
  });
}

/** The options every vault command shares (commander fills them from --vault and --passphrase-stdin). */
export interface VaultCommandOptions {
  vault?: string;
  passphraseStdin?: boolean;
  /** Only commands that take a new passphrase (unlock-methods add) have --new-passphrase-stdin. */
  newPassphraseStdin?: boolean;
}

/** Opens the vault's host for one command body and always disposes of it, whatever the body does. */
export async function withHost<T>(opts: Pick<VaultCommandOptions, 'vault'>, body: (host: AppHost) => Promise<T>): Promise<T> {
  const host = openHost(resolveVaultDir(opts.vault));
  try {
    return await body(host);
  } finally {
    await host.dispose();
  }
}

/**
 * Like withHost, with the vault unlocked first (see unlock). The body gets the same Credentials, so a
 * passphrase read from stdin for the unlock is not read twice.
 */
export async function withUnlockedVault<T>(
  opts: VaultCommandOptions,
  body: (host: AppHost, creds: Credentials) => Promise<T>,
): Promise<T> {
  return withHost(opts, async (host) => {
    const creds = new Credentials({ passphraseStdin: opts.passphraseStdin ?? false, newPassphraseStdin: opts.newPassphraseStdin ?? false });
    await unlock(host, creds);
    return body(host, creds);
  });
}

/**
 * Unlocks for a command: an explicit passphrase (stdin, then environment) wins; otherwise the OS keychain
 * when the vault has it; otherwise a prompt on a terminal.
 */
export async function unlock(host: AppHost, creds: Credentials): Promise<VaultStatus> {
  const status = await host.vault.status();
  if (!status.exists) {
    throw new AttestError('NO_VAULT', `There is no vault at ${status.path}. Create one with: attest init --vault ${status.path}`);
  }
  const given = await creds.given();
  if (given !== null) return host.vault.unlockWithPassphrase(given);
  if (status.methods.includes('keychain')) {
    try {
      return await host.vault.unlockWithKeychain();
    } catch (err) {
      if (!(status.methods.includes('passphrase') && canPrompt())) throw err;
      if (err instanceof AttestError) process.stderr.write(`${err.message}\n`);
    }
  }
  if (!status.methods.includes('passphrase')) {
    throw new AttestError('KEYCHAIN_UNAVAILABLE', 'This vault opens only with the OS keychain, which did not answer.');
  }
  const typed = await creds.current();
  if (typed === null) {
    throw new AttestError(
      'BAD_REQUEST',
      'This vault needs its passphrase: pass it with --passphrase-stdin or ATTEST_PASSPHRASE, or run on a terminal.',
    );
  }
  return host.vault.unlockWithPassphrase(typed);
}
