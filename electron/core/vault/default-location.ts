import os from 'node:os';
import path from 'node:path';

/**
 * The vault directory for this user: ATTEST_VAULT_DIR when set, otherwise the platform's per-user data
 * directory ($XDG_DATA_HOME or ~/.local/share on Linux, ~/Library/Application Support on macOS,
 * %APPDATA% on Windows) + attest/vault.
 */
export function defaultVaultDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const override = env.ATTEST_VAULT_DIR?.trim();
  if (override) return platform === 'win32' ? path.win32.resolve(override) : path.resolve(override);
  if (platform === 'win32') {
    const appData = env.APPDATA?.trim() || path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, 'attest', 'vault');
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'attest', 'vault');
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME?.trim();
  const dataHome = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.local', 'share');
  return path.posix.join(dataHome, 'attest', 'vault');
}
