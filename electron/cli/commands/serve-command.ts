import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AttestError } from '../../../shared/result';
import { PassphraseSchema } from '../../../shared/contract/vault';
import { startWebHost } from '../../host/web-host';
import { uploadDirFor } from '../../host/create-host';
import { Credentials, canPrompt } from '../credentials';
import { openHost, rendererDir, resolveVaultDir } from '../session';
import { runCommand } from '../run-command';

interface ServeOpts {
  vault?: string;
  port?: string;
  json?: boolean;
}

/**
 * `attest serve`: the same registry behind a loopback-only HTTP + WebSocket server. The first stdout line
 * is the URL with the per-launch token in its fragment (a contract scripts rely on).
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve Attest to a browser on 127.0.0.1 (prints the URL with its access token first)')
    .option('--vault <dir>', 'vault directory (default: your data directory, or ATTEST_VAULT_DIR)')
    .option('--port <n>', 'port on 127.0.0.1 (default: a random free port)')
    .option('--json', 'machine-readable output (the URL line stays first)')
    .action((opts: ServeOpts) =>
      runCommand(opts, async () => {
        const port = opts.port === undefined ? 0 : Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AttestError('BAD_REQUEST', '--port takes a number from 0 to 65535.');
        const vaultDir = resolveVaultDir(opts.vault);
        const host = openHost(vaultDir);
        const status = await host.vault.status();
        if (!status.exists && canPrompt()) {
          // First run from a terminal (`npm run serve`): create the vault here, so the browser only unlocks.
          process.stderr.write(`No vault at ${vaultDir} yet: creating one. Choose its passphrase (at least 8 characters).\n`);
          const passphrase = await new Credentials({ creating: true }).next('Choose a passphrase: ');
          const ok = PassphraseSchema.safeParse(passphrase);
          if (!ok.success) throw new AttestError('BAD_REQUEST', `Passphrase refused: ${ok.error.issues[0]?.message ?? 'invalid'}`);
          await host.vault.create({ passphrase, keychain: false });
          await host.vault.lock('operator');
        }
        const staticDir = fs.existsSync(path.join(rendererDir, 'index.html')) ? rendererDir : null;
        const uploadDir = uploadDirFor(vaultDir);
        const web = await startWebHost({
          registry: host.registry,
          onPush: (listener) => host.onPush(listener),
          staticDir,
          port,
          operator: host.operator,
          uploadDir,
        });
        process.stdout.write(`${web.url}\n`);
        process.stderr.write(`Attest is serving vault ${vaultDir} on 127.0.0.1:${web.port} (Ctrl+C to stop).\n`);
        if (!staticDir) process.stderr.write('The renderer is not built (run npm run build): only the API is served.\n');
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await web.close();
        await host.dispose();
      }),
    );
}
