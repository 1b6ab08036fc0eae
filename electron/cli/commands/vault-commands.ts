import type { Command } from 'commander';
import { AttestError } from '../../../shared/result';
import { CipherSchema, PassphraseSchema, UnlockMethodSchema } from '../../../shared/contract/vault';
import { VaultService } from '../../core/vault/vault-service';
import { Credentials, canPrompt } from '../credentials';
import { Output } from '../output';
import { resolveVaultDir, unlock, withHost, withUnlockedVault } from '../session';
import { formatStatus } from './format-status';
import { runCommand } from '../run-command';

interface VaultOpts {
  vault?: string;
  json?: boolean;
  passphraseStdin?: boolean;
  newPassphraseStdin?: boolean;
}

const checkPassphrase = (value: string) => {
  const r = PassphraseSchema.safeParse(value);
  if (!r.success) throw new AttestError('BAD_REQUEST', `Passphrase refused: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return value;
};

export function registerVaultCommands(program: Command): void {
  program
    .command('init')
    .description('create a new encrypted vault')
    .option('--vault <dir>', 'vault directory (default: your data directory, or ATTEST_VAULT_DIR)')
    .option('--keychain', 'let the OS keychain unlock it')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--cipher <cipher>', 'page cipher: aegis (default) or sqlcipher')
    .option('--json', 'machine-readable output')
    .action((opts: VaultOpts & { keychain?: boolean; cipher?: string }) =>
      runCommand(opts, async (out: Output) => {
        const cipher = opts.cipher === undefined ? undefined : CipherSchema.parse(opts.cipher);
        const creds = new Credentials({ passphraseStdin: opts.passphraseStdin ?? false, creating: true });
        const wantsPassphrase = creds.hasNewPassphraseSource() || !opts.keychain;
        if (!opts.keychain && !creds.hasNewPassphraseSource() && !canPrompt()) {
          throw new AttestError('BAD_REQUEST', 'Choose how to unlock the vault: --passphrase-stdin, ATTEST_PASSPHRASE, --keychain, or run on a terminal.');
        }
        const passphrase = wantsPassphrase ? checkPassphrase(await creds.next('Choose a passphrase: ')) : undefined;
        await withHost(opts, async (host) => {
          const status = await host.vault.create({
            keychain: Boolean(opts.keychain),
            ...(passphrase !== undefined ? { passphrase } : {}),
            ...(cipher ? { cipher } : {}),
          });
          out.result(status, ['Vault created.', ...formatStatus(status)]);
        });
      }),
    );

  program
    .command('status')
    .description('show the vault and whether it unlocks (uses the keychain or a passphrase when one is available)')
    .option('--vault <dir>', 'vault directory')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'machine-readable output')
    .action((opts: VaultOpts) =>
      runCommand(opts, async (out) => {
        await withHost(opts, async (host) => {
          const before = await host.vault.status({ probeKeychain: true });
          if (!before.exists) {
            throw new AttestError('NO_VAULT', `There is no vault at ${before.path}. Create one with: attest init --vault ${before.path}`);
          }
          const creds = new Credentials({ passphraseStdin: opts.passphraseStdin ?? false });
          const canTry =
            (await creds.given()) !== null || before.methods.includes('keychain') || canPrompt();
          if (!canTry) {
            out.result(before, [...formatStatus(before), 'Give a passphrase (--passphrase-stdin or ATTEST_PASSPHRASE) to check that it unlocks.']);
            return;
          }
          const unlocked = await unlock(host, creds);
          const report = { ...unlocked, keychain: before.keychain };
          out.result(report, [...formatStatus(report), 'The vault unlocked with the given credentials and was locked again.']);
        });
      }),
    );

  const methods = program.command('unlock-methods').description('add or remove a way to unlock the vault');
  for (const action of ['add', 'remove'] as const) {
    methods
      .command(`${action} <method>`)
      .description(`${action} an unlock method: keychain or passphrase`)
      .option('--vault <dir>', 'vault directory')
      .option('--passphrase-stdin', 'read the current passphrase from standard input (line 1)')
      .option('--new-passphrase-stdin', 'read the new passphrase from standard input (the next line)')
      .option('--json', 'machine-readable output')
      .action((method: string, opts: VaultOpts) =>
        runCommand(opts, async (out) => {
          const m = UnlockMethodSchema.safeParse(method);
          if (!m.success) throw new AttestError('BAD_REQUEST', `Unknown unlock method "${method}": use keychain or passphrase.`);
          await withUnlockedVault(opts, async (host, creds) => {
            let status;
            if (action === 'remove') status = await host.vault.removeMethod(m.data);
            else if (m.data === 'keychain') status = await host.vault.addKeychain();
            else status = await host.vault.addPassphrase(checkPassphrase(await creds.next()));
            out.result(status, [`Unlock method ${m.data} ${action === 'add' ? 'added' : 'removed'}.`, ...formatStatus(status)]);
          });
        }),
      );
  }

  program
    .command('passphrase')
    .description('manage the passphrase')
    .command('change')
    .description('change the passphrase (the database key stays; its wrapped copy is replaced atomically)')
    .option('--vault <dir>', 'vault directory')
    .option('--passphrase-stdin', 'read the current passphrase from standard input (line 1)')
    .option('--new-passphrase-stdin', 'read the new passphrase from standard input (the next line)')
    .option('--json', 'machine-readable output')
    .action((opts: VaultOpts) =>
      runCommand(opts, async (out) => {
        const creds = new Credentials({ passphraseStdin: opts.passphraseStdin ?? false, newPassphraseStdin: opts.newPassphraseStdin ?? false });
        const current = await creds.current('Current passphrase: ');
        if (current === null) {
          throw new AttestError('BAD_REQUEST', 'The current passphrase is needed: --passphrase-stdin, ATTEST_PASSPHRASE, or a terminal.');
        }
        const next = checkPassphrase(await creds.next());
        await withHost(opts, async (host) => {
          await host.vault.unlockWithPassphrase(current);
          const status = await host.vault.changePassphrase(current, next);
          out.result(status, ['Passphrase changed.', ...formatStatus(status)]);
        });
      }),
    );

  program
    .command('rekey')
    .description('rotate the database key (PRAGMA rekey) and re-wrap it for every unlock method')
    .option('--vault <dir>', 'vault directory')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'machine-readable output')
    .action((opts: VaultOpts) =>
      runCommand(opts, async (out) => {
        await withUnlockedVault(opts, async (host, creds) => {
          // Re-wrapping for every method needs the passphrase too when the keychain unlocked the vault.
          const unlockedWith = await creds.given();
          const needsPassphrase = (await host.vault.status()).methods.includes('passphrase');
          const passphrase = unlockedWith ?? (needsPassphrase ? await creds.current('Passphrase (to re-wrap the new key): ') : null);
          const status = await host.vault.rekey(passphrase !== null ? { passphrase } : {});
          out.result(status, ['Database key rotated.', ...formatStatus(status)]);
        });
      }),
    );

  program
    .command('auto-lock')
    .description('set the idle period after which the app locks the vault')
    .requiredOption('--minutes <n>', 'minutes of inactivity (1-1440)')
    .option('--vault <dir>', 'vault directory')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'machine-readable output')
    .action((opts: VaultOpts & { minutes: string }) =>
      runCommand(opts, async (out) => {
        const minutes = Number(opts.minutes);
        if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) throw new AttestError('BAD_REQUEST', '--minutes takes a whole number from 1 to 1440.');
        await withUnlockedVault(opts, async (host) => {
          const status = await host.vault.setAutoLock(minutes);
          out.result(status, [`Auto-lock set to ${minutes} min.`]);
        });
      }),
    );

  program
    .command('backup')
    .description('write an online backup that stays encrypted')
    .requiredOption('--out <file>', 'backup file to create')
    .option('--vault <dir>', 'vault directory')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'machine-readable output')
    .action((opts: VaultOpts & { out: string }) =>
      runCommand(opts, async (out) => {
        await withUnlockedVault(opts, async (host) => {
          const result = await host.vault.backup(opts.out);
          out.result(result, [`Backup written: ${result.file}`, `Size        ${result.bytes} bytes`, `SHA-256     ${result.sha256}`]);
        });
      }),
    );

  program
    .command('restore <file>')
    .description('restore a backup into a new vault directory (it stays encrypted; unlock it as before)')
    .requiredOption('--vault <dir>', 'new vault directory (must not exist or be empty)')
    .option('--json', 'machine-readable output')
    .action((file: string, opts: VaultOpts) =>
      runCommand(opts, async (out) => {
        const result = await VaultService.restore(file, resolveVaultDir(opts.vault));
        out.result(result, [`Vault ${result.vaultId} restored into ${result.dir}.`, 'Unlock it with the same passphrase or keychain as the original.']);
      }),
    );
}
