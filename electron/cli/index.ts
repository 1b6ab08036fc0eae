import { Command, CommanderError } from 'commander';
import { registerVaultCommands } from './commands/vault-commands';
import { registerServeCommand } from './commands/serve-command';
import { registerIngestCommands } from './commands/ingest-commands';
import { registerChainCommands, registerSignedBatchCommands } from './commands/chain-commands';
import { registerSourceCommands } from './commands/source-commands';
import { registerBatchCommands } from './commands/batch-commands';
import { EXIT } from './exit-codes';
import { watchStdout } from './stdout-state';

/** `attest`: the command-line face of the same engine the app and the web host use. */
function buildProgram(): Command {
  const program = new Command();
  program
    .name('attest')
    .description('Attest — offline compliance workstation: encrypted evidence vault and tamper-evident audit log.')
    .version('0.1.0')
    .showHelpAfterError('(run attest --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride();
  registerVaultCommands(program);
  registerServeCommand(program);
  registerIngestCommands(program);
  registerChainCommands(program);
  registerSignedBatchCommands(program);
  registerSourceCommands(program);
  registerBatchCommands(program);
  return program;
}

async function main(): Promise<void> {
  watchStdout();
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; everything else commander rejects is a usage error.
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    process.stderr.write(`attest: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT.failure;
  }
}

void main();
