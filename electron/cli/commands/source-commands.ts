import fs from 'node:fs';
import { fourDigitYear } from '../parse-filters';
import type { Command } from 'commander';
import type { Source } from '../../../shared/contract/events';
import { AttestError } from '../../../shared/result';
import { listSources, saveSource, type SourceInput } from '../../core/sources/source-store';
import { runCommand } from '../run-command';
import { withUnlockedVault } from '../session';
import { sanitize } from '../terminal-text';

interface CommonOpts {
  vault?: string;
  passphraseStdin?: boolean;
  json?: boolean;
}

interface SetOpts extends CommonOpts {
  jwks?: string | false;
  issuer?: string | false;
  signedOnly?: boolean;
  csvMap?: string[] | false;
  syslogYear?: string;
  syslogZone?: string;
}

/**
 * `attest sources list|set`: the per-source settings (JWKS and issuer for signed input, signed-only, a
 * CSV column mapping, syslog year and zone) that Settings → Sources edits in the app. Without them a
 * CLI-only operator could not import a CSV whose columns need a mapping, nor register a signer.
 */
export function registerSourceCommands(program: Command): void {
  const sources = program.command('sources').description('list and change the settings of import sources');
  sources
    .command('list')
    .description('list the sources and their settings')
    .option('--vault <dir>', 'vault directory')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'machine-readable output (one JSON array)')
    .action((opts: CommonOpts) =>
      runCommand(opts, async (out) => {
        await withUnlockedVault(opts, async (host) => {
          const list = listSources(host.vault.database());
          out.result(list, list.length === 0 ? 'No sources yet: one is recorded with the first import under its name.' : list.map(describeSource));
        });
      }),
    );
  sources
    .command('set <name>')
    .description('create a source or change its settings (options not given keep their value)')
    .option('--vault <dir>', 'vault directory')
    .option('--jwks <file>', 'public keys (a JWKS JSON file) that verify signed input from this source')
    .option('--no-jwks', 'remove the stored keys')
    .option('--issuer <iss>', 'the issuer (iss) signed input must name')
    .option('--no-issuer', 'remove the expected issuer')
    .option('--signed-only', 'refuse unsigned input from this source')
    .option('--no-signed-only', 'accept unsigned input again')
    .option('--csv-map <field=column...>', 'CSV mapping: canonical field = CSV column (repeat; replaces the stored mapping)')
    .option('--no-csv-map', 'remove the mapping (columns are then detected automatically)')
    .option('--syslog-year <year>', 'year of timestamps that carry none ("none" to clear)')
    .option('--syslog-zone <zone>', 'time zone of timestamps that carry none: UTC, +02:00, Europe/Paris ("none" to clear)')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'machine-readable output')
    .action((name: string, opts: SetOpts) =>
      runCommand(opts, async (out) => {
        refuseContradictions(process.argv);
        const input = sourceInput(name, opts);
        await withUnlockedVault(opts, async (host) => {
          const saved = saveSource(host.vault.database(), input);
          out.result(saved, [`Source saved.`, describeSource(saved)]);
        });
      }),
    );
}

/** Options given both ways (--jwks F --no-jwks): commander keeps the last, which would drop keys silently. */
export function refuseContradictions(argv: readonly string[]): void {
  for (const option of ['jwks', 'issuer', 'signed-only', 'csv-map']) {
    const given = argv.some((a) => a === `--${option}` || a.startsWith(`--${option}=`));
    if (given && argv.includes(`--no-${option}`)) {
      throw new AttestError('BAD_REQUEST', `--${option} and --no-${option} contradict each other: give one.`);
    }
  }
}

/** The options as a save request; bad values are usage errors before the vault is opened. */
export function sourceInput(name: string, opts: SetOpts): SourceInput {
  const input: SourceInput = { name };
  if (opts.jwks === false) input.jwksJson = '';
  else if (typeof opts.jwks === 'string') input.jwksJson = readJwksFile(opts.jwks);
  if (opts.issuer === false) input.issuer = null;
  else if (typeof opts.issuer === 'string') input.issuer = opts.issuer;
  if (opts.signedOnly !== undefined) input.signedOnly = opts.signedOnly;
  if (opts.csvMap === false) input.csvMapping = null;
  else if (Array.isArray(opts.csvMap)) input.csvMapping = csvMapping(opts.csvMap);
  if (opts.syslogYear !== undefined) {
    const year = opts.syslogYear === 'none' ? null : fourDigitYear(opts.syslogYear);
    if (year !== null && !(Number.isInteger(year) && year >= 1970 && year <= 9999)) {
      throw new AttestError('BAD_REQUEST', `--syslog-year takes a year between 1970 and 9999, or "none" (got "${sanitize(opts.syslogYear)}").`);
    }
    input.syslogYear = year;
  }
  if (opts.syslogZone !== undefined) input.syslogZone = opts.syslogZone === 'none' ? null : opts.syslogZone;
  return input;
}

function csvMapping(pairs: string[]): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const field = eq < 0 ? '' : pair.slice(0, eq).trim();
    const column = eq < 0 ? '' : pair.slice(eq + 1).trim();
    if (!field || !column) throw new AttestError('BAD_REQUEST', `--csv-map takes field=column, as in time=Timestamp (got "${sanitize(pair)}").`);
    if (field in mapping) throw new AttestError('BAD_REQUEST', `--csv-map names the field "${sanitize(field)}" twice.`);
    mapping[field] = column;
  }
  return mapping;
}

function readJwksFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AttestError('BAD_REQUEST', `Could not read the JWKS file ${sanitize(file)}: ${code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a folder' : 'it could not be read'}.`);
  }
}

function describeSource(s: Source): string {
  const parts = [
    s.signedOnly ? 'signed only' : null,
    s.hasJwks ? `keys ${s.jwksKeyIds.length > 0 ? s.jwksKeyIds.join(', ') : '(no kid)'}` : null,
    s.issuer ? `issuer ${s.issuer}` : null,
    s.csvMapping ? `CSV ${Object.entries(s.csvMapping).map(([field, column]) => `${field}=${column}`).join(', ')}` : null,
    s.syslogYear !== null ? `syslog year ${s.syslogYear}` : null,
    s.syslogZone !== null ? `syslog zone ${s.syslogZone}` : null,
  ].filter((p): p is string => p !== null);
  return sanitize(`${s.name}: ${parts.length > 0 ? parts.join('; ') : 'default settings'}`);
}
