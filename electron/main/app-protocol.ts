import path from 'node:path';
import { readFile as fsReadFile } from 'node:fs/promises';
import { APP_HOST, APP_RESPONSE_HEADERS, APP_SCHEME } from './security-policy';
import { contentTypeFor } from '../host/content-types';

// The app:// protocol's request handling, without Electron: index.ts passes `createAppProtocolHandler(...)`
// to protocol.handle. Only files under the built renderer directory are ever served.

export type AppPathResolution = { ok: true; filePath: string } | { ok: false; status: 400 | 403 | 404 };

/**
 * Maps an app:// URL to a file under `rendererRoot`. Refuses (403) any segment that could leave the root
 * once decoded ('..', '.', encoded slashes or backslashes, NUL, drive letters), and re-checks containment
 * after resolving. Other hosts and schemes are 404: they are not the app.
 */
export function resolveAppPath(rawUrl: string, rendererRoot: string): AppPathResolution {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port !== '') return { ok: false, status: 404 };
  // The renderer routes with the hash, so '/' is the only path that means "the app".
  const pathname = url.pathname === '' || url.pathname === '/' ? '/index.html' : url.pathname;
  const segments: string[] = [];
  for (const raw of pathname.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400 };
    }
    if (segment === '.' || segment === '..' || /[\\/\0:]/.test(segment)) return { ok: false, status: 403 };
    if (segment === '') return { ok: false, status: 404 }; // "a//b" or a trailing slash: no directory listings
    segments.push(segment);
  }
  const root = path.resolve(rendererRoot);
  const filePath = path.resolve(root, ...segments);
  const relative = path.relative(root, filePath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { ok: false, status: 403 };
  return { ok: true, filePath };
}

export interface AppProtocolOptions {
  /** Directory of the built renderer (out/renderer). */
  rendererRoot: string;
  /** Injected for tests; defaults to fs.promises.readFile (which Electron patches to read inside app.asar). */
  readFile?: (filePath: string) => Promise<Uint8Array>;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
};

function errorResponse(status: number): Response {
  return new Response(STATUS_TEXT[status] ?? 'Error', {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...APP_RESPONSE_HEADERS },
  });
}

/** The handler given to protocol.handle('app', ...): GET/HEAD of files under the renderer root, with the CSP. */
export function createAppProtocolHandler(opts: AppProtocolOptions): (request: Request) => Promise<Response> {
  const readFile = opts.readFile ?? ((p: string) => fsReadFile(p));
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return errorResponse(405);
    const resolved = resolveAppPath(request.url, opts.rendererRoot);
    if (!resolved.ok) return errorResponse(resolved.status);
    let body: Uint8Array;
    try {
      body = await readFile(resolved.filePath);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      return errorResponse(code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' ? 404 : 500);
    }
    const headers = { 'Content-Type': contentTypeFor(resolved.filePath), ...APP_RESPONSE_HEADERS };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
