import { ResultEnvelopeSchema } from '../../../shared/contract';
import { ApiError } from './api-error';
import type { Transport } from './transport';

const MISSING_TOKEN =
  'This page needs the full address printed by `attest serve`, including its #token=… part. Open that address again.';
const UNREACHABLE = 'Cannot reach the Attest host. Check that `attest serve` is still running.';

/** Reconnect delays for the push socket: quick at first, then at most every 15 s. */
export function backoffMs(attempt: number): number {
  return Math.min(15_000, 500 * 2 ** Math.max(0, attempt));
}

export interface WebTransportOptions {
  token: string | null;
  fetchImpl?: typeof fetch;
  WebSocketImpl?: typeof WebSocket;
  location?: Pick<Location, 'protocol' | 'host'>;
}

/** Browser mode: POST /rpc/<channel>, pushes over /ws, uploads over POST /upload. */
export function createWebTransport(opts: WebTransportOptions): Transport {
  const { token } = opts;
  const fetchImpl = opts.fetchImpl ?? ((input, init) => fetch(input, init));
  const loc = opts.location ?? window.location;
  const listeners = new Set<(push: unknown) => void>();
  let socket: WebSocket | null = null;
  let attempt = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  function requireToken(): string {
    if (!token) throw new ApiError('UNAUTHORIZED', MISSING_TOKEN);
    return token;
  }

  function connect(): void {
    if (!token || socket || listeners.size === 0) return;
    const WS = opts.WebSocketImpl ?? WebSocket;
    const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WS(`${scheme}://${loc.host}/ws?token=${encodeURIComponent(token)}`);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
    };
    ws.onmessage = (msg: MessageEvent) => {
      if (typeof msg.data !== 'string') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(msg.data);
      } catch {
        return;
      }
      for (const listener of [...listeners]) listener(parsed);
    };
    ws.onclose = () => {
      socket = null;
      if (listeners.size === 0) return;
      reconnectTimer = setTimeout(() => {
        reconnectTimer = null;
        connect();
      }, backoffMs(attempt++));
    };
  }

  function disconnect(): void {
    if (reconnectTimer) clearTimeout(reconnectTimer);
    reconnectTimer = null;
    const ws = socket;
    socket = null;
    if (ws) {
      ws.onclose = null;
      ws.close();
    }
  }

  async function readEnvelope(res: Response): Promise<unknown> {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new ApiError('TRANSPORT', `The Attest host answered with status ${res.status} and no readable result.`);
    }
    // Error statuses still carry an envelope (401 UNAUTHORIZED, 400 BAD_REQUEST): let the client read it.
    if (!res.ok && !ResultEnvelopeSchema.safeParse(body).success) {
      throw new ApiError('TRANSPORT', `The Attest host answered with status ${res.status}.`);
    }
    return body;
  }

  return {
    kind: 'web',
    async invoke(channel, payload) {
      const bearer = requireToken();
      let res: Response;
      try {
        res = await fetchImpl(`/rpc/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` },
          body: JSON.stringify(payload),
          cache: 'no-store',
        });
      } catch {
        throw new ApiError('TRANSPORT', UNREACHABLE);
      }
      return readEnvelope(res);
    },
    subscribe(listener) {
      listeners.add(listener);
      connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) disconnect();
      };
    },
    stageFile(file, onProgress, signal) {
      const bearer = requireToken();
      return new Promise<string>((resolve, reject) => {
        if (signal?.aborted) {
          reject(new ApiError('CANCELLED', 'The upload was cancelled.'));
          return;
        }
        const xhr = new XMLHttpRequest();
        // The host removes a partly written upload when its request is cut off.
        signal?.addEventListener('abort', () => xhr.abort(), { once: true });
        xhr.open('POST', `/upload?name=${encodeURIComponent(file.name)}`);
        xhr.setRequestHeader('Authorization', `Bearer ${bearer}`);
        xhr.setRequestHeader('Content-Type', 'application/octet-stream');
        xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
        xhr.onerror = () => reject(new ApiError('TRANSPORT', UNREACHABLE));
        xhr.onabort = () => reject(new ApiError('CANCELLED', 'The upload was cancelled.'));
        xhr.onload = () => {
          let body: unknown;
          try {
            body = JSON.parse(xhr.responseText);
          } catch {
            reject(new ApiError('TRANSPORT', `The upload failed with status ${xhr.status}.`));
            return;
          }
          const envelope = ResultEnvelopeSchema.safeParse(body);
          if (!envelope.success) {
            reject(new ApiError('BAD_RESPONSE', 'The Attest host answered the upload with something unexpected.'));
          } else if (!envelope.data.ok) {
            reject(ApiError.fromAppError(envelope.data.error));
          } else {
            const value = envelope.data.value;
            const path = typeof value === 'object' && value !== null && 'path' in value ? value.path : undefined;
            if (typeof path === 'string' && path) resolve(path);
            else reject(new ApiError('BAD_RESPONSE', 'The Attest host did not say where the upload was stored.'));
          }
        };
        xhr.send(file);
      });
    },
  };
}
