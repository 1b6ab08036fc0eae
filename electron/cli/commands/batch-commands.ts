import type { Command } from 'commander';
import { seqRangeText } from '../../../shared/domain/batch-seq-range';
import { settingTimeText, yearChangesText } from '../../../shared/domain/batch-settings';
import type { Batch } from '../../../shared/contract/events';
import { AttestError } from '../../../shared/result';
import { findBatch, listBatches } from '../../core/ingest/batches';
import { fitToWidth } from '../display-width';
import { fmtInt } from '../output';
import { parseLimit } from '../parse-filters';
import { runCommand } from '../run-command';
import { withUnlockedVault } from '../session';
import { writeOut } from '../stdout-state';
import { sanitize } from '../terminal-text';

interface CommonOpts {
  vault?: string;
  passphraseStdin?: boolean;
  json?: boolean;
}

/** Batches read per query. */
const PAGE = 500;

/**
 * `attest batches list|show`: the import history. Every import, refused and cancelled ones included, is a
 * batch: file, size, SHA-256, format, the settings it ran with, operator, counts and the events it added.
 */
export function registerBatchCommands(program: Command): void {
  const batches = program.command('batches').description('the import history: every file imported, with its counts and settings');
  batches
    .command('list')
    .description('list imports, most recent first')
    .option('--vault <dir>', 'vault directory')
    .option('--limit <n>', 'at most this many (0 = all)', '50')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'JSON Lines, one batch per line')
    .action((opts: CommonOpts & { limit: string }) =>
      runCommand(opts, async (out) => {
        let remaining = parseLimit(opts.limit);
        await withUnlockedVault(opts, async (host) => {
          const db = host.vault.database();
          let beforeId: number | undefined;
          let shown = 0;
          let total = 0;
          while (remaining > 0) {
            const wanted = Math.min(PAGE, remaining);
            const page = listBatches(db, { limit: wanted, ...(beforeId !== undefined ? { beforeId } : {}) });
            total = page.total;
            const text = page.rows.map((b) => (out.json ? `${JSON.stringify(b)}\n` : `${batchLine(b)}\n`)).join('');
            if (!(await writeOut(text))) return;
            shown += page.rows.length;
            remaining -= page.rows.length;
            const last = page.rows[page.rows.length - 1];
            if (last === undefined || page.rows.length < wanted) break;
            beforeId = last.id;
          }
          if (!out.json) {
            process.stderr.write(total === 0 ? 'No imports yet.\n' : `${fmtInt(shown)} of ${fmtInt(total)} import(s)${shown < total ? ' (--limit 0 for all)' : ''}; details: attest batches show N\n`);
          }
        });
      }),
    );
  batches
    .command('show <id>')
    .description('one import in full: file, SHA-256, settings, notes, counts and the events it added')
    .option('--vault <dir>', 'vault directory')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'machine-readable output')
    .action((id: string, opts: CommonOpts) =>
      runCommand(opts, async (out) => {
        if (!/^\d+$/.test(id) || !Number.isSafeInteger(Number(id))) throw new AttestError('BAD_REQUEST', `A batch is named by its number, not "${sanitize(id)}".`);
        await withUnlockedVault(opts, async (host) => {
          const batch = findBatch(host.vault.database(), Number(id));
          if (batch === null) throw new AttestError('NOT_FOUND', `There is no batch ${id} in this vault (attest batches list shows them).`);
          out.result(batch, batchDetail(batch));
        });
      }),
    );
}

const STATE_TEXT: Record<Batch['state'], string> = {
  running: 'RUNNING',
  done: 'done',
  cancelled: 'CANCELLED',
  failed: 'FAILED',
  interrupted: 'INTERRUPTED',
  refused: 'REFUSED',
};

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** One line per batch, in columns (the file name last, as it has no fixed width): number, start, state, format, source, operator, counts. */
export function batchLine(b: Batch): string {
  const counts = `read ${fmtInt(b.read)} = ${fmtInt(b.imported)} + ${fmtInt(b.duplicates)} dup + ${fmtInt(b.quarantined)} quar`;
  const cell = (text: string, width: number) => fitToWidth(sanitize(text), width);
  return `#${String(b.id).padEnd(5)} ${when(b.startedAt)}  ${STATE_TEXT[b.state].padEnd(11)} ${cell(b.format, 10)} ${cell(b.source, 16)} ${cell(b.operator, 12)} ${counts.padEnd(44)} ${sanitize(b.file)}`;
}

/** Everything recorded about one batch, as lines. */
export function batchDetail(b: Batch): string[] {
  const lines = [
    `Batch ${b.id}: ${STATE_TEXT[b.state]}`,
    `  file        ${b.file}`,
    `  size        ${fmtInt(b.bytes)} bytes`,
    `  sha256      ${b.sha256 || '(not computed: the file could not be read to the end)'}`,
    `  format      ${b.format}`,
    `  source      ${b.source}`,
    `  operator    ${b.operator}`,
    `  started     ${when(b.startedAt)}`,
    `  finished    ${b.finishedAt !== null ? when(b.finishedAt) : '—'}`,
    `  counts      read ${fmtInt(b.read)} = imported ${fmtInt(b.imported)} + duplicates ${fmtInt(b.duplicates)} + quarantined ${fmtInt(b.quarantined)}`,
    `  events      ${b.firstSeq !== null && b.lastSeq !== null ? `${seqRangeText(b.firstSeq, b.lastSeq, b.imported)} (attest events --batch ${b.id})` : 'none added'}`,
  ];
  if (b.identicalTo !== null) lines.push(`  same bytes  as batch ${b.identicalTo}: nothing was read again`);
  if (b.error !== null) lines.push(`  error       ${b.error}`);
  if (b.quarantined > 0) lines.push(`  quarantine  attest quarantine list --batch ${b.id}`);
  if (b.settings.length > 0) {
    lines.push('  settings');
    for (const s of b.settings) {
      const value = parsedValue(s.value);
      const time = settingTimeText(s.name, value) ?? yearChangesText(s.name, value);
      lines.push(`    ${s.name} = ${s.value}${time !== null ? `  (${time})` : ''}`);
    }
  }
  for (const note of b.notes) lines.push(`  note        ${note}`);
  return lines.map(sanitize);
}

/** A recorded setting's JSON value; undefined when it does not parse. */
function parsedValue(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}
