/**
 * `npm run bench`: the ingest pipeline's throughput against a plain-SQLite baseline.
 *
 *   node out/node/bench.js [--events N] [--cipher aegis|sqlcipher|both] [--in-process] [--keep]
 *   node out/node/bench.js --verify-only FILE   (a vault kept by --keep: verification alone)
 *   node out/node/bench.js --events N --generate-only FILE   (just the events, e.g. for attest ingest)
 *
 * Generates N OCSF Authentication events as JSON Lines (~400 bytes each: power-law users, a spread of
 * IPs, ~10% failures, time-ordered over a week), imports them into a fresh encrypted vault through the
 * real pipeline (IngestJobs -> ingest worker thread, as the app does), then verifies the chain; and, as
 * the baseline, inserts the same lines into an unencrypted table with one prepared statement in large
 * transactions. Prints events/s, the ratio, peak RSS and verify time (in full, and the chain alone).
 */
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Cipher } from '../../shared/contract/vault';
import { IngestJobs } from '../../electron/core/ingest/ingest-jobs';
import { importFile } from '../../electron/core/ingest/import-file';
import { openEncryptedDatabase } from '../../electron/core/vault/database';
import { migrate } from '../../electron/core/vault/migrator';
import { verifyChain } from '../../electron/core/chain/verify';

interface Args {
  events: number;
  ciphers: Cipher[];
  inProcess: boolean;
  keep: boolean;
  /** In-process runs only: events per transaction (tuning). */
  chunk: number | undefined;
  skipBaseline: boolean;
  /** Only verify this kept vault file (its key in FILE.key, written by --keep), then exit. */
  verifyOnly: string | null;
  /** Only write the generated events to this file (for `attest ingest` by hand), then exit. */
  generateOnly: string | null;
}

const USAGE = `usage: node out/node/bench.js [--events N] [--cipher aegis|sqlcipher|both] [--in-process] [--no-baseline] [--chunk N] [--keep]
       node out/node/bench.js --verify-only FILE      (a vault kept by --keep: its verification alone)
       node out/node/bench.js --generate-only FILE [--events N]   (write the events only)`;

function parseArgs(argv: string[]): Args {
  const args: Args = { events: 1_000_000, ciphers: ['aegis'], inProcess: false, keep: false, chunk: undefined, skipBaseline: false, verifyOnly: null, generateOnly: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--events') args.events = Number((argv[++i] ?? '').replace(/[_,]/g, ''));
    else if (a === '--cipher') {
      const c = argv[++i];
      args.ciphers = c === 'both' ? ['aegis', 'sqlcipher'] : c === 'sqlcipher' ? ['sqlcipher'] : ['aegis'];
    } else if (a === '--in-process') args.inProcess = true;
    else if (a === '--keep') args.keep = true;
    else if (a === '--chunk') args.chunk = Number(argv[++i]);
    else if (a === '--no-baseline') args.skipBaseline = true;
    else if (a === '--verify-only') args.verifyOnly = argv[++i] ?? null;
    else if (a === '--generate-only') args.generateOnly = argv[++i] ?? null;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  if (!Number.isInteger(args.events) || args.events < 1) throw new Error('--events needs a positive integer');
  return args;
}

/** Small deterministic PRNG (mulberry32) so runs are comparable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function externalIp(k: number): string {
  const h = Math.imul(k ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  return `${11 + (h % 200)}.${(h >>> 8) & 255}.${(h >>> 16) & 255}.${1 + (k % 254)}`;
}

async function generate(file: string, n: number): Promise<number> {
  const random = rng(42);
  const out = createWriteStream(file, { highWaterMark: 4 * 1024 * 1024 });
  const start = Date.UTC(2026, 9, 1);
  const span = 7 * 24 * 3600 * 1000;
  const apps = ['vpn', 'mail', 'crm', 'hr-portal', 'wiki', 'git', 'erp', 'console'];
  let buf = '';
  for (let i = 0; i < n; i++) {
    // Power law: a few users produce most logins.
    const user = Math.floor(Math.pow(random(), 3) * 20_000);
    const failed = random() < 0.1;
    // Most logins come from the user's usual office/VPN address; the rest from a heavy-tailed pool of
    // external addresses (home, mobile, attackers), a few of which are very busy.
    const ip = random() < 0.75 ? `10.${(user >> 8) & 255}.${user & 255}.${1 + (user % 250)}` : externalIp(Math.floor(Math.pow(random(), 2) * 50_000));
    const app = apps[Math.floor(random() * apps.length)]!;
    const time = start + Math.floor((i * span) / n) + Math.floor(random() * 50);
    const event = {
      class_uid: 3002,
      class_name: 'Authentication',
      activity_id: 1,
      activity_name: 'Logon',
      time,
      status_id: failed ? 2 : 1,
      status: failed ? 'Failure' : 'Success',
      severity_id: failed ? 3 : 1,
      ...(failed ? { status_detail: 'Invalid credentials' } : {}),
      message: `${failed ? 'Failed' : 'Successful'} logon to ${app}`,
      actor: { user: { name: `user${user}@example.com`, uid: `u-${user}`, type: 'User' } },
      src_endpoint: { ip, port: 1024 + Math.floor(random() * 60000) },
      dst_endpoint: { hostname: `${app}.corp.example.com` },
      metadata: { product: { name: 'Example IdP', vendor_name: 'Example' }, version: '1.1.0', uid: `evt-${i.toString(36)}` },
    };
    buf += JSON.stringify(event) + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return statSync(file).size;
}

interface PipelineResult {
  cipher: Cipher;
  seconds: number;
  imported: number;
  read: number;
  workerMaxRss: number | null;
  /** High-water RSS of the whole process when the import ended (before verify and the baseline). */
  maxRssAfterImport: number;
  /** Highest RSS sampled every 250 ms while the import ran, and the RSS when it started. */
  sampledPeakRss: number;
  rssAtStart: number;
  /** `attest verify` in full, and with --chain-only (the chain alone: what the goal measures). */
  verify: VerifyTiming;
  verifyChainOnly: VerifyTiming;
}

interface VerifyTiming {
  seconds: number;
  count: number;
  ok: boolean;
}

async function runPipeline(dir: string, input: string, cipher: Cipher, inProcess: boolean, chunk: number | undefined, keepKey = false): Promise<PipelineResult> {
  const file = path.join(dir, `vault-${cipher}.sqlite`);
  const key = randomBytes(32);
  // --keep: the key beside the kept vault, so its verification can be re-run and profiled on its own.
  if (keepKey) writeFileSync(`${file}.key`, key.toString('hex'));
  const setup = openEncryptedDatabase(file, key, cipher);
  migrate(setup);
  const rssAtStart = process.memoryUsage().rss;
  let sampledPeakRss = rssAtStart;
  const sampler = setInterval(() => (sampledPeakRss = Math.max(sampledPeakRss, process.memoryUsage().rss)), 250);
  const started = performance.now();
  let imported = 0;
  let read = 0;
  let workerMaxRss: number | null = null;
  if (inProcess) {
    const parseThread = path.join(__dirname, 'ingest-worker.js');
    const s = await importFile(setup, { path: input }, {
      operator: 'bench', vaultId: 'bench-vault', ...(chunk ? { chunkEvents: chunk } : {}), ...(existsSync(parseThread) ? { parseThreadScript: parseThread } : {}),
    });
    if (s.error) throw new Error(s.error);
    imported = s.imported;
    read = s.read;
    setup.close();
  } else {
    setup.close();
    let lastPrint = 0;
    const jobs = new IngestJobs({
      workerScript: path.join(__dirname, 'ingest-worker.js'),
      openKey: () => ({ key: Buffer.from(key), cipher, file, vaultId: 'bench-vault' }), // a copy: the importer zeroes it
      operator: 'bench',
      onProgress: (p) => {
        const t = performance.now();
        if (t - lastPrint > 2000 && process.stderr.isTTY) {
          lastPrint = t;
          process.stderr.write(`  ${cipher}: ${Math.round((100 * p.bytesRead) / Math.max(1, p.bytesTotal))}%  ${p.eventsPerSec.toLocaleString('en-US')} events/s\r`);
        }
      },
    });
    const id = jobs.start([{ path: input }]);
    const [s] = await jobs.wait(id);
    if (!s || s.error) throw new Error(s?.error ?? 'no summary');
    imported = s.imported;
    read = s.read;
    workerMaxRss = jobs.workerStats(id)?.maxRssBytes ?? null;
    await jobs.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const maxRssAfterImport = process.resourceUsage().maxRSS * 1024;
  const verify = await timeVerify(file, key, cipher, false);
  const verifyChainOnly = await timeVerify(file, key, cipher, true);
  return { cipher, seconds, imported, read, workerMaxRss, maxRssAfterImport, sampledPeakRss, rssAtStart, verify, verifyChainOnly };
}

/** Runs verification as `attest verify` does (worker threads when the bundle is there) and times it. */
async function timeVerify(file: string, key: Buffer, cipher: Cipher, chainOnly: boolean): Promise<VerifyTiming> {
  const verifyWorker = path.join(__dirname, 'verify-worker.js');
  const v0 = performance.now();
  const report = await verifyChain({ file, key, cipher }, { ...(existsSync(verifyWorker) ? { workerScript: verifyWorker } : {}), chainOnly });
  return { seconds: (performance.now() - v0) / 1000, count: report.count, ok: report.ok };
}

const describeVerify = (v: VerifyTiming): string =>
  `${v.ok ? 'ok' : 'FAILED'}, ${fmt(v.count)} events in ${v.seconds.toFixed(2)} s = ${fmt(Math.round(v.count / v.seconds))} events/s`;

async function runBaseline(dir: string, input: string): Promise<{ seconds: number; rows: number }> {
  const db = new Database(path.join(dir, 'baseline.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.exec('CREATE TABLE lines (seq INTEGER PRIMARY KEY, line TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO lines (line) VALUES (?)');
  const started = performance.now();
  let rows = 0;
  let batch: string[] = [];
  const flush = db.transaction((lines: string[]) => {
    for (const l of lines) insert.run(l);
  });
  let rest = '';
  for await (const chunk of createReadStream(input, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const parts = (rest + (chunk as string)).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) if (p.length > 0) batch.push(p);
    if (batch.length >= 100_000) {
      flush(batch);
      rows += batch.length;
      batch = [];
    }
  }
  if (rest.length > 0) batch.push(rest);
  flush(batch);
  rows += batch.length;
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { seconds, rows };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`;

/** --verify-only FILE: re-run the chain verification of a vault kept by --keep. */
async function verifyOnly(file: string, cipher: Cipher): Promise<void> {
  const key = Buffer.from(readFileSync(`${file}.key`, 'utf8').trim(), 'hex');
  console.log(`verify (full):       ${describeVerify(await timeVerify(file, key, cipher, false))}`);
  console.log(`verify --chain-only: ${describeVerify(await timeVerify(file, key, cipher, true))}`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.verifyOnly !== null) return verifyOnly(args.verifyOnly, args.ciphers[0]!);
  if (args.generateOnly !== null) {
    const bytes = await generate(args.generateOnly, args.events);
    console.log(`wrote ${fmt(args.events)} events (${mb(bytes)}) to ${args.generateOnly}`);
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'attest-bench-'));
  try {
    const input = path.join(dir, 'events.jsonl');
    process.stdout.write(`Generating ${fmt(args.events)} OCSF authentication events... `);
    const g0 = performance.now();
    const bytes = await generate(input, args.events);
    console.log(`${mb(bytes)} (${Math.round(bytes / args.events)} bytes/event) in ${((performance.now() - g0) / 1000).toFixed(1)} s`);

    const results: PipelineResult[] = [];
    for (const cipher of args.ciphers) results.push(await runPipeline(dir, input, cipher, args.inProcess, args.chunk, args.keep));
    // --no-baseline: no baseline row and no ratio (a ratio to nothing would print as NaN).
    const baseline = args.skipBaseline ? null : await runBaseline(dir, input);

    const baseRate = baseline === null ? null : baseline.rows / baseline.seconds;
    const rows: string[][] = [['run', 'events', 'seconds', 'events/s', 'vs baseline', 'verify s', 'verify events/s', 'chain-only s', 'chain-only events/s']];
    if (baseline !== null && baseRate !== null) rows.push(['plain SQLite insert (baseline)', fmt(baseline.rows), baseline.seconds.toFixed(2), fmt(baseRate), '1.00', '', '', '', '']);
    const seconds = (v: VerifyTiming) => `${v.seconds.toFixed(2)}${v.ok ? '' : ' (FAILED)'}`;
    for (const r of results) {
      const rate = r.read / r.seconds;
      rows.push([
        `pipeline ${args.inProcess ? '(in-process)' : '(worker)'} ${r.cipher}`,
        fmt(r.imported),
        r.seconds.toFixed(2),
        fmt(rate),
        baseRate === null ? 'not run' : (rate / baseRate).toFixed(2),
        seconds(r.verify),
        fmt(r.verify.count / r.verify.seconds),
        seconds(r.verifyChainOnly),
        fmt(r.verifyChainOnly.count / r.verifyChainOnly.seconds),
      ]);
    }
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    console.log('');
    for (const [i, r] of rows.entries()) {
      console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
      if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    }
    console.log('');
    for (const r of results) {
      console.log(
        `${r.cipher}: peak RSS during the import ${mb(r.sampledPeakRss)} (sampled; the process held ${mb(r.rssAtStart)} when it started); process high-water mark at its end ${mb(r.maxRssAfterImport)}` +
          (r.workerMaxRss !== null ? `; reported by the worker ${mb(r.workerMaxRss)}` : ''),
      );
    }
    console.log(`peak RSS of this process over the whole run (main + worker threads, incl. baseline and verify): ${mb(process.resourceUsage().maxRSS * 1024)}`);
    console.log('targets (issue): pipeline >= 100,000 events/s; verify of the chain > 500,000 events/s');
    console.log('verify = attest verify (chain + search index + Overview counts + import history); chain-only = attest verify --chain-only');
    console.log(`input ${mb(bytes)}; machine: ${require('node:os').cpus().length} cores, Node ${process.version}`);
  } finally {
    if (!args.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
