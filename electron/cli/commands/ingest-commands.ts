import fs from 'node:fs';
import type { Command } from 'commander';
import { AttestError } from '../../../shared/result';
import { IngestFormatSchema, type IngestSummary } from '../../../shared/contract/events';
import { queryEvents } from '../../core/events/event-query';
import { eventJsonLineReader } from '../../core/events/event-json-lines';
import { nearMatches } from '../../core/events/near-matches';
import { nearMatchesText } from '../near-matches-text';
import { listQuarantine, exportQuarantine, retryQuarantine } from '../../core/ingest/quarantine';
import { padToWidth } from '../display-width';
import { fmtInt, type Output } from '../output';
import { fourDigitYear, parseFilter, parseLimit, parseTime, type FilterFlags } from '../parse-filters';
import { withUnlockedVault } from '../session';
import { runCommand } from '../run-command';
import { EXIT } from '../exit-codes';
import { renderProgressLine } from './progress-line';
import { sanitize } from '../terminal-text';
import { stdoutClosed, writeOut } from '../stdout-state';
import { openNewOutputFile } from '../output-file';
import { isValidZone } from '../../core/ingest/parse-record';
import { checkSourceName } from '../../core/sources/source-name';
import { NO_TIME_HINT, type TimeIfMissingChoice } from '../../core/ingest/missing-time';
import type { Db } from '../../core/vault/database';

interface CommonOpts {
  vault?: string;
  json?: boolean;
  passphraseStdin?: boolean;
}

/** The most frequent reasons a batch's records are in quarantine, so the summary says why without a second command. */
function quarantineReasons(db: Db, batchId: number): Array<{ reason: string; n: number }> {
  return db
    .prepare<[number], { reason: string; n: number }>("SELECT reason, count(*) AS n FROM quarantine WHERE batch_id = ? AND status = 'open' GROUP BY reason ORDER BY n DESC, reason LIMIT 3")
    .all(batchId);
}

function printSummary(out: Output, s: IngestSummary, reasons: Array<{ reason: string; n: number }>): void {
  const record = {
    file: s.file,
    sha256: s.sha256,
    format: s.format,
    bytes: s.bytes,
    read: s.read,
    imported: s.imported,
    duplicates: s.duplicates,
    quarantined: s.quarantined,
    batchId: s.batchId,
    cancelled: s.cancelled,
    error: s.error,
    ...(s.notes ? { notes: s.notes } : {}),
    ...(s.alreadyQuarantined ? { alreadyQuarantined: s.alreadyQuarantined } : {}),
  };
  if (out.json) return out.line(record);
  if (s.error) {
    if (s.batchId === null || s.read === 0) {
      process.stdout.write(`${sanitize(s.file)}: NOT IMPORTED — ${sanitize(s.error)}\n`);
      return;
    }
    // Part of the file was read before the error (a truncated gzip): what it held is kept, and said so.
    process.stdout.write(
      `${sanitize(s.file)}: STOPPED PART-WAY — ${sanitize(s.error)}\n` +
        `  read ${fmtInt(s.read)} = imported ${fmtInt(s.imported)} + duplicates ${fmtInt(s.duplicates)} + quarantined ${fmtInt(s.quarantined)}  (batch ${s.batchId}): the records before the error are kept\n`,
    );
    return;
  }
  process.stdout.write(
    `${sanitize(s.file)}: ${s.format ?? 'no format (nothing to read)'}, ${fmtInt(s.bytes)} bytes, sha256 ${s.sha256}\n` +
      `  read ${fmtInt(s.read)} = imported ${fmtInt(s.imported)} + duplicates ${fmtInt(s.duplicates)} + quarantined ${fmtInt(s.quarantined)}` +
      `${s.batchId !== null ? `  (batch ${s.batchId})` : ''}${s.cancelled ? '  CANCELLED: the counts are what was committed' : ''}\n`,
  );
  for (const note of s.notes ?? []) process.stdout.write(`  note: ${sanitize(note)}\n`);
  if (s.alreadyQuarantined) {
    // Not events: records an earlier import of this data could not read either, still in quarantine.
    const all = s.alreadyQuarantined === s.duplicates && s.imported === 0;
    process.stdout.write(
      `  ${all ? 'every duplicate is' : `${fmtInt(s.alreadyQuarantined)} of the duplicates ${s.alreadyQuarantined === 1 ? 'is' : 'are'}`} a record already in quarantine from an earlier import (not in the event log): see ${s.alreadyQuarantined === 1 ? 'it' : 'them'} with: attest quarantine list\n`,
    );
  }
  if (s.quarantined > 0 && s.batchId !== null) {
    const all = s.quarantined === s.read;
    const untimed = reasons.some((r) => r.reason.includes(NO_TIME_HINT));
    const advice = untimed ? 'records without a time of their own' : s.format === 'csv' ? "check the source's CSV column mapping" : 'is this the right format? (--format)';
    process.stdout.write(
      `  ${all ? `every record was quarantined: ${advice}` : `${fmtInt(s.quarantined)} record(s) quarantined`}; see them with: attest quarantine list --batch ${s.batchId}\n`,
    );
    for (const r of reasons) process.stdout.write(`  quarantined ${fmtInt(r.n)}: ${sanitize(r.reason.slice(0, 200))}\n`);
    if (untimed) process.stdout.write(`  to import those with the time of this import: attest quarantine retry --batch ${s.batchId} --time-if-missing import\n`);
  }
}

export function registerIngestCommands(program: Command): void {
  program
    .command('ingest <files...>')
    .description('import audit log files (OCSF, CloudTrail, Okta, ECS, CEF, syslog, CSV; gzip too) into the vault')
    .option('--vault <dir>', 'vault directory')
    .option('--format <format>', `force a format: ${IngestFormatSchema.options.join(', ')}`)
    .option('--source <name>', 'source name the events are recorded under (settings per source: JWKS, CSV mapping, syslog year/zone)')
    .option('--syslog-year <year>', 'year of the first timestamp that carries none (RFC 3164 syslog, some CEF), counted on at each New Year in the file; default: the source\'s setting, else inferred from the file\'s dates (the latest within the past year)')
    .option('--syslog-zone <zone>', 'time zone of timestamps that carry none (UTC, +02:00, Europe/Paris), for this import; default: the source\'s setting, else UTC')
    .option('--time-if-missing <when>', TIME_IF_MISSING_HELP)
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'one JSON object per file')
    .action((files: string[], opts: CommonOpts & { format?: string; source?: string; syslogYear?: string; syslogZone?: string; timeIfMissing?: string }) =>
      runCommand(opts, async (out) => {
        const format = opts.format === undefined ? undefined : IngestFormatSchema.safeParse(opts.format);
        if (format && !format.success) throw new AttestError('BAD_REQUEST', `Unknown format "${opts.format}": use one of ${IngestFormatSchema.options.join(', ')}.`);
        const syslogYear = opts.syslogYear === undefined ? undefined : fourDigitYear(opts.syslogYear);
        if (syslogYear !== undefined && !(Number.isInteger(syslogYear) && syslogYear >= 1970 && syslogYear <= 9999)) {
          throw new AttestError('BAD_REQUEST', `--syslog-year takes a year between 1970 and 9999 (got "${sanitize(opts.syslogYear ?? '')}").`);
        }
        // An empty name fell back to the default source silently, so the file was imported again as new events.
        if (opts.source !== undefined && opts.source.trim() === '') throw new AttestError('BAD_REQUEST', '--source needs a source name (leave the option out for the default source of the format).');
        if (opts.source !== undefined) checkSourceName(opts.source);
        if (opts.syslogZone !== undefined && !isValidZone(opts.syslogZone)) {
          throw new AttestError('BAD_REQUEST', `Unknown time zone "${sanitize(opts.syslogZone)}": use UTC, an offset such as +02:00, or a name such as Europe/Paris.`);
        }
        const timeIfMissing = parseTimeIfMissing(opts.timeIfMissing);
        const showProgress = Boolean(process.stderr.isTTY) && !opts.json;
        await withUnlockedVault(opts, async (host) => {
          // Progress pushes only follow ingest.start, so listening from here on misses none.
          const unsubscribe = host.onPush((msg) => {
            if (showProgress && msg.type === 'ingest:progress') process.stderr.write(`\r${renderProgressLine(msg.progress)}\u001b[K`);
          });
          const onSigint = () => {
            process.stderr.write('\nCancelling: what was committed stays.\n');
            host.ingest.cancel(jobId);
          };
          let jobId = '';
          try {
            jobId = host.ingest.start(
              files.map((f) => ({ path: f })),
              {
                ...(format?.success ? { format: format.data } : {}),
                ...(opts.source ? { source: opts.source } : {}),
                ...(syslogYear !== undefined ? { syslogYear } : {}),
                ...(opts.syslogZone !== undefined ? { syslogZone: opts.syslogZone } : {}),
                ...(timeIfMissing !== undefined ? { timeIfMissing } : {}),
              },
            );
            process.once('SIGINT', onSigint);
            const summaries = await host.ingest.wait(jobId);
            if (showProgress) process.stderr.write('\r\u001b[K');
            const db = host.vault.database();
            for (const s of summaries) printSummary(out, s, s.quarantined > 0 && s.batchId !== null && !out.json ? quarantineReasons(db, s.batchId) : []);
            if (summaries.some((s) => s.error !== null)) process.exitCode = EXIT.failure;
            // Not every file was read to its end: a script must not take the import for complete.
            else if (summaries.some((s) => s.cancelled)) process.exitCode = EXIT.interrupted;
          } finally {
            process.removeListener('SIGINT', onSigint);
            unsubscribe();
          }
        });
      }),
    );

  program
    .command('events')
    .description('list events, latest recorded first (the log\'s order; --oldest-first reverses it; --json: JSON Lines of canonical events)')
    .option('--vault <dir>', 'vault directory')
    .option('--since <time>', 'from this time (ISO 8601 with a zone, epoch ms of 11+ digits or 0, or 24h / 7d back)')
    .option('--until <time>', 'before this time')
    .option('--class <class>', 'OCSF class number or name (3002, Authentication)')
    .option('--status <status>', 'success, failure, other, unknown')
    .option('--actor <user>', 'exact user name, uid or e-mail')
    .option('--ip <ip>', 'exact source IP')
    .option('--source <name>', 'source name')
    .option('--batch <id>', 'import batch number')
    .option('--hide-own', "leave out Attest's own audit events (unlocks, imports), as the Overview does")
    .option('--oldest-first', 'the oldest recorded events first (with --limit: the first N ever recorded)')
    .option('--limit <n>', 'at most this many events (0 = all)', '100')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'JSON Lines of canonical events')
    .action((opts: CommonOpts & FilterFlags & { limit: string; oldestFirst?: boolean }) =>
      runCommand(opts, async (out) => {
        const filter = parseFilter(opts);
        let remaining = parseLimit(opts.limit);
        await withUnlockedVault(opts, async (host) => {
          const db = host.vault.database();
          const order = opts.oldestFirst === true ? 'oldest' : 'newest';
          // Keyset cursor in the order asked for: beforeSeq newest first, afterSeq oldest first.
          let cursor: { beforeSeq: number } | { afterSeq: number } | Record<string, never> = {};
          let printed = 0;
          const jsonLine = eventJsonLineReader(db);
          while (remaining > 0) {
            const page = queryEvents(db, filter, { limit: Math.min(1000, remaining), order, ...cursor });
            // One write per page: far fewer system calls than one per event.
            let text = '';
            for (const row of page.rows) {
              if (out.json) {
                const line = jsonLine(row.seq);
                if (line !== null) text += `${line}\n`;
              } else {
                const when = new Date(row.time).toISOString();
                const outcome = row.statusId === 1 ? 'success' : row.statusId === 2 ? 'FAILURE' : 'other';
                text += `${String(row.seq).padStart(8)}  ${when}  ${String(row.classUid).padEnd(5)} ${outcome.padEnd(8)} ${padToWidth(sanitize(row.actor ?? '-'), 20)} ${padToWidth(sanitize(row.ip ?? '-'), 16)} ${sanitize(row.operation ?? row.message ?? '')}\n`;
              }
              printed++;
            }
            // The reader has all it wanted (`| head`): stop quietly.
            if (!(await writeOut(text))) return;
            remaining -= page.rows.length;
            if (page.rows.length === 0) break;
            if (page.nextBeforeSeq !== null) cursor = { beforeSeq: page.nextBeforeSeq };
            else if (page.nextAfterSeq !== null) cursor = { afterSeq: page.nextAfterSeq };
            else break;
          }
          if (!out.json) process.stderr.write(`${fmtInt(printed)} event(s).\n`);
          if (!out.json && printed === 0) process.stderr.write(nearMatchesText(filter, nearMatches(db, filter)));
        });
      }),
    );

  const quarantine = program.command('quarantine').description('records that could not be imported: list, export, retry');
  quarantine
    .command('list')
    .description('list quarantined records with their line numbers and reasons')
    .option('--vault <dir>', 'vault directory')
    .option('--batch <id>', 'only this batch')
    .option('--limit <n>', 'at most this many (0 = all)', '200')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'JSON Lines')
    .action((opts: CommonOpts & { batch?: string; limit: string }) =>
      runCommand(opts, async (out) => {
        let remaining = parseLimit(opts.limit);
        await withUnlockedVault(opts, async (host) => {
          let afterId: number | undefined;
          let shown = 0;
          let total = 0;
          while (remaining > 0) {
            const page = listQuarantine(host.vault.database(), {
              limit: Math.min(QUARANTINE_PAGE, remaining),
              ...batchFilter(opts.batch),
              ...(afterId !== undefined ? { afterId } : {}),
            });
            total = page.total;
            let text = '';
            for (const row of page.rows) {
              text += out.json
                ? `${JSON.stringify(row)}\n`
                : `#${row.id}  batch ${row.batchId}  ${sanitize(row.file)}:${row.line}${row.element !== null ? ` record ${row.element}` : ''}  ${row.status}  ${sanitize(row.reason)}\n    ${sanitize(row.rawText.slice(0, 160))}\n` +
                  (row.signedBatchSha256 ? `    from signed batch ${row.signedBatchSha256} (attest signed-batch export ${row.signedBatchSha256})\n` : '');
            }
            if (!(await writeOut(text))) return;
            shown += page.rows.length;
            remaining -= page.rows.length;
            const last = page.rows[page.rows.length - 1];
            if (last === undefined || page.rows.length < QUARANTINE_PAGE) break;
            afterId = last.id;
          }
          if (!out.json) process.stderr.write(`${fmtInt(shown)} shown of ${fmtInt(total)} quarantined record(s).\n`);
        });
      }),
    );
  quarantine
    .command('export')
    .description('export quarantined records as JSON Lines (raw bytes as base64)')
    .option('--vault <dir>', 'vault directory')
    .option('--batch <id>', 'only this batch')
    .option('--out <file>', 'write here instead of standard output')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .action((opts: CommonOpts & { batch?: string; out?: string }) =>
      runCommand(opts, async () => {
        await withUnlockedVault(opts, async (host) => {
          // Opened before anything is read: a bad --out is one clear line, not a stream error later.
          const target = opts.out ? fs.createWriteStream('', { fd: openNewOutputFile(opts.out) }) : process.stdout;
          const count = await exportQuarantine(host.vault.database(), batchFilter(opts.batch), target);
          // The reader went away (`| head -1`): the output ends there, quietly.
          if (!opts.out && stdoutClosed()) return;
          if (opts.out) await new Promise<void>((resolve, reject) => (target as fs.WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())));
          process.stderr.write(`${fmtInt(Number(count ?? 0))} record(s) exported${opts.out ? ` to ${opts.out}` : ''}.\n`);
        });
      }),
    );
  quarantine
    .command('retry')
    .description("re-process quarantined records with the source's current settings (after fixing a mapping)")
    .option('--vault <dir>', 'vault directory')
    .option('--batch <id>', 'only this batch')
    .option('--time-if-missing <when>', `${TIME_IF_MISSING_HELP} (import: when the record's file was imported)`)
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--json', 'machine-readable output')
    .action((opts: CommonOpts & { batch?: string; timeIfMissing?: string }) =>
      runCommand(opts, async (out) => {
        const timeIfMissing = parseTimeIfMissing(opts.timeIfMissing);
        await withUnlockedVault(opts, async (host) => {
          const r = await retryQuarantine(host.vault.database(), { ...batchFilter(opts.batch), ...(timeIfMissing !== undefined ? { timeIfMissing } : {}) }, host.operator);
          out.result(r, `Retried ${fmtInt(r.retried)}: imported ${fmtInt(r.imported)}, duplicates ${fmtInt(r.duplicates)}, still quarantined ${fmtInt(r.stillQuarantined)}.`);
        });
      }),
    );
}

const TIME_IF_MISSING_HELP =
  'time for records that carry none (CEF without rt/end/start, OCSF without time), else quarantined: "import", or a time with its zone (2026-11-01T00:00Z) or epoch ms';

/**
 * --time-if-missing: "import", epoch ms, or an ISO 8601 time with its zone. A time given to evidence must
 * not depend on the machine: "2026-11-01T00:00" was read in this computer's zone and "2026-11-01" in UTC,
 * and "24h" moved with the moment the command ran.
 */
function parseTimeIfMissing(value: string | undefined): TimeIfMissingChoice | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v.toLowerCase() === 'import') return 'import';
  if (!/^\d{11,16}$/.test(v) && !/T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(v)) {
    throw new AttestError('BAD_REQUEST', `--time-if-missing takes "import", epoch ms, or a time with its zone such as 2026-11-01T00:00Z or 2026-11-01T01:00+01:00 (got "${sanitize(value)}").`);
  }
  return parseTime('time-if-missing', v);
}

/** --batch N: a batch number, or a usage error (never a silent NaN that matches nothing). */
function batchFilter(value: string | undefined): { batchId?: number } {
  if (value === undefined) return {};
  if (!/^\d+$/.test(value)) throw new AttestError('BAD_REQUEST', `--batch takes a batch number, not "${sanitize(value)}".`);
  return { batchId: Number(value) };
}

/** Quarantine rows read per query (listQuarantine's most). */
const QUARANTINE_PAGE = 5000;

