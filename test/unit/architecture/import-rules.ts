import fs from 'node:fs';
import path from 'node:path';

/** One import found in a source file. */
export interface ImportRef {
  file: string; // relative to the root, with forward slashes
  line: number;
  specifier: string;
  typeOnly: boolean;
}

const IMPORT_RE =
  /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/;

export function listSourceFiles(root: string, dir: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(abs);
  return out.map((p) => path.relative(root, p).split(path.sep).join('/'));
}

export function findImports(root: string, file: string): ImportRef[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const refs: ImportRef[] = [];
  text.split('\n').forEach((lineText, i) => {
    const m = IMPORT_RE.exec(lineText);
    if (!m) return;
    const specifier = m[3] ?? m[4] ?? m[5];
    if (!specifier) return;
    refs.push({ file, line: i + 1, specifier, typeOnly: Boolean(m[2]) });
  });
  return refs;
}

/** Where a relative import lands, as a root-relative path; null for package imports. */
export function resolveTarget(ref: ImportRef): string | null {
  if (!ref.specifier.startsWith('.')) return null;
  return path.posix.normalize(path.posix.join(path.posix.dirname(ref.file), ref.specifier));
}

export interface Violation {
  ref: ImportRef;
  rule: string;
}

const isElectron = (s: string) => s === 'electron' || s.startsWith('electron/');

/** The architecture's boundaries, as data: every import is checked against them. */
export function checkBoundaries(root: string): Violation[] {
  const violations: Violation[] = [];
  const files = ['electron', 'shared', 'renderer/src'].flatMap((d) => listSourceFiles(root, d));
  for (const file of files) {
    for (const ref of findImports(root, file)) {
      const target = resolveTarget(ref);
      const inMainOrPreload = file.startsWith('electron/main/') || file.startsWith('electron/preload/');
      if (isElectron(ref.specifier) && !ref.typeOnly && !inMainOrPreload) {
        violations.push({ ref, rule: "only electron/main and electron/preload may import 'electron'" });
      }
      if (file.startsWith('shared/')) {
        if (target && !target.startsWith('shared/')) violations.push({ ref, rule: 'shared/ imports nothing outside shared/' });
        if (!target && ref.specifier !== 'zod') violations.push({ ref, rule: 'shared/ may only use zod from packages' });
      }
      if (file.startsWith('electron/core/')) {
        if (ref.specifier === 'react' || ref.specifier.startsWith('react-') || ref.specifier.startsWith('react/'))
          violations.push({ ref, rule: 'electron/core never imports react' });
        if (target && /^electron\/(host|cli|main|preload)\//.test(target))
          violations.push({ ref, rule: 'electron/core never imports the host, CLI or shell' });
        if (target && target.startsWith('renderer/')) violations.push({ ref, rule: 'electron/core never imports the renderer' });
      }
      if (file.startsWith('renderer/')) {
        if (target && !target.startsWith('renderer/') && !target.startsWith('shared/'))
          violations.push({ ref, rule: 'renderer/ imports only shared/ and its own files' });
        if (!target && (isElectron(ref.specifier) || ref.specifier.startsWith('node:') || ref.specifier.includes('sqlite')))
          violations.push({ ref, rule: 'renderer/ imports no Electron, Node or native packages' });
      }
    }
  }
  return violations;
}
