#!/usr/bin/env node
// `npm run serve [-- <serve options>]`: builds everything, then runs `attest serve` on the default vault
// (ATTEST_VAULT_DIR or the platform data directory; the CLI decides, so this script and the app agree).
// stdin/stdout/stderr are the terminal's own: the CLI prints the URL (with its token) as its first line
// and prompts for a passphrase when it creates a vault. SIGINT/SIGTERM are forwarded so the host can
// close its sockets and remove uploads before exiting.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const extraArgs = process.argv.slice(2);

const built = spawnSync(process.execPath, [path.join(root, 'build/scripts/build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) {
  console.error('serve: the build failed; see the error above.');
  process.exit(built.status ?? 1);
}

const child = spawn(process.execPath, [path.join(root, 'out/node/cli.js'), 'serve', ...extraArgs], { cwd: root, stdio: 'inherit' });

// The terminal sends Ctrl-C to the whole process group; forwarding it again is harmless (the CLI closes
// once) and needed when only this process is signalled (process managers, `kill <pid>`).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on('error', (err) => {
  console.error(`serve: could not start the CLI (${err.message}).`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    // Re-raise with default handling so our parent sees the same cause of death.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
