import fs from 'node:fs';
import { sanitize } from '../terminal-text';
import path from 'node:path';
import type { Command } from 'commander';
import { verifyChain } from '../../core/chain/verify';
import { exportLatestCheckpoint } from '../../core/chain/checkpoint';
import { storedEnvelope } from '../../core/chain/signed-envelope';
import { checkHeldCheckpoint } from '../../core/chain/held-checkpoint';
import { AttestError } from '../../../shared/result';
import { fmtInt } from '../output';
import { withUnlockedVault, workerDir } from '../session';
import { runCommand } from '../run-command';
import { EXIT } from '../exit-codes';
import { writeNewOutputFile } from '../output-file';

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
    .option('--checkpoint <file>', 'also prove the chain still passes through this exported checkpoint (held outside the vault)')
    .option('--chain-only', 'check the chain, checkpoints and dictionary only: skip the search index, the Overview counts and the import history (faster)')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'machine-readable output')
    .action((opts: CommonOpts & { checkpoint?: string; chainOnly?: boolean }) =>
      runCommand(opts, async (out) => {
        const held = opts.checkpoint === undefined ? undefined : readHeldCheckpoint(opts.checkpoint);
        await withUnlockedVault(opts, async (host) => {
          const { key, cipher, file } = host.vault.databaseKey();
          const db = host.vault.database();
          const heldResult = held === undefined ? null : await checkHeldCheckpoint(db, host.vault.vaultId() ?? '', held);
          const report = await verifyChain(
            { db, file, key, cipher },
            {
              workerScript: path.join(workerDir, 'verify-worker.js'),
              ...(opts.chainOnly ? { chainOnly: true } : {}),
              // Every checkpoint in the vault must also verify under the key the auditor held.
              ...(heldResult?.ok && heldResult.publicJwk ? { trustedPublicJwk: heldResult.publicJwk } : {}),
            },
          ).finally(() => key.fill(0));
          const ok = report.ok && (heldResult === null || heldResult.ok);
          const lines = [
            report.ok
              ? `Chain verified: ${fmtInt(report.count)} events, head seq ${report.headSeq}, head hash ${report.headHash}, ${report.checkpoints} signed checkpoint(s) valid${report.scope === 'full' ? '; search index, Overview counts and import history match' : ' (chain only: search index, Overview counts and import history not checked)'} (${report.ms} ms).`
              : `TAMPERED: ${report.problem ?? 'the chain does not verify'}${report.firstBadSeq !== null ? ` (first bad sequence number: ${report.firstBadSeq})` : ''}`,
          ];
          if (heldResult) {
            lines.push(
              heldResult.ok
                ? `Held checkpoint matches: the chain still passes through seq ${heldResult.seq}, head hash ${heldResult.headHash}.`
                : `HELD CHECKPOINT FAILS: ${heldResult.problem ?? 'it does not match'}`,
            );
          }
          out.result({ ...report, ok, ...(heldResult ? { heldCheckpoint: { ok: heldResult.ok, seq: heldResult.seq, problem: heldResult.problem } } : {}) }, lines);
          if (!ok) process.exitCode = EXIT.failure;
        });
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
        await withUnlockedVault(opts, async (host) => {
          const checkpoint = await exportLatestCheckpoint(host.vault.database());
          if (!checkpoint) throw new AttestError('NOT_FOUND', 'No checkpoint yet: one is signed after each import.');
          const text = `${JSON.stringify(checkpoint, null, 2)}\n`;
          if (opts.out) {
            writeNewOutputFile(opts.out, text);
            out.result({ file: opts.out, ...checkpoint }, `Checkpoint at seq ${String((checkpoint.payload as { seq?: number }).seq ?? '?')} written to ${opts.out}.`);
          } else {
            process.stdout.write(text);
          }
        });
      }),
    );
}

/** `attest signed-batch export`: the JWS of a signed batch, as received, for checking its signature elsewhere. */
export function registerSignedBatchCommands(program: Command): void {
  program
    .command('signed-batch')
    .description('signed batches (one JWS holding several records), each kept once in the vault')
    .command('export')
    .description('write the JWS of a signed batch exactly as it was received (its SHA-256 is in the event detail)')
    .argument('<sha256>', 'the JWS SHA-256 (64 hex digits) that its events name')
    .option('--vault <dir>', 'vault directory')
    .option('--out <file>', 'write to this file (default: standard output)')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'machine-readable output')
    .action((sha256: string, opts: CommonOpts & { out?: string }) =>
      runCommand(opts, async (out) => {
        if (!/^[0-9a-fA-F]{64}$/.test(sha256)) throw new AttestError('BAD_REQUEST', 'Give the JWS SHA-256 as 64 hexadecimal digits.');
        await withUnlockedVault(opts, async (host) => {
          const jws = storedEnvelope(host.vault.database(), Buffer.from(sha256, 'hex'));
          if (!jws) throw new AttestError('NOT_FOUND', `No signed batch with SHA-256 ${sha256.toLowerCase()} is in this vault.`);
          if (opts.out) {
            writeNewOutputFile(opts.out, jws);
            out.result({ file: opts.out, sha256: sha256.toLowerCase(), bytes: jws.length }, `Signed batch ${sha256.toLowerCase()} (${fmtInt(jws.length)} bytes) written to ${opts.out}.`);
          } else {
            process.stdout.write(jws);
          }
        });
      }),
    );
}

/** The exported checkpoint file as JSON; a missing or garbled file is the operator's input error. */
function readHeldCheckpoint(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : 'it could not be read';
    throw new AttestError('IO', `Could not read the checkpoint file ${sanitize(file)}: ${why}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AttestError('BAD_REQUEST', `${file} is not JSON: give the file written by attest checkpoint export.`);
  }
}
