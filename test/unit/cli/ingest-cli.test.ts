import fs from 'node:fs';
import path from 'node:path';
import { compactVerify, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import { attest, buildCli, cliBundle, root, tempDir } from './cli-harness';
import { displayWidth } from '../../../electron/cli/display-width';

const PASS = 'ingest test passphrase';
const env = { ATTEST_PASSPHRASE: PASS };
const fixtures = path.join(root, 'test', 'fixtures', 'ingest');
const files = [
  path.join(fixtures, 'syslog', 'OpenSSH_2k.log'),
  path.join(fixtures, 'cloudtrail', 'console_login.raw.json'),
  path.join(fixtures, 'cloudtrail', 'api_call.raw.json'),
  path.join(fixtures, 'okta', 'authentication.raw.json'),
  path.join(fixtures, 'ocsf', 'authentication.ocsf.json'),
];

interface Summary {
  file: string;
  sha256: string;
  format: string;
  read: number;
  imported: number;
  duplicates: number;
  quarantined: number;
}

const jsonLines = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

describe('attest CLI: ingest, events, verify, checkpoint', () => {
  const dir = tempDir('attest-cli-ingest-');
  const vault = path.join(dir, 'vault');
  beforeAll(() => {
    buildCli();
    expect(attest(['init', '--vault', vault], { env }).code).toBe(0);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports every fixture and accounts for every record', () => {
    const r = attest(['ingest', '--vault', vault, '--json', ...files], { env });
    expect(r.code, r.stderr).toBe(0);
    const summaries = jsonLines<Summary>(r.stdout);
    expect(summaries).toHaveLength(files.length);
    for (const s of summaries) {
      expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(s.read).toBe(s.imported + s.duplicates + s.quarantined);
      expect(s.read).toBeGreaterThan(0);
    }
    expect(summaries.map((s) => s.format)).toEqual(['syslog', 'cloudtrail', 'cloudtrail', 'okta', 'ocsf']);
    expect(summaries[0]!.read).toBe(2000);
  });

  it('re-importing the same files adds nothing', () => {
    const r = attest(['ingest', '--vault', vault, '--json', ...files], { env });
    expect(r.code).toBe(0);
    for (const s of jsonLines<Summary>(r.stdout)) {
      expect(s.imported).toBe(0);
      expect(s.read).toBe(s.duplicates + s.quarantined);
    }
  });

  it('a missing or unrecognisable file exits 1 after processing the others', () => {
    const junk = path.join(dir, 'junk.bin');
    fs.writeFileSync(junk, Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x13]));
    const r = attest(['ingest', '--vault', vault, '--json', path.join(dir, 'missing.log'), junk, files[4]!], { env });
    expect(r.code).toBe(1);
    const out = jsonLines<Summary & { error: string | null }>(r.stdout);
    expect(out).toHaveLength(3);
    expect(out[0]!.error).toBeTruthy();
    expect(out[1]!.error).toBeTruthy();
    expect(out[2]!.error).toBeNull();
    // The unrecognised file was read: its hash identifies it in the summary and the refusal's record.
    expect(out[0]!.sha256).toBe('');
    expect(out[1]!.sha256).toBe(createHash('sha256').update(fs.readFileSync(junk)).digest('hex'));
  });

  it('events --json filters by class, status, actor and IP', () => {
    const failures = jsonLines<{ class_uid: number; status_id: number; src_endpoint?: { ip?: string }; actor?: { user?: { name?: string } } }>(
      attest(['events', '--vault', vault, '--json', '--class', 'Authentication', '--status', 'failure', '--limit', '0'], { env }).stdout,
    );
    expect(failures.length).toBeGreaterThan(100);
    for (const e of failures) {
      expect(e.class_uid).toBe(3002);
      expect(e.status_id).toBe(2);
    }
    const ip = failures.find((e) => e.src_endpoint?.ip)!.src_endpoint!.ip!;
    const byIp = jsonLines<{ src_endpoint?: { ip?: string } }>(attest(['events', '--vault', vault, '--json', '--ip', ip, '--limit', '0'], { env }).stdout);
    expect(byIp.length).toBeGreaterThan(0);
    expect(byIp.every((e) => e.src_endpoint?.ip === ip)).toBe(true);
    const actor = failures.find((e) => e.actor?.user?.name)!.actor!.user!.name!;
    const byActor = jsonLines<{ actor?: { user?: { name?: string; uid?: string } } }>(
      attest(['events', '--vault', vault, '--json', '--actor', actor, '--limit', '0'], { env }).stdout,
    );
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((e) => e.actor?.user?.name === actor || e.actor?.user?.uid === actor)).toBe(true);
    const limited = jsonLines(attest(['events', '--vault', vault, '--json', '--limit', '7'], { env }).stdout);
    expect(limited).toHaveLength(7);
  });

  it('events --json carries each event\'s original record (OCSF raw_data), byte for byte', () => {
    // Outside probe (probe9): no CLI command printed an event's raw bytes.
    const lines = jsonLines<{ seq: number; raw_data?: string; raw_data_base64?: string; metadata: { product: { name?: string } } }>(
      attest(['events', '--vault', vault, '--json', '--hide-own', '--limit', '0'], { env }).stdout,
    );
    expect(lines.length).toBeGreaterThan(0);
    // A line of a file, or a whole file (the JSON fixtures are one pretty-printed record each).
    const source = new Set(files.flatMap((f) => [...fs.readFileSync(f, 'utf8').split(/\r?\n/), fs.readFileSync(f, 'utf8'), fs.readFileSync(f, 'utf8').trim()]));
    for (const e of lines) {
      expect(typeof e.raw_data).toBe('string');
      expect(source.has(e.raw_data!), e.raw_data).toBe(true);
      expect(e.raw_data_base64).toBeUndefined(); // only for a record that is not valid UTF-8
    }
  });

  it('events: --hide-own leaves out Attest\'s own audit events; a search that finds nothing says how values match', () => {
    type Ev = { metadata: { product: { name?: string } }; actor?: { user?: { name?: string } } };
    const all = jsonLines<Ev>(attest(['events', '--vault', vault, '--json', '--limit', '0'], { env }).stdout);
    const services = jsonLines<Ev>(attest(['events', '--vault', vault, '--json', '--hide-own', '--limit', '0'], { env }).stdout);
    const own = all.filter((e) => e.metadata.product.name === 'Attest');
    expect(own.length).toBeGreaterThan(0);
    expect(services).toHaveLength(all.length - own.length);
    expect(services.some((e) => e.metadata.product.name === 'Attest')).toBe(false);
    // A part of a stored name finds nothing (exact match), and the terminal says so with the stored values.
    const name = services.find((e) => (e.actor?.user?.name ?? '').length > 3)!.actor!.user!.name!;
    const partial = attest(['events', '--vault', vault, '--actor', name.slice(0, -1)], { env });
    expect(partial.code).toBe(0);
    expect(partial.stderr).toContain('0 event(s).');
    expect(partial.stderr).toContain('match the whole value exactly as stored, letter case included');
    expect(partial.stderr).toContain(`"${name}"`);
    // Class 0 has a name the CLI and the explorer's list know.
    expect(attest(['events', '--vault', vault, '--class', 'Base Event', '--limit', '1'], { env }).code).toBe(0);
  });

  it('events --oldest-first lists the same events from the first recorded on (probe8: the oldest were out of reach)', () => {
    // Own events hidden: each run adds its own unlock, which would differ between the two lists.
    const newest = jsonLines<{ seq: number }>(attest(['events', '--vault', vault, '--json', '--hide-own', '--limit', '0'], { env }).stdout).map((e) => e.seq);
    const oldest = jsonLines<{ seq: number }>(attest(['events', '--vault', vault, '--json', '--hide-own', '--oldest-first', '--limit', '0'], { env }).stdout).map((e) => e.seq);
    expect(newest.length).toBeGreaterThan(1000); // more than one page of the CLI's
    expect(oldest).toEqual([...newest].reverse());
    const firstThree = jsonLines<{ seq: number }>(attest(['events', '--vault', vault, '--json', '--hide-own', '--oldest-first', '--limit', '3'], { env }).stdout).map((e) => e.seq);
    expect(firstThree).toEqual(oldest.slice(0, 3));
  });

  it('keeps the columns of the events table aligned after a wide (CJK) actor name', () => {
    const wide = path.join(dir, 'wide-actors.jsonl');
    const event = (i: number, name: string) => JSON.stringify({ class_uid: 3002, activity_id: 1, time: 1_761_000_000_000 + i, status_id: 2, actor: { user: { name } }, src_endpoint: { ip: `10.9.9.${i}` }, metadata: { uid: `wide-${i}` } });
    fs.writeFileSync(wide, [event(1, '山田太郎'), event(2, 'wide-test-b'), event(3, '\u3000wide-test-c')].join('\n'));
    expect(attest(['ingest', '--vault', vault, wide], { env }).code).toBe(0);
    const r = attest(['events', '--vault', vault, '--since', new Date(1_761_000_000_000).toISOString(), '--until', new Date(1_761_000_000_010).toISOString()], { env });
    const rows = r.stdout.split('\n').filter((l) => l.includes('10.9.9.'));
    expect(rows).toHaveLength(3);
    // The IP starts at the same terminal column on every row (a wide character takes two columns).
    const ipColumn = (l: string) => displayWidth(l.slice(0, l.indexOf('10.9.9.')));
    expect(new Set(rows.map(ipColumn)).size).toBe(1);
  });

  it('a gzip cut part-way says what it kept, not NOT IMPORTED, and exits 1', () => {
    const lines = Array.from({ length: 4000 }, (_, i) => JSON.stringify({ class_uid: 3002, activity_id: 1, time: 1_760_000_000_000 + i, status_id: 1, metadata: { uid: `cut-${i}`, pad: 'p'.repeat(i % 40) } })).join('\n');
    const whole = gzipSync(lines);
    const cut = path.join(dir, 'cut.jsonl.gz');
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const r = attest(['ingest', '--vault', vault, cut], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^cut\.jsonl\.gz: STOPPED PART-WAY — Could not decompress cut\.jsonl\.gz: the gzip data is corrupt or truncated \(the file ends inside its first gzip member\)\.\n {2}read [\d,]+ = imported [\d,]+ \+ duplicates 0 \+ quarantined \d+ {2}\(batch \d+\): the records before the error are kept\n$/);
    expect(r.stdout).not.toMatch(/NOT IMPORTED/);
  });

  it('a hostile file name cannot drive the terminal', () => {
    const evil = path.join(dir, 'evil\u001b]0;PWNED\u0007\u001b[2J\u202e.log');
    fs.writeFileSync(evil, 'not a log at all \u0000\u0001');
    const r = attest(['ingest', '--vault', vault, evil], { env });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(r.stdout).toMatch(/NOT IMPORTED/);
  });

  it.each([
    ['events', '--json', '--limit', '0'],
    ['quarantine', 'export'],
  ])('a reader that stops early (`| head -1`) ends `%s` quietly, with no stack trace', async (...command) => {
    const bad = path.join(dir, 'many-bad.jsonl');
    if (!fs.existsSync(bad)) {
      fs.writeFileSync(bad, Array.from({ length: 3000 }, (_, i) => `not json at all, line ${i} ${'x'.repeat(80)}`).join('\n') + '\n');
      expect(attest(['ingest', '--vault', vault, '--format', 'ocsf', bad], { env }).code).toBe(0);
    }
    // More output than a pipe holds, so the CLI is still writing when the reader goes away.
    const child = spawn(process.execPath, [cliBundle, ...command, '--vault', vault], {
      env: { PATH: process.env.PATH, HOME: os.tmpdir(), LANG: 'C.UTF-8', ...env } as NodeJS.ProcessEnv,
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (c: Buffer) => resolve(c.toString())));
    child.stdout.destroy(); // as `head -1` exits after its line
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(JSON.parse(first.split('\n')[0]!)).toHaveProperty(command[0] === 'events' ? 'seq' : 'rawBase64');
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('ingest takes the syslog year and zone for one import, and refuses ones it cannot use', () => {
    const file = path.join(dir, 'ssh-2015.log');
    fs.writeFileSync(file, 'Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186\n');
    const r = attest(['ingest', '--vault', vault, '--syslog-year', '2015', '--syslog-zone', '+08:00', file], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/note: year 2015 given for this import/);
    expect(r.stdout).toMatch(/note: time zone \+08:00 given for this import/);
    expect(attest(['ingest', '--vault', vault, '--syslog-year', 'last', file], { env }).code).toBe(2);
    expect(attest(['ingest', '--vault', vault, '--syslog-zone', 'Mars/Olympus', file], { env }).code).toBe(2);
    // An empty source name is a usage error, not the default source (which imported the file again).
    const empty = attest(['ingest', '--vault', vault, '--source', '', file], { env });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--source needs a source name/);
  });

  it('a missing checkpoint file is named in a sentence, not an errno code', () => {
    const r = attest(['verify', '--vault', vault, '--checkpoint', path.join(dir, 'no-such-checkpoint.json')], { env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Could not read the checkpoint file .*no-such-checkpoint\.json: it does not exist\./);
  });

  it('a file whose every record is quarantined says where to look and suggests the format', () => {
    const file = path.join(dir, 'not-ocsf.jsonl');
    fs.writeFileSync(file, 'one\ntwo\n');
    const r = attest(['ingest', '--vault', vault, '--format', 'ocsf', file], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/every record was quarantined: is this the right format\? \(--format\); see them with: attest quarantine list --batch \d+/);
    // --limit 0 lists them all, as it does for events.
    const batch = /--batch (\d+)/.exec(r.stdout)![1]!;
    const all = attest(['quarantine', 'list', '--vault', vault, '--batch', batch, '--limit', '0', '--json'], { env });
    expect(all.code, all.stderr).toBe(0);
    expect(jsonLines<{ line: number }>(all.stdout).map((q) => q.line)).toEqual([1, 2]);
  });

  it('says why records were quarantined, and how records without a time can be imported with the time of the import', () => {
    const file = path.join(dir, 'bare.cef');
    fs.writeFileSync(file, 'CEF:0|Elastic|Vaporware|1.0|18|Authentication|low|src=10.0.0.1 suser=bob\nCEF:0|Elastic|Vaporware|1.0|18|Authentication|low|rt=1700000000000 src=10.0.0.2 suser=eve\n');
    const r = attest(['ingest', '--vault', vault, file], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('read 2 = imported 1 + duplicates 0 + quarantined 1');
    expect(r.stdout).toContain('quarantined 1: the CEF record has no time (no rt, end or start, and no syslog timestamp)');
    const batch = /--batch (\d+)/.exec(r.stdout)![1]!;
    expect(r.stdout).toContain(`attest quarantine retry --batch ${batch} --time-if-missing import`);
    // The same records in a longer file: the one still in quarantine is a duplicate, and said to be one.
    const longer = path.join(dir, 'bare-longer.cef');
    fs.writeFileSync(longer, fs.readFileSync(file, 'utf8') + 'CEF:0|Elastic|Vaporware|1.0|18|Authentication|low|rt=1700000001000 src=10.0.0.3 suser=ann\n');
    const again = attest(['ingest', '--vault', vault, longer], { env });
    expect(again.stdout).toContain('read 3 = imported 1 + duplicates 2 + quarantined 0');
    expect(again.stdout).toContain('1 of the duplicates is a record already in quarantine from an earlier import (not in the event log): see it with: attest quarantine list');
    const longest = path.join(dir, 'bare-longest.cef');
    fs.writeFileSync(longest, fs.readFileSync(longer, 'utf8') + 'CEF:0|Elastic|Vaporware|1.0|18|Authentication|low|rt=1700000002000 src=10.0.0.4 suser=zed\n');
    const json = attest(['ingest', '--vault', vault, '--json', longest], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ read: 4, imported: 1, duplicates: 3, quarantined: 0, alreadyQuarantined: 1 });
    const retried = attest(['quarantine', 'retry', '--vault', vault, '--batch', batch, '--time-if-missing', 'import', '--json'], { env });
    expect(retried.code, retried.stderr).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject({ retried: 1, imported: 1, stillQuarantined: 0 });
    // Retried into the log: the same record again is a duplicate of an event, no longer "in quarantine".
    const after = path.join(dir, 'bare-after-retry.cef');
    fs.writeFileSync(after, fs.readFileSync(longest, 'utf8') + 'CEF:0|Elastic|Vaporware|1.0|18|Authentication|low|rt=1700000003000 src=10.0.0.5 suser=kim\n');
    const afterRetry = JSON.parse(attest(['ingest', '--vault', vault, '--json', after], { env }).stdout) as Record<string, unknown>;
    expect(afterRetry).toMatchObject({ read: 5, imported: 1, duplicates: 4, quarantined: 0 });
    expect(afterRetry.alreadyQuarantined).toBeUndefined();
    const bob = jsonLines<{ time: number; actor: { user: { name: string } } }>(attest(['events', '--vault', vault, '--actor', 'bob', '--json'], { env }).stdout);
    expect(bob).toHaveLength(1);
    // The time the file was imported: within this test's run, not the other record's.
    expect(Math.abs(bob[0]!.time - Date.now())).toBeLessThan(10 * 60_000);
    // A time given to evidence names its zone: never this machine's, never relative to the command.
    for (const when of ['soon', '24h', '2026-11-01', '2026-11-01T00:00']) {
      const r = attest(['ingest', '--vault', vault, file, '--time-if-missing', when], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--time-if-missing takes "import", epoch ms, or a time with its zone`);
    }
    // A year is four digits: Number() read these as 2000 and 2024.
    for (const year of ['2e3', '0x7e8']) {
      const r = attest(['ingest', '--vault', vault, file, '--syslog-year', year], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--syslog-year takes a year between 1970 and 9999');
    }
  });

  it('an export to an existing file, a missing folder or a folder is refused in one line, never a stack trace', () => {
    const existing = path.join(dir, 'existing.jsonl');
    fs.writeFileSync(existing, 'keep me\n');
    const cases: Array<[string, RegExp]> = [
      [existing, /already exists: choose a new file name/],
      [path.join(dir, 'no-such-folder', 'q.jsonl'), /The folder of .* does not exist\./],
      [dir, /is a folder: give the name of a new file in it\./],
    ];
    for (const [target, message] of cases) {
      for (const args of [['quarantine', 'export', '--vault', vault, '--out', target], ['checkpoint', 'export', '--vault', vault, '--out', target]]) {
        const r = attest(args, { env });
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
      }
    }
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep me\n');
  });

  it('an empty file among others is accounted for and does not fail the run', () => {
    const empty = path.join(dir, 'rotated-empty.log');
    fs.writeFileSync(empty, '');
    const r = attest(['ingest', '--vault', vault, '--json', empty], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines<Summary & { error: string | null; notes?: string[] }>(r.stdout)).toEqual([
      expect.objectContaining({ read: 0, imported: 0, duplicates: 0, quarantined: 0, error: null, notes: ['the file is empty: there was nothing to import'] }),
    ]);
  });

  it('finds an IPv6 source however the address is spelled', () => {
    const file = path.join(dir, 'v6.jsonl');
    const ev = (time: number) => JSON.stringify({ class_uid: 3002, activity_id: 1, time, status_id: 2, severity_id: 1, src_endpoint: { ip: '2001:0DB8:0000::0001' }, metadata: { product: { name: 'v6' } } });
    fs.writeFileSync(file, `${ev(Date.UTC(2026, 5, 1))}\n${ev(Date.UTC(2026, 5, 2))}\n`);
    expect(attest(['ingest', '--vault', vault, file], { env }).code).toBe(0);
    for (const spelling of ['2001:db8::1', '2001:0db8::0001', '2001:DB8:0:0:0:0:0:1']) {
      const r = attest(['events', '--vault', vault, '--json', '--ip', spelling], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(jsonLines<{ src_endpoint?: { ip?: string } }>(r.stdout).map((e) => e.src_endpoint?.ip)).toEqual(['2001:db8::1', '2001:db8::1']);
    }
  });

  it('a bad filter is a usage error', () => {
    expect(attest(['events', '--vault', vault, '--since', 'yesterday-ish'], { env }).code).toBe(2);
    // Values Date.parse would have bent into some other time, and an --ip that no source IP can equal.
    expect(attest(['events', '--vault', vault, '--since', '2026-02-30'], { env }).code).toBe(2);
    expect(attest(['events', '--vault', vault, '--until', '-5'], { env }).code).toBe(2);
    expect(attest(['events', '--vault', vault, '--ip', 'not-an-ip'], { env }).code).toBe(2);
    expect(attest(['events', '--vault', vault, '--since', '2026-02-28', '--until', '2026-11-01T00:00Z'], { env }).code).toBe(0);
    expect(attest(['events', '--vault', vault, '--status', 'maybe'], { env }).code).toBe(2);
    expect(attest(['quarantine', 'list', '--vault', vault, '--batch', 'abc'], { env }).code).toBe(2);
    expect(attest(['quarantine', 'list', '--vault', vault, '--limit', 'lots'], { env }).code).toBe(2);
  });

  it('verify succeeds and the exported checkpoint verifies with its public key', async () => {
    const v = attest(['verify', '--vault', vault, '--json'], { env });
    expect(v.code, v.stderr).toBe(0);
    const report = JSON.parse(v.stdout) as { ok: boolean; count: number; headHash: string; headSeq: number; scope: string };
    expect(report.ok).toBe(true);
    expect(report.count).toBeGreaterThan(2000);
    expect(report.scope).toBe('full');
    const chainOnly = attest(['verify', '--vault', vault, '--chain-only'], { env });
    expect(chainOnly.code, chainOnly.stderr).toBe(0);
    expect(chainOnly.stdout).toMatch(/Chain verified: .* \(chain only: search index, Overview counts and import history not checked\)/);
    const out = path.join(dir, 'checkpoint.json');
    expect(attest(['checkpoint', 'export', '--vault', vault, '--out', out], { env }).code).toBe(0);
    const cp = JSON.parse(fs.readFileSync(out, 'utf8')) as { jws: string; publicJwk: Record<string, string> };
    const key = await importJWK(cp.publicJwk, 'EdDSA');
    const { payload } = await compactVerify(cp.jws, key);
    const claims = JSON.parse(new TextDecoder().decode(payload)) as { seq: number; head_hash: string; vault_id: string; time: number };
    expect(claims.head_hash).toMatch(/^[0-9a-f]{64}$/);
    // Signed when `verify` locked the vault again: it covers everything verified, plus that lock event.
    expect(claims.seq).toBeGreaterThanOrEqual(report.headSeq);
    const status = JSON.parse(attest(['status', '--vault', vault, '--json'], { env }).stdout) as { vaultId: string };
    expect(claims.vault_id).toBe(status.vaultId);
  });

  it('verify --checkpoint proves the chain still passes through a checkpoint held outside the vault', () => {
    const held = path.join(dir, 'checkpoint.json');
    const good = attest(['verify', '--vault', vault, '--checkpoint', held, '--json'], { env });
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ ok: true, heldCheckpoint: { ok: true } });

    // A checkpoint whose payload was altered no longer verifies under its key.
    const forged = JSON.parse(fs.readFileSync(held, 'utf8')) as { jws: string };
    const [h, p, sig] = forged.jws.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as { head_hash: string };
    claims.head_hash = '0'.repeat(64);
    forged.jws = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), sig].join('.');
    const forgedFile = path.join(dir, 'forged-checkpoint.json');
    fs.writeFileSync(forgedFile, JSON.stringify(forged));
    const bad = attest(['verify', '--vault', vault, '--checkpoint', forgedFile], { env });
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/signature does not verify/);
  });

  it('a flipped byte in the vault file is reported as tampering in one line, not a crash', () => {
    const file = path.join(vault, 'vault.sqlite');
    const original = fs.readFileSync(file);
    // Outside probe (probe9): one failure, two prefixes ("TAMPERED:" or "attest:") depending on the page.
    for (const at of [100, 4096 + 17, Math.floor(original.length / 2), original.length - 7]) {
      const copy = path.join(dir, `flipped-${at}`);
      fs.cpSync(vault, copy, { recursive: true });
      const bytes = Buffer.from(original);
      bytes[at] = bytes[at]! ^ 0x01;
      fs.writeFileSync(path.join(copy, 'vault.sqlite'), bytes);
      const r = attest(['verify', '--vault', copy], { env });
      expect(r.code, `byte ${at}`).toBe(1);
      const lines = (r.stdout + r.stderr).trim().split('\n');
      expect(lines, `byte ${at}`).toHaveLength(1);
      expect(lines[0], `byte ${at}`).toMatch(/^TAMPERED: .*(tamper|altered|integrity)/i);
    }
  });
});
