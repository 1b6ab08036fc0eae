import fs from 'node:fs';
import path from 'node:path';

// Where the Electron main process finds its native modules. node_modules holds Node-ABI builds (tests,
// CLI); `npm start` (build/scripts/start.mjs) builds Electron-ABI copies into out/electron-native/ and
// records them in a stamp file. Packaged apps carry the same folder (build/electron-builder.yml), so
// development and packaged runs load native code the same way.

/** Written by build/scripts/start.mjs after a successful rebuild. */
export interface ElectronNativeStamp {
  electronVersion: string;
  platform: string;
  arch: string;
  /** package name -> version that was rebuilt */
  modules: Record<string, string>;
}

export interface ElectronNativeLayout {
  dir: string;
  stampFile: string;
  sqliteBinding: string;
  keytarDir: string;
}

export const SQLITE_PACKAGE = 'better-sqlite3-multiple-ciphers';
export const KEYTAR_PACKAGE = 'keytar';

/** Layout of out/electron-native/ (outDir = the project's out/ folder). Keep in step with start.mjs. */
export function electronNativeLayout(outDir: string): ElectronNativeLayout {
  const dir = path.join(outDir, 'electron-native');
  return {
    dir,
    stampFile: path.join(dir, 'stamp.json'),
    sqliteBinding: path.join(dir, SQLITE_PACKAGE, 'build', 'Release', 'better_sqlite3.node'),
    keytarDir: path.join(dir, KEYTAR_PACKAGE),
  };
}

export interface NativeModuleChoice {
  /** Passed to createAppHost; undefined only together with a problem. */
  sqliteNativeBinding: string | undefined;
  /** Loader given to createKeytarKeyStore. */
  loadKeytar: () => unknown;
  /** Operator-readable reason the app cannot start, or null. */
  problem: string | null;
}

export interface NativeModuleOptions {
  /** The project's out/ folder (out/main/.. at run time; inside app.asar when packaged). */
  outDir: string;
  /** The running Electron version (process.versions.electron). */
  electronVersion: string;
  /** A require bound to the main bundle (createRequire(__filename)): resolves node_modules and absolute paths. */
  requireFn: (id: string) => unknown;
  readFile?: (file: string) => string;
}

const notBuilt = (version: string) =>
  `The native modules are not built for Electron ${version}. Start Attest with "npm start", which builds them.`;

/**
 * A native binary inside app.asar is loaded from its unpacked copy (asarUnpack: **\/*.node): worker threads
 * get the real path, and nothing is extracted to a temp folder.
 */
export function unpackedPath(file: string): string {
  return file.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

export function chooseNativeModules(opts: NativeModuleOptions): NativeModuleChoice {
  const defaultKeytar = () => opts.requireFn(KEYTAR_PACKAGE);
  const layout = electronNativeLayout(opts.outDir);
  const stamp = readStamp(layout.stampFile, opts.readFile ?? ((f) => fs.readFileSync(f, 'utf8')));
  if (!stamp || stamp.electronVersion !== opts.electronVersion || !stamp.modules[SQLITE_PACKAGE]) {
    return { sqliteNativeBinding: undefined, loadKeytar: defaultKeytar, problem: notBuilt(opts.electronVersion) };
  }
  // keytar is optional and N-API (ABI-stable): without an Electron build, node_modules' copy still loads.
  const loadKeytar = stamp.modules[KEYTAR_PACKAGE] ? () => opts.requireFn(layout.keytarDir) : defaultKeytar;
  return { sqliteNativeBinding: unpackedPath(layout.sqliteBinding), loadKeytar, problem: null };
}

function readStamp(file: string, readFile: (f: string) => string): ElectronNativeStamp | null {
  try {
    const value: unknown = JSON.parse(readFile(file));
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as ElectronNativeStamp).electronVersion === 'string' &&
      typeof (value as ElectronNativeStamp).modules === 'object' &&
      (value as ElectronNativeStamp).modules !== null
    ) {
      return value as ElectronNativeStamp;
    }
    return null;
  } catch {
    return null;
  }
}
