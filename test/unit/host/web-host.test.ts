import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Push } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { Registry, type CallContext, type HandlerTable } from '../../../electron/host/registry';
import { startWebHost, type RunningWebHost, type WebHostOptions } from '../../../electron/host/web-host';
import { canConnect, rawExchange, send, type Reply } from './web-host-helpers';

const INDEX_HTML = '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body>attest-app</body></html>';
const SECRET = 'TOP-SECRET-OUTSIDE-STATIC';

interface Fixture {
  dir: string;
  staticDir: string;
  uploadDir: string;
  host: RunningWebHost;
  port: number;
  auth: Record<string, string>;
  calls: Array<{ channel: string; payload: unknown; ctx: CallContext }>;
  emitPush: (msg: Push) => void;
  errors: unknown[];
}

/** A hand-made registry: a few channels with fixed answers, one that throws, everything else unknown. */
function fakeRegistry(calls: Fixture['calls']): WebHostOptions['registry'] {
  return {
    async dispatch(channel: string, payload: unknown, ctx: CallContext): Promise<Result<unknown>> {
      calls.push({ channel, payload, ctx });
      switch (channel) {
        case 'vault:status':
          return { ok: true, value: { locked: true, payload } };
        case 'vault:lock':
          ctx.push({ type: 'vault:locked', reason: 'operator' });
          return { ok: true, value: { locked: true } };
        case 'vault:unlock':
          return { ok: false, error: { code: 'AUTH_FAILED', message: 'The passphrase does not open this vault.' } };
        case 'vault:throttled':
          return { ok: false, error: { code: 'THROTTLED', message: 'Wait.', details: { retryAfterMs: 4500 } } };
        case 'boom':
          throw new Error(`exploded at /home/someone/secret/path.ts:12`);
        default:
          return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'Unknown channel.' } };
      }
    },
  };
}

async function setup(extra: Partial<WebHostOptions> = {}): Promise<Fixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-webhost-'));
  const staticDir = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log("app");');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.css'), 'body{}');
  fs.writeFileSync(path.join(dir, 'secret.txt'), SECRET);
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(staticDir, 'link.txt'));
  const uploadDir = path.join(dir, 'vault', 'tmp', 'uploads');
  const calls: Fixture['calls'] = [];
  const listeners = new Set<(msg: Push) => void>();
  const errors: unknown[] = [];
  const host = await startWebHost({
    registry: fakeRegistry(calls),
    onPush: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    staticDir,
    operator: 'tester',
    uploadDir,
    logError: (_where, err) => errors.push(err),
    ...extra,
  });
  return {
    dir,
    staticDir,
    uploadDir,
    host,
    port: host.port,
    auth: { Authorization: `Bearer ${host.token}` },
    calls,
    emitPush: (msg) => listeners.forEach((l) => l(msg)),
    errors,
  };
}

const rpc = (f: Fixture, channel: string, body: string | Buffer = '{}', headers: Record<string, string> = f.auth) =>
  send(f.port, { method: 'POST', path: `/rpc/${channel}`, headers: { 'Content-Type': 'application/json', ...headers }, body });

function envelopeCode(reply: Reply): string | undefined {
  const json = reply.json as { ok?: boolean; error?: { code?: string } } | undefined;
  return json?.ok === false ? json.error?.code : undefined;
}

function expectNoCors(reply: Reply) {
  for (const name of Object.keys(reply.headers)) expect(name.startsWith('access-control-')).toBe(false);
}

describe('web host', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await setup();
  });
  afterEach(async () => {
    await f.host.close();
    fs.rmSync(f.dir, { recursive: true, force: true });
  });

  describe('launch', () => {
    it('binds 127.0.0.1 only and prints a URL with a fresh 256-bit token in the fragment', async () => {
      expect(f.host.url).toBe(`http://127.0.0.1:${f.port}/#token=${f.host.token}`);
      expect(f.host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(f.host.token, 'base64url')).toHaveLength(32);
      expect(await canConnect('127.0.0.1', f.port)).toBe(true);
      expect(await canConnect('::1', f.port)).toBe(false);
      const external = Object.values(os.networkInterfaces())
        .flat()
        .filter((i) => i && !i.internal && i.family === 'IPv4')
        .map((i) => i!.address);
      for (const address of external) expect(await canConnect(address, f.port)).toBe(false);
    });

    it('uses a new token and port on every launch', async () => {
      const other = await setup();
      try {
        expect(other.host.token).not.toBe(f.host.token);
        expect(other.port).not.toBe(f.port);
      } finally {
        await other.host.close();
        fs.rmSync(other.dir, { recursive: true, force: true });
      }
    });

    it('refuses a port that is taken with a clear IO error', async () => {
      await expect(
        startWebHost({ registry: fakeRegistry([]), onPush: () => () => undefined, staticDir: null, operator: 'x', uploadDir: f.uploadDir, port: f.port }),
      ).rejects.toMatchObject({ code: 'IO', message: expect.stringContaining(`Port ${f.port}`) });
    });
  });

  describe('authentication', () => {
    it('refuses an API call without a token with 401 and an envelope', async () => {
      const reply = await rpc(f, 'vault:status', '{}', {});
      expect(reply.status).toBe(401);
      expect(envelopeCode(reply)).toBe('UNAUTHORIZED');
      expect(f.calls).toHaveLength(0);
    });

    it('refuses a wrong token, a token of another length and a non-Bearer scheme', async () => {
      const wrong = f.host.token.slice(0, -1) + (f.host.token.endsWith('A') ? 'B' : 'A');
      for (const value of [`Bearer ${wrong}`, `Bearer ${f.host.token}x`, 'Bearer x', `Basic ${f.host.token}`, f.host.token]) {
        const reply = await rpc(f, 'vault:status', '{}', { Authorization: value });
        expect(reply.status, value.slice(0, 8)).toBe(401);
        expect(envelopeCode(reply)).toBe('UNAUTHORIZED');
      }
      expect(f.calls).toHaveLength(0);
    });

    it('answers the right token with 200 and the registry value, as operator over web', async () => {
      const reply = await rpc(f, 'vault:status', '{"probeKeychain":false}');
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ ok: true, value: { locked: true, payload: { probeKeychain: false } } });
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(reply.headers['cache-control']).toBe('no-store');
      expect(f.calls[0]?.ctx.transport).toBe('web');
      expect(f.calls[0]?.ctx.operator).toBe('tester');
      expectNoCors(reply);
    });

    it('accepts a percent-encoded channel name (fetch encodes the colon)', async () => {
      const reply = await rpc(f, 'vault%3Astatus');
      expect(reply.status).toBe(200);
      expect(f.calls[0]?.channel).toBe('vault:status');
    });
  });

  describe('Host and Origin', () => {
    it('refuses foreign Host headers on the API and on static files (DNS rebinding)', async () => {
      for (const host of ['evil.example:' + f.port, '127.0.0.1', `127.0.0.1:${f.port + 1}`, `localhost.evil.example:${f.port}`, `[::1]:${f.port}`]) {
        const api = await send(f.port, { method: 'POST', path: '/rpc/vault:status', host, headers: f.auth, body: '{}' });
        expect(api.status, host).toBe(421);
        const page = await send(f.port, { path: '/', host });
        expect(page.status, host).toBe(421);
        expect(page.text).not.toContain('attest-app');
      }
      expect(f.calls).toHaveLength(0);
    });

    it('accepts localhost:<port> as Host', async () => {
      const reply = await send(f.port, { method: 'POST', path: '/rpc/vault:status', host: `localhost:${f.port}`, headers: f.auth, body: '{}' });
      expect(reply.status).toBe(200);
    });

    it('refuses a foreign Origin with 403, even with the right token', async () => {
      for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${f.port + 1}`, `https://127.0.0.1:${f.port}`]) {
        const reply = await rpc(f, 'vault:status', '{}', { ...f.auth, Origin: origin });
        expect(reply.status, origin).toBe(403);
        expect(envelopeCode(reply)).toBe('UNAUTHORIZED');
        expectNoCors(reply);
      }
      expect(f.calls).toHaveLength(0);
    });

    it('accepts its own origins', async () => {
      for (const origin of [`http://127.0.0.1:${f.port}`, `http://localhost:${f.port}`]) {
        expect((await rpc(f, 'vault:status', '{}', { ...f.auth, Origin: origin })).status).toBe(200);
      }
    });
  });

  describe('RPC', () => {
    it('answers an unknown channel with 404 and an UNKNOWN_CHANNEL envelope', async () => {
      const reply = await rpc(f, 'nope:never');
      expect(reply.status).toBe(404);
      expect(envelopeCode(reply)).toBe('UNKNOWN_CHANNEL');
    });

    it('answers malformed JSON with 400 BAD_REQUEST without calling the registry', async () => {
      const reply = await rpc(f, 'vault:status', '{"probeKeychain":');
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect(f.calls).toHaveLength(0);
    });

    it('treats an empty body as no payload', async () => {
      const reply = await rpc(f, 'vault:status', '');
      expect(reply.status).toBe(200);
      expect(f.calls[0]?.payload).toBeUndefined();
    });

    it('maps error codes to statuses and keeps the envelope', async () => {
      const auth = await rpc(f, 'vault:unlock', '{"method":"passphrase","passphrase":"x"}');
      expect(auth.status).toBe(403);
      expect(envelopeCode(auth)).toBe('AUTH_FAILED');
      const throttled = await rpc(f, 'vault:throttled');
      expect(throttled.status).toBe(429);
      expect(throttled.headers['retry-after']).toBe('5');
      expect(throttled.json).toMatchObject({ ok: false, error: { code: 'THROTTLED', details: { retryAfterMs: 4500 } } });
    });

    it('never leaks a stack trace or a path when dispatch throws', async () => {
      const reply = await rpc(f, 'boom');
      expect(reply.status).toBe(500);
      expect(envelopeCode(reply)).toBe('INTERNAL');
      expect(reply.text).not.toMatch(/secret|path\.ts|at |Error/);
      expect(f.errors).toHaveLength(1);
    });

    it('refuses an oversized body with 413, declared or chunked', async () => {
      const small = await setup({ maxRpcBytes: 1024 });
      try {
        const big = JSON.stringify({ pad: 'x'.repeat(4096) });
        const declared = await rpc(small, 'vault:status', big);
        expect(declared.status).toBe(413);
        expect(envelopeCode(declared)).toBe('BAD_REQUEST');
        const chunked = await send(small.port, {
          method: 'POST',
          path: '/rpc/vault:status',
          headers: { ...small.auth, 'Transfer-Encoding': 'chunked' },
          body: [Buffer.from('{"pad":"'), Buffer.alloc(2048, 0x61), Buffer.from('"}')],
        });
        expect(chunked.status).toBe(413);
        expect(small.calls).toHaveLength(0);
        // Still serving afterwards.
        expect((await rpc(small, 'vault:status')).status).toBe(200);
      } finally {
        await small.host.close();
        fs.rmSync(small.dir, { recursive: true, force: true });
      }
    });

    it('answers other methods with 405 and no CORS headers', async () => {
      const get = await send(f.port, { method: 'GET', path: '/rpc/vault:status', headers: f.auth });
      expect(get.status).toBe(405);
      expect(get.headers.allow).toBe('POST');
      const options = await send(f.port, {
        method: 'OPTIONS',
        path: '/rpc/vault:status',
        headers: { Origin: `http://127.0.0.1:${f.port}`, 'Access-Control-Request-Method': 'POST' },
      });
      expect([401, 405]).toContain(options.status);
      expectNoCors(options);
      const put = await send(f.port, { method: 'PUT', path: '/index.html' });
      expect(put.status).toBe(405);
      expect(put.headers.allow).toBe('GET');
      const head = await send(f.port, { method: 'DELETE', path: '/' });
      expect(head.status).toBe(405);
    });

    it('works with a real Registry: LOCKED is 423, unknown channel is 404, schema errors are 400', async () => {
      const handlers = {
        'vault:status': () => ({ locked: true }),
        'events:count': () => ({ count: 1 }),
      } as unknown as HandlerTable;
      const real = await setup({ registry: new Registry(handlers, { isUnlocked: () => false }) });
      try {
        const locked = await rpc(real, 'events:count', '{}');
        expect(locked.status).toBe(423);
        expect(envelopeCode(locked)).toBe('LOCKED');
        const unknown = await rpc(real, 'vault:explode', '{}');
        expect(unknown.status).toBe(404);
        expect(envelopeCode(unknown)).toBe('UNKNOWN_CHANNEL');
        const bad = await rpc(real, 'vault:status', '{"extra":1}');
        expect(bad.status).toBe(400);
        expect(envelopeCode(bad)).toBe('BAD_REQUEST');
      } finally {
        await real.host.close();
        fs.rmSync(real.dir, { recursive: true, force: true });
      }
    });
  });

  describe('static renderer', () => {
    it('serves index.html without a token, with the strict CSP and security headers', async () => {
      const reply = await send(f.port, { path: '/' });
      expect(reply.status).toBe(200);
      expect(reply.text).toBe(INDEX_HTML);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.headers['content-security-policy']).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
          `connect-src 'self' ws://127.0.0.1:${f.port} ws://localhost:${f.port}; object-src 'none'; ` +
          "base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
      );
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['referrer-policy']).toBe('no-referrer');
      expect(reply.headers['cache-control']).toBe('no-store');
      expect(reply.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(reply.headers['x-frame-options']).toBe('DENY');
      expectNoCors(reply);
    });

    it('serves assets with their content types', async () => {
      const js = await send(f.port, { path: '/assets/app.js?v=1' });
      expect(js.status).toBe(200);
      expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(js.text).toContain('console.log');
      const css = await send(f.port, { path: '/assets/app.css' });
      expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    });

    it('falls back to index.html for unknown paths without an extension, 404 for missing files', async () => {
      const spa = await send(f.port, { path: '/events/detail' });
      expect(spa.status).toBe(200);
      expect(spa.text).toBe(INDEX_HTML);
      const missing = await send(f.port, { path: '/assets/missing.js' });
      expect(missing.status).toBe(404);
      expect(missing.text).not.toContain('attest-app');
    });

    it('refuses path traversal, encoded or not, and NUL bytes', async () => {
      const attempts = [
        '/../secret.txt',
        '/%2e%2e/secret.txt',
        '/..%2fsecret.txt',
        '/%2e%2e%2fsecret.txt',
        '/assets/..%2f..%2fsecret.txt',
        '/assets/%2e%2e/%2e%2e/secret.txt',
        '/..%5csecret.txt',
        '/index.html%00.js',
        '/%00',
        '/%E0%A4%A',
        '//etc/passwd',
        'http://127.0.0.1/secret.txt',
      ];
      for (const p of attempts) {
        const reply = await send(f.port, { path: p });
        expect(reply.text, p).not.toContain(SECRET);
        expect([400, 404], p).toContain(reply.status);
      }
    });

    it('does not follow a symlink out of the static directory', async () => {
      const reply = await send(f.port, { path: '/link.txt' });
      expect(reply.status).toBe(404);
      expect(reply.text).not.toContain(SECRET);
    });

    it('serves only the API when staticDir is null', async () => {
      const api = await setup({ staticDir: null });
      try {
        const page = await send(api.port, { path: '/' });
        expect(page.status).toBe(404);
        expect(envelopeCode(page)).toBe('NOT_FOUND');
        expect((await rpc(api, 'vault:status')).status).toBe(200);
      } finally {
        await api.host.close();
        fs.rmSync(api.dir, { recursive: true, force: true });
      }
    });
  });

  describe('upload', () => {
    it('streams the body into a new 0600 file inside uploadDir and removes it on close', async () => {
      const content = Buffer.from('time,user\n2024-01-01T00:00:00Z,alice\n');
      const reply = await send(f.port, {
        method: 'POST',
        path: `/upload?name=${encodeURIComponent('../../etc/evil name.csv')}`,
        headers: { ...f.auth, 'Content-Type': 'application/octet-stream' },
        body: content,
      });
      expect(reply.status).toBe(200);
      const value = (reply.json as { ok: true; value: { path: string; name: string; bytes: number } }).value;
      expect(path.dirname(value.path)).toBe(path.resolve(f.uploadDir));
      expect(path.basename(value.path)).toMatch(/^upload-[0-9a-f]{32}\.csv$/);
      expect(value.name).toBe('evil name.csv');
      expect(value.bytes).toBe(content.length);
      expect(fs.readFileSync(value.path)).toEqual(content);
      expect(fs.statSync(value.path).mode & 0o777).toBe(0o600);
      expect(fs.statSync(f.uploadDir).mode & 0o777).toBe(0o700);
      await f.host.close();
      expect(fs.existsSync(value.path)).toBe(false);
    });

    it('refuses an upload without the token and writes nothing', async () => {
      const reply = await send(f.port, { method: 'POST', path: '/upload?name=a.csv', body: 'a,b\n' });
      expect(reply.status).toBe(401);
      expect(fs.existsSync(f.uploadDir) ? fs.readdirSync(f.uploadDir) : []).toEqual([]);
    });

    it('removes a half-received upload when the client goes away', async () => {
      const socket = net.connect({ host: '127.0.0.1', port: f.port });
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /upload?name=a.log HTTP/1.1\r\nHost: 127.0.0.1:${f.port}\r\nAuthorization: Bearer ${f.host.token}\r\nContent-Length: 100000\r\n\r\n`,
      );
      socket.write(Buffer.alloc(5000, 0x61));
      await expect.poll(() => (fs.existsSync(f.uploadDir) ? fs.readdirSync(f.uploadDir).length : 0)).toBe(1);
      socket.destroy();
      await expect.poll(() => fs.readdirSync(f.uploadDir)).toEqual([]);
      expect((await rpc(f, 'vault:status')).status).toBe(200);
    });

    it('leaves no file behind when a refused upload\'s file is opened only after the refusal (it opens asynchronously)', async () => {
      // Seen in a full test run on a busy machine: the refused upload's file was removed before its
      // asynchronous open created it, and an empty upload stayed behind.
      const small = await setup({ maxUploadBytes: 10 });
      // Make the race certain: each upload file is opened only after its refusal was answered.
      const realCreate = fs.createWriteStream;
      const spy = vi.spyOn(fs, 'createWriteStream').mockImplementation(((file: fs.PathLike, options?: Parameters<typeof fs.createWriteStream>[1]) =>
        realCreate(file, {
          ...(typeof options === 'object' ? options : {}),
          fs: { ...fs, open: (...args: Parameters<typeof fs.open>) => setTimeout(() => (fs.open as (...a: unknown[]) => void)(...args), 100) },
        } as Parameters<typeof fs.createWriteStream>[1])) as typeof fs.createWriteStream);
      try {
        const answers = await Promise.all(
          Array.from({ length: 5 }, () => send(small.port, { method: 'POST', path: '/upload?name=a.log', headers: { ...small.auth, 'Transfer-Encoding': 'chunked' }, body: [Buffer.alloc(64, 0x61)] })),
        );
        expect(answers.every((a) => a.status === 413)).toBe(true);
        await new Promise((r) => setTimeout(r, 300)); // past every delayed open
        expect(fs.existsSync(small.uploadDir) ? fs.readdirSync(small.uploadDir) : []).toEqual([]);
      } finally {
        spy.mockRestore();
        await small.host.close();
        fs.rmSync(small.dir, { recursive: true, force: true });
      }
    });

    it('refuses an oversized upload with 413 and leaves no file behind', async () => {
      const small = await setup({ maxUploadBytes: 1000 });
      try {
        // Refused from Content-Length alone, before any byte of the body arrives.
        const declared = await rawExchange(
          small.port,
          `POST /upload?name=a.log HTTP/1.1\r\nHost: 127.0.0.1:${small.port}\r\nAuthorization: Bearer ${small.host.token}\r\nContent-Length: 5000000000\r\n\r\n`,
          1000,
        );
        expect(declared).toMatch(/^HTTP\/1\.1 413/);
        const sent = await send(small.port, { method: 'POST', path: '/upload?name=a.log', headers: small.auth, body: Buffer.alloc(5000, 0x61) });
        expect(sent.status).toBe(413);
        const chunked = await send(small.port, {
          method: 'POST',
          path: '/upload?name=a.log',
          headers: { ...small.auth, 'Transfer-Encoding': 'chunked' },
          body: [Buffer.alloc(800, 0x61), Buffer.alloc(800, 0x62)],
        });
        expect(chunked.status).toBe(413);
        expect(envelopeCode(chunked)).toBe('BAD_REQUEST');
        expect(fs.existsSync(small.uploadDir) ? fs.readdirSync(small.uploadDir) : []).toEqual([]);
      } finally {
        await small.host.close();
        fs.rmSync(small.dir, { recursive: true, force: true });
      }
    });
  });

  describe('WebSocket', () => {
    const open = (url: string, options: WebSocket.ClientOptions = {}, protocols?: string[]) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = protocols ? new WebSocket(url, protocols, options) : new WebSocket(url, options);
        ws.once('open', () => resolve(ws));
        ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error('refused'), { status: res.statusCode })));
        ws.once('error', reject);
      });
    const nextMessage = (ws: WebSocket) =>
      new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));

    it('refuses a connection without a token or with a wrong one (401)', async () => {
      await expect(open(`ws://127.0.0.1:${f.port}/ws`)).rejects.toMatchObject({ status: 401 });
      await expect(open(`ws://127.0.0.1:${f.port}/ws?token=nope`)).rejects.toMatchObject({ status: 401 });
    });

    it('refuses a foreign Origin or Host even with the token', async () => {
      const url = `ws://127.0.0.1:${f.port}/ws?token=${f.host.token}`;
      await expect(open(url, { origin: 'http://evil.example' })).rejects.toMatchObject({ status: 403 });
      await expect(open(url, { headers: { Host: `evil.example:${f.port}` } })).rejects.toMatchObject({ status: 421 });
    });

    it('delivers engine pushes and pushes from calls to an authenticated socket', async () => {
      const ws = await open(`ws://127.0.0.1:${f.port}/ws?token=${encodeURIComponent(f.host.token)}`, { origin: `http://127.0.0.1:${f.port}` });
      try {
        const first = nextMessage(ws);
        f.emitPush({ type: 'vault:locked', reason: 'idle' });
        expect(await first).toEqual({ type: 'vault:locked', reason: 'idle' });
        const second = nextMessage(ws);
        await rpc(f, 'vault:lock');
        expect(await second).toEqual({ type: 'vault:locked', reason: 'operator' });
      } finally {
        ws.close();
      }
    });

    it('accepts the token as an attest.token.<t> sub-protocol and selects attest.v1', async () => {
      const ws = await open(`ws://127.0.0.1:${f.port}/ws`, {}, ['attest.v1', `attest.token.${f.host.token}`]);
      try {
        expect(ws.protocol).toBe('attest.v1');
      } finally {
        ws.close();
      }
    });

    it('closes sockets when the host closes', async () => {
      const ws = await open(`ws://127.0.0.1:${f.port}/ws?token=${f.host.token}`);
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      await f.host.close();
      expect(await closed).toBe(1001);
    });
  });

  describe('robustness', () => {
    it('survives garbage and half-sent requests and keeps serving', async () => {
      const garbage = await rawExchange(f.port, '\x16\x03\x01\x02\x00garbage\r\n\r\n', 1000);
      expect(garbage).toMatch(/^HTTP\/1\.1 400/);
      // A client that sends half its headers and stalls must not block others.
      const stalled = rawExchange(f.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${f.port}\r\n`, 500);
      expect((await rpc(f, 'vault:status')).status).toBe(200);
      await stalled;
      // Huge header block.
      const huge = await send(f.port, { path: '/', headers: { 'X-Pad': 'x'.repeat(64 * 1024) } }).catch(() => null);
      if (huge) expect(huge.status).toBe(431);
      expect((await send(f.port, { path: '/' })).status).toBe(200);
    });

    it('closes cleanly twice and stops listening', async () => {
      await Promise.all([f.host.close(), f.host.close()]);
      expect(await canConnect('127.0.0.1', f.port)).toBe(false);
    });

  });
});
