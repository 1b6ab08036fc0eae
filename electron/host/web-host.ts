import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Push } from '../../shared/contract';
import { AttestError, type Result } from '../../shared/result';
import type { CallContext, Registry } from './registry';
import { BodyError, discardRestOfBody, failure, internalError, readBody, sendResult } from './web-http';
import { PushSockets, webSocketToken } from './web-push';
import {
  LOOPBACK_HOST,
  bearerToken,
  isAllowedHost,
  isAllowedOrigin,
  newToken,
  securityHeaders,
  tokenMatches,
} from './web-security';
import { StaticFiles, sendFile } from './web-static';
import { UploadStore, UploadTooLargeError } from './web-upload';

// `attest serve`: the handler registry behind a loopback-only HTTP + WebSocket server, so the renderer runs
// in an ordinary browser. No electron import.
//
// Routes
//   GET  /<anything>          the built renderer (no token: the page itself reads it from the #fragment)
//   POST /rpc/<channel>       JSON body -> registry.dispatch -> JSON result envelope   (token)
//   POST /upload?name=<file>  raw body -> new 0600 file in uploadDir -> { path, name, bytes } (token)
//   GET  /ws                  WebSocket of pushes (token as `?token=` or sub-protocol `attest.token.<t>`)
//
// Every request: Host must be 127.0.0.1:<port> or localhost:<port> (DNS rebinding), Origin absent or one of
// ours. API requests: `Authorization: Bearer <token>`, compared in constant time. No CORS headers ever.
//
// The WebSocket token travels in the query string because browsers cannot set headers on a WebSocket; the
// renderer uses `?token=`. This server writes no access log, the connection never leaves the machine, and the
// page is never a Referer source (no-referrer), so the query string is no weaker than the header here.
// Clients that prefer not to put it in a URL may offer the sub-protocols ['attest.v1', 'attest.token.<t>'];
// the server then selects 'attest.v1' and never echoes the token.

export interface WebHostOptions {
  /** The handler registry (a real Registry; tests may pass any object with the same dispatch). */
  registry: Pick<Registry, 'dispatch'>;
  /** Subscribes to engine-wide pushes (idle lock, progress); returns the unsubscribe function. */
  onPush: (listener: (msg: Push) => void) => () => void;
  /** Built renderer (out/renderer); null serves the API only. */
  staticDir: string | null;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Recorded as the operator of every call made through this host. */
  operator: string;
  /** Where POST /upload writes files; created 0700; files are removed when the host closes. */
  uploadDir: string;
  /** Default 4 GiB. */
  maxUploadBytes?: number;
  /** Default 2 MiB. */
  maxRpcBytes?: number;
  /** Where unexpected errors go (never to the client). */
  logError?: (where: string, err: unknown) => void;
}

export interface RunningWebHost {
  /** http://127.0.0.1:<port>/#token=<token> — the fragment never reaches any server or log. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const DEFAULT_MAX_UPLOAD = 4 * 1024 ** 3;
const DEFAULT_MAX_RPC = 2 * 1024 ** 2;
const BODY_IDLE_MS = 30_000;
const RPC_PREFIX = '/rpc/';
const MAX_CHANNEL_NAME = 128;

export async function startWebHost(opts: WebHostOptions): Promise<RunningWebHost> {
  const token = newToken();
  const maxRpc = opts.maxRpcBytes ?? DEFAULT_MAX_RPC;
  const uploads = new UploadStore(opts.uploadDir, opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD);
  await uploads.purgeLeftovers();
  const staticFiles = opts.staticDir ? new StaticFiles(opts.staticDir) : null;
  const sockets = new PushSockets();
  const logError = (where: string, err: unknown) => {
    try {
      opts.logError?.(where, err);
    } catch {
      // A failing logger must not take a request down with it.
    }
  };
  let port = 0;
  let headers: Record<string, string> = {};
  let closing = false;

  const ctx: CallContext = {
    transport: 'web',
    operator: opts.operator,
    // HTTP calls are not tied to one socket; the browser app is single-user, so every open page hears it.
    push: (msg) => sockets.broadcast(msg),
  };

  async function handleRpc(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    let channel: string;
    try {
      channel = decodeURIComponent(pathname.slice(RPC_PREFIX.length));
    } catch {
      channel = '';
    }
    if (!channel || channel.length > MAX_CHANNEL_NAME || channel.includes('/')) {
      discardRestOfBody(req, res);
      return sendResult(res, failure('UNKNOWN_CHANNEL', 'Unknown channel.'), headers);
    }
    let body: Buffer;
    try {
      body = await readBody(req, maxRpc, BODY_IDLE_MS);
    } catch (err) {
      discardRestOfBody(req, res);
      if (err instanceof BodyError) return sendResult(res, failure(err.code, err.message), headers, err.status);
      throw err;
    }
    let payload: unknown = undefined;
    if (body.length > 0) {
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        return sendResult(res, failure('BAD_REQUEST', 'The request body is not valid JSON.'), headers);
      }
    }
    let result: Result<unknown>;
    try {
      result = await opts.registry.dispatch(channel, payload, ctx);
    } catch (err) {
      logError(`rpc ${channel.slice(0, 64)}`, err);
      result = internalError();
    }
    sendResult(res, result, headers);
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    try {
      const saved = await uploads.save(req, query.get('name'));
      sendResult(res, { ok: true, value: saved }, headers);
    } catch (err) {
      discardRestOfBody(req, res);
      if (err instanceof UploadTooLargeError) return sendResult(res, failure(err.code, err.message), headers, 413);
      if (err instanceof AttestError) return sendResult(res, failure(err.code, err.message), headers);
      logError('upload', err);
      sendResult(res, internalError(), headers);
    }
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (!staticFiles) return sendResult(res, failure('NOT_FOUND', 'This Attest host serves no pages.'), headers);
    const found = await staticFiles.lookup(pathname);
    if (found.kind === 'bad-path') return sendResult(res, failure('BAD_REQUEST', 'That path is not allowed.'), headers);
    if (found.kind === 'not-found') return sendResult(res, failure('NOT_FOUND', 'Not found.'), headers);
    sendFile(res, found.file, found.size, headers);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers, port)) {
      discardRestOfBody(req, res);
      return sendResult(res, failure('UNAUTHORIZED', 'This Attest host only answers to 127.0.0.1 and localhost.'), headers, 421);
    }
    if (!isAllowedOrigin(req.headers, port)) {
      discardRestOfBody(req, res);
      return sendResult(res, failure('UNAUTHORIZED', 'Requests from other sites are not allowed.'), headers, 403);
    }
    const target = splitTarget(req.url);
    if (!target) {
      discardRestOfBody(req, res);
      return sendResult(res, failure('BAD_REQUEST', 'That path is not allowed.'), headers);
    }
    const { pathname, query } = target;
    const isApi = pathname.startsWith(RPC_PREFIX) || pathname === '/rpc' || pathname === '/upload' || pathname === '/ws';
    if (isApi) {
      if (!tokenMatches(bearerToken(req.headers), token)) {
        discardRestOfBody(req, res);
        return sendResult(res, failure('UNAUTHORIZED', 'A valid access token is required.'), headers);
      }
      const wanted = pathname === '/ws' ? 'GET' : 'POST';
      if (req.method !== wanted) return methodNotAllowed(req, res, wanted);
      if (pathname === '/ws') {
        // A plain GET with the token but without the upgrade handshake.
        return sendResult(res, failure('BAD_REQUEST', 'This address only speaks WebSocket.'), { ...headers, Upgrade: 'websocket' }, 426);
      }
      if (closing) {
        discardRestOfBody(req, res);
        return sendResult(res, failure('CANCELLED', 'The web host is shutting down.'), headers, 503);
      }
      if (pathname === '/upload') return handleUpload(req, res, query);
      if (pathname === '/rpc') {
        discardRestOfBody(req, res);
        return sendResult(res, failure('UNKNOWN_CHANNEL', 'Unknown channel.'), headers);
      }
      return handleRpc(req, res, pathname);
    }
    if (req.method !== 'GET') return methodNotAllowed(req, res, 'GET');
    return handleStatic(req, res, pathname);
  }

  function methodNotAllowed(req: IncomingMessage, res: ServerResponse, allow: string): void {
    discardRestOfBody(req, res);
    sendResult(res, failure('BAD_REQUEST', `Use ${allow} here.`), { ...headers, Allow: allow }, 405);
  }

  function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
    const body = JSON.stringify(failure(status === 401 ? 'UNAUTHORIZED' : 'BAD_REQUEST', reason));
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\n` +
        'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\n\r\n${body}`,
    );
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (closing) return refuseUpgrade(socket, 503, 'The web host is shutting down.');
    if (!isAllowedHost(req.headers, port)) return refuseUpgrade(socket, 421, 'This Attest host only answers to 127.0.0.1 and localhost.');
    if (!isAllowedOrigin(req.headers, port)) return refuseUpgrade(socket, 403, 'Requests from other sites are not allowed.');
    const target = splitTarget(req.url);
    if (!target || target.pathname !== '/ws') return refuseUpgrade(socket, 404, 'Not found.');
    const presented = bearerToken(req.headers) ?? webSocketToken(req, target.query);
    if (!tokenMatches(presented, token)) return refuseUpgrade(socket, 401, 'A valid access token is required.');
    if (req.method !== 'GET') return refuseUpgrade(socket, 405, 'Use GET here.');
    try {
      sockets.accept(req, socket, head);
    } catch (err) {
      logError('websocket', err);
      socket.destroy();
    }
  }

  const server = http.createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      logError('request', err);
      if (!res.headersSent) sendResult(res, internalError(), headers);
      else res.destroy();
    });
  });
  // Slow or silent clients: headers must arrive promptly; bodies have their own idle timers (uploads of
  // several GiB must not be cut off by a total-time limit).
  server.headersTimeout = 15_000;
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;
  server.maxConnections = 256;
  server.on('upgrade', onUpgrade);
  // Unparseable requests never reach a handler; answer without echoing anything back.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!(socket as Socket).writable) return socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(
        err.code === 'EADDRINUSE'
          ? new AttestError('IO', `Port ${opts.port ?? 0} on ${LOOPBACK_HOST} is already in use; choose another with --port.`)
          : err.code === 'EACCES'
            ? new AttestError('IO', `Port ${opts.port ?? 0} on ${LOOPBACK_HOST} may not be used by this account.`)
            : new AttestError('IO', 'The web host could not start listening.'),
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: LOOPBACK_HOST, port: opts.port ?? 0, exclusive: true });
  });
  const address = server.address();
  if (!address || typeof address === 'string' || address.address !== LOOPBACK_HOST) {
    server.close();
    throw new AttestError('INTERNAL', 'The web host did not bind to the loopback address.');
  }
  port = address.port;
  headers = securityHeaders(port);
  server.on('error', (err) => logError('server', err));

  const unsubscribe = opts.onPush((msg) => sockets.broadcast(msg));

  let closed: Promise<void> | null = null;
  return {
    url: `http://${LOOPBACK_HOST}:${port}/#token=${token}`,
    port,
    token,
    close() {
      closed ??= (async () => {
        closing = true;
        unsubscribe();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await sockets.close();
        await uploads.close();
        server.closeIdleConnections();
        // Give in-flight answers a moment, then cut whatever is left (stalled clients, long polls).
        const timer = setTimeout(() => server.closeAllConnections(), 2_000);
        await stopped;
        clearTimeout(timer);
      })();
      return closed;
    },
  };
}

/** Path and query of a request target; null for absolute-form or otherwise odd targets. */
function splitTarget(raw: string | undefined): { pathname: string; query: URLSearchParams } | null {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return null;
  const q = raw.indexOf('?');
  const pathname = q === -1 ? raw : raw.slice(0, q);
  const search = q === -1 ? '' : raw.slice(q + 1);
  return { pathname, query: new URLSearchParams(search) };
}
