import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { electronNativeLayout } from '../../../electron/main/native-modules';

// electron-builder cannot fetch its tools here, so the config is checked rather than run: parsed with the
// js-yaml electron-builder itself uses, validated against electron-builder's own schema, and its security
// settings asserted one by one.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const configText = fs.readFileSync(path.join(root, 'build', 'electron-builder.yml'), 'utf8');
const config = yaml.load(configText) as Record<string, unknown>;

describe('build/electron-builder.yml', () => {
  it("passes electron-builder's own configuration schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
    };
    await expect(validateConfiguration(config, { isEnabled: false, add: () => undefined })).resolves.toBeUndefined();
    // The validator does catch mistakes (so the assertion above can fail):
    await expect(
      validateConfiguration({ ...config, electronFuses: { runAsNod: false } }, { isEnabled: false, add: () => undefined }),
    ).rejects.toThrow(/electronFuses/);
  });

  it('flips every security fuse', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the app into an asar with native binaries unpacked', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
  });

  it('ships the built app and the Electron-ABI native modules main loads, and publishes nothing', () => {
    const files = config.files as string[];
    for (const entry of ['package.json', 'out/main/**', 'out/preload/**', 'out/renderer/**']) expect(files).toContain(entry);
    const layout = electronNativeLayout('out');
    expect(files).toContain(layout.stampFile.split(path.sep).join('/'));
    expect(files).toContain(layout.sqliteBinding.split(path.sep).join('/'));
    expect(config.npmRebuild).toBe(false);
    expect(config.publish).toBeNull();
    expect(config.productName).toBe('Attest');
    expect(typeof config.appId).toBe('string');
    for (const platform of ['linux', 'mac', 'win']) expect((config[platform] as { target?: unknown }).target).toBeTruthy();
  });
});
