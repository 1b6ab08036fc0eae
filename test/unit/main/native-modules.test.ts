import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseNativeModules, electronNativeLayout, unpackedPath } from '../../../electron/main/native-modules';

const outDir = path.join(path.sep, 'app', 'out');
const layout = electronNativeLayout(outDir);

function choose(stamp: unknown, electronVersion = '45.4.1') {
  const required: string[] = [];
  const choice = chooseNativeModules({
    outDir,
    electronVersion,
    requireFn: (id) => {
      required.push(id);
      return { id };
    },
    readFile: (file) => {
      if (file !== layout.stampFile || stamp === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return typeof stamp === 'string' ? stamp : JSON.stringify(stamp);
    },
  });
  return { choice, required };
}

const goodStamp = {
  electronVersion: '45.4.1',
  platform: 'linux',
  arch: 'x64',
  modules: { 'better-sqlite3-multiple-ciphers': '12.9.0', keytar: '7.9.0' },
};

describe('chooseNativeModules', () => {
  it('uses the Electron-ABI builds recorded in the stamp', () => {
    const { choice, required } = choose(goodStamp);
    expect(choice.problem).toBeNull();
    expect(choice.sqliteNativeBinding).toBe(layout.sqliteBinding);
    choice.loadKeytar();
    expect(required).toEqual([layout.keytarDir]);
  });

  it("falls back to node_modules' keytar when it was not rebuilt (it is N-API)", () => {
    const { choice, required } = choose({ ...goodStamp, modules: { 'better-sqlite3-multiple-ciphers': '12.9.0' } });
    expect(choice.problem).toBeNull();
    choice.loadKeytar();
    expect(required).toEqual(['keytar']);
  });

  it('reports a clear problem when nothing was built, the stamp is unreadable or for another Electron', () => {
    for (const { choice } of [choose(undefined), choose('{not json'), choose(goodStamp, '46.0.0'), choose({ ...goodStamp, modules: {} })]) {
      expect(choice.sqliteNativeBinding).toBeUndefined();
      expect(choice.problem).toMatch(/not built for Electron .*npm start/);
    }
  });
});

describe('unpackedPath', () => {
  it('points binaries inside app.asar at app.asar.unpacked and leaves other paths alone', () => {
    expect(unpackedPath('/opt/Attest/resources/app.asar/out/electron-native/x.node')).toBe(
      '/opt/Attest/resources/app.asar.unpacked/out/electron-native/x.node',
    );
    expect(unpackedPath('C:\\Attest\\resources\\app.asar\\out\\x.node')).toBe('C:\\Attest\\resources\\app.asar.unpacked\\out\\x.node');
    expect(unpackedPath('/work/main/out/electron-native/x.node')).toBe('/work/main/out/electron-native/x.node');
    expect(unpackedPath('/work/my-app.asar.d/x.node')).toBe('/work/my-app.asar.d/x.node');
  });
});
