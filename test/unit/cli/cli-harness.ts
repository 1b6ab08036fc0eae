import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const cliBundle = path.join(root, 'out', 'node', 'cli.js');

/** Builds the Node bundles once per test file (esbuild: well under a second). */
export function buildCli(): void {
  const r = spawnSync(process.execPath, [path.join(root, 'build/scripts/build.mjs'), '--node', '--quiet'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI as a user would, with no terminal, an isolated HOME and no keychain unless given. */
export function attest(args: string[], opts: { input?: string; env?: Record<string, string | undefined> } = {}): CliResult {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.ATTEST_TEST_HOME ?? os.tmpdir(),
    LANG: 'C.UTF-8',
    ...opts.env,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [cliBundle, ...args], {
    input: opts.input ?? '',
    encoding: 'utf8',
    env: env as NodeJS.ProcessEnv,
    timeout: 120_000,
    // spawnSync's default (1 MiB) cut `events --json` of a few thousand events mid-line.
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The CLI as a separate process running alongside others (for concurrency tests). */
export function attestAsync(args: string[], input = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBundle, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.ATTEST_TEST_HOME ?? os.tmpdir(), LANG: 'C.UTF-8' } as NodeJS.ProcessEnv,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
