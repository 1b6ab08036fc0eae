import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBoundaries } from './import-rules';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('architecture boundaries', () => {
  it('the real tree keeps every boundary', () => {
    const found = checkBoundaries(root).map((v) => `${v.ref.file}:${v.ref.line} ${v.ref.specifier} — ${v.rule}`);
    expect(found).toEqual([]);
  });

  describe('the checker itself catches violations', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-boundaries-'));
    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp, rel), text);
    };
    write('electron/core/vault/bad.ts', "import { app } from 'electron';\nimport x from '../../host/registry';\n");
    write('electron/core/vault/ok.ts', "import type { App } from 'electron';\n");
    write('electron/main/ok.ts', "import { app } from 'electron';\n");
    write('shared/bad.ts', "import fs from 'node:fs';\nimport { y } from '../electron/core/x';\n");
    write('renderer/src/bad.tsx', "import { ipcRenderer } from 'electron';\nimport z from '../../electron/core/vault/x';\n");
    write('electron/host/bad.cjs', "const { BrowserWindow } = require('electron');\n");

    it('reports each planted violation and nothing else', () => {
      const found = checkBoundaries(tmp).map((v) => `${v.ref.file}:${v.ref.line}`);
      expect(found.sort()).toEqual(
        [
          'electron/core/vault/bad.ts:1',
          'electron/core/vault/bad.ts:2',
          'electron/host/bad.cjs:1',
          'renderer/src/bad.tsx:1',
          'renderer/src/bad.tsx:1',
          'renderer/src/bad.tsx:2',
          'shared/bad.ts:1',
          'shared/bad.ts:2',
        ].sort(),
      );
    });
  });
});
