import fs from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { contentTypeFor } from './content-types';

// Serves the built renderer (out/renderer) read-only. Paths are decoded once and refused when they
// contain a NUL, a backslash or a `..` segment; the resolved file must stay inside the real static
// directory even through symlinks. Unknown extension-less paths fall back to index.html (SPA).

export type StaticLookup =
  | { kind: 'file'; file: string; size: number }
  | { kind: 'bad-path' }
  | { kind: 'not-found' };

/**
 * Decodes the URL path (without query) into segments, or null when it is not a safe relative path:
 * bad percent-encoding, NUL, backslash, `.`/`..` segments (also when they were percent-encoded).
 */
export function safeSegments(urlPath: string): string[] | null {
  if (!urlPath.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '.' || s === '..')) return null;
  return segments;
}

export class StaticFiles {
  private realRoot: string | null = null;

  constructor(private readonly root: string) {}

  private async rootDir(): Promise<string> {
    this.realRoot ??= await fs.promises.realpath(this.root);
    return this.realRoot;
  }

  /** Finds the file for a URL path: the file itself, index.html for directories and extension-less misses. */
  async lookup(urlPath: string): Promise<StaticLookup> {
    const segments = safeSegments(urlPath);
    if (!segments) return { kind: 'bad-path' };
    let root: string;
    try {
      root = await this.rootDir();
    } catch {
      return { kind: 'not-found' };
    }
    const direct = await this.regularFileInside(root, path.join(root, ...segments));
    if (direct) return direct;
    const last = segments[segments.length - 1] ?? '';
    if (path.extname(last) !== '') return { kind: 'not-found' };
    // SPA fallback: "/", "/events", "/some/dir" all get the app shell.
    return (await this.regularFileInside(root, path.join(root, 'index.html'))) ?? { kind: 'not-found' };
  }

  private async regularFileInside(root: string, candidate: string): Promise<StaticLookup | null> {
    try {
      const real = await fs.promises.realpath(candidate);
      if (real !== root && !real.startsWith(root + path.sep)) return null;
      const stat = await fs.promises.stat(real);
      return stat.isFile() ? { kind: 'file', file: real, size: stat.size } : null;
    } catch {
      return null;
    }
  }
}

/** Streams a looked-up file with its content type; errors mid-stream just end the connection. */
export function sendFile(res: ServerResponse, file: string, size: number, headers: Record<string, string>): void {
  res.writeHead(200, {
    ...headers,
    'Content-Type': contentTypeFor(file),
    'Content-Length': String(size),
    // The app is served per launch with a new token and port: nothing is worth caching.
    'Cache-Control': 'no-store',
  });
  const stream = fs.createReadStream(file);
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
