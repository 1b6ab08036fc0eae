import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { verifyChain } from '../../core/chain/verify';
import { exportLatestCheckpoint } from '../../core/chain/checkpoint';
import { AttestError } from '../../../shared/result';
import { Credentials } from '../credentials';
import { fmtInt } from '../output';
import { openHost, resolveVaultDir, unlock, workerDir } from '../session';
import { runCommand } from '../run-command';
import { EXIT } from '../exit-codes';

interface CommonOpts {
  vault?: string;
  json?: boolean;
  passphraseStdin?: boolean;
}

export function registerChainCommands(program: Command): void {
  program
    .command('verify')
    .description('re-compute the whole hash chain and every signed checkpoint; report the first break')
    .option('--vault <dir>', 'vault directory')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'machine-readable output')
    .action((opts: CommonOpts) =>
      runCommand(opts, async (out) => {
        const host = openHost(resolveVaultDir(opts.vault));
        try {
          await unlock(host, new Credentials({ passphraseStdin: opts.passphraseStdin ?? false }));
          const { key, cipher, file } = host.vault.databaseKey();
          const report = await verifyChain({ db: host.vault.database(), file, key, cipher }, { workerScript: path.join(workerDir, 'verify-worker.js') });
          out.result(
            report,
            report.ok
              ? `Chain verified: ${fmtInt(report.count)} events, head seq ${report.headSeq}, head hash ${report.headHash}, ${report.checkpoints} signed checkpoint(s) valid (${report.ms} ms).`
              : `TAMPERED: ${report.problem ?? 'the chain does not verify'}${report.firstBadSeq !== null ? ` (first bad sequence number: ${report.firstBadSeq})` : ''}`,
          );
          if (!report.ok) process.exitCode = EXIT.failure;
        } finally {
          await host.dispose();
        }
      }),
    );

  program
    .command('checkpoint')
    .description('signed checkpoints of the chain head')
    .command('export')
    .description('write the latest signed checkpoint (compact JWS) and the public key that verifies it')
    .option('--vault <dir>', 'vault directory')
    .option('--out <file>', 'write to this file (default: standard output)')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'machine-readable output')
    .action((opts: CommonOpts & { out?: string }) =>
      runCommand(opts, async (out) => {
        const host = openHost(resolveVaultDir(opts.vault));
        try {
          await unlock(host, new Credentials({ passphraseStdin: opts.passphraseStdin ?? false }));
          const checkpoint = await exportLatestCheckpoint(host.vault.database());
          if (!checkpoint) throw new AttestError('NOT_FOUND', 'No checkpoint yet: one is signed after each import.');
          const text = `${JSON.stringify(checkpoint, null, 2)}\n`;
          if (opts.out) {
            fs.writeFileSync(opts.out, text, { flag: 'wx' });
            out.result({ file: opts.out, ...checkpoint }, `Checkpoint at seq ${String((checkpoint.payload as { seq?: number }).seq ?? '?')} written to ${opts.out}.`);
          } else {
            process.stdout.write(text);
          }
        } finally {
          await host.dispose();
        }
      }),
    );
}
