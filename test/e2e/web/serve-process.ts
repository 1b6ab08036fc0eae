import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

// Runs the real `attest serve` (out/node/cli.js) as a child process, the way an operator or CI would.

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const cliPath = path.join(repoRoot, 'out/node/cli.js');
export const screenshotDir = path.join(repoRoot, 'test-results/e2e');

/** Builds out/ once per test run when the CLI or the renderer bundle is missing (npm run test:e2e builds first). */
export function ensureBuilt(): void {
  if (fs.existsSync(cliPath) && fs.existsSync(path.join(repoRoot, 'out/renderer/index.html'))) return;
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'build/scripts/build.mjs'), '--quiet'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('The build failed; the e2e tests need out/node/cli.js and out/renderer.');
}

export function tempVaultDir(label: string): { root: string; vault: string; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `attest-e2e-${label}-`));
  return { root, vault: path.join(root, 'vault'), cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** Env for child CLIs: no inherited vault location or passphrase, no keychain (headless, no D-Bus). */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('ATTEST_PASSPHRASE' in extra)) delete env.ATTEST_PASSPHRASE;
  delete env.ATTEST_VAULT_DIR;
  return env;
}

export interface ServeProcess {
  url: string;
  origin: string;
  port: number;
  token: string;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr: () => string;
  stop: () => Promise<number | null>;
}

/** Starts `node out/node/cli.js serve --vault <dir>` and waits for its first stdout line (the URL). */
export async function startServe(vaultDir: string, timeoutMs = 60_000): Promise<ServeProcess> {
  const child: ChildProcess = spawn(process.execPath, [cliPath, 'serve', '--vault', vaultDir], {
    cwd: repoRoot,
    env: childEnv(),
    // stdin is not a terminal: the CLI must not prompt, the browser creates the vault.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    stderr += d;
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`attest serve printed no URL within ${timeoutMs} ms. stderr:\n${stderr}`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => fail(new Error(`attest serve exited (${code}) before printing its URL. stderr:\n${stderr}`)));
  });
  child.removeAllListeners('exit');
  const match = /^http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]{43})$/.exec(firstLine);
  if (!match) {
    child.kill('SIGKILL');
    throw new Error(`The first stdout line of attest serve is not the URL contract: ${JSON.stringify(firstLine.slice(0, 60))}…`);
  }
  const port = Number(match[1]);
  return {
    url: firstLine,
    origin: `http://127.0.0.1:${port}`,
    port,
    token: match[2]!,
    stderr: () => stderr,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Runs one CLI command to completion (e.g. ingest with ATTEST_PASSPHRASE); returns its output. */
export function runCli(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, env: childEnv(env), encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
