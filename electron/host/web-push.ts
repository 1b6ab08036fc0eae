import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Push } from '../../shared/contract';

// The push channel of the web host: a WebSocket at /ws that only sends (progress, lock events).
// The host authenticates the upgrade itself before handing it here (noServer mode), so one set of
// Host/Origin/token checks covers HTTP and WebSocket alike.

/** Sub-protocol the server selects when a client authenticates with `attest.token.<token>`. */
export const WS_PROTOCOL = 'attest.v1';
export const WS_TOKEN_PROTOCOL_PREFIX = 'attest.token.';

const HEARTBEAT_MS = 30_000;
/** Clients have nothing to say; a tiny limit keeps a garbage sender cheap. */
const MAX_CLIENT_MESSAGE = 4 * 1024;
/** A client that cannot keep up is dropped rather than buffered without bound. */
const MAX_BUFFERED = 8 * 1024 * 1024;

export class PushSockets {
  private readonly wss: WebSocketServer;
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_CLIENT_MESSAGE,
      clientTracking: true,
      perMessageDeflate: false,
      // Never echo the token protocol back; select our fixed protocol when the client offered any.
      handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
    });
    this.heartbeat = setInterval(() => this.sweep(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Completes an already-authorised upgrade. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.alive.set(ws, true);
      ws.on('pong', () => this.alive.set(ws, true));
      ws.on('message', () => undefined); // nothing to receive; ignore
      ws.on('error', () => ws.terminate());
    });
  }

  broadcast(message: Push): void {
    const text = JSON.stringify(message);
    for (const ws of this.wss.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        ws.terminate();
        continue;
      }
      ws.send(text, () => undefined);
    }
  }

  get size(): number {
    return this.wss.clients.size;
  }

  private sweep(): void {
    for (const ws of this.wss.clients) {
      if (this.alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      try {
        ws.ping();
      } catch {
        ws.terminate();
      }
    }
  }

  /** Says goodbye (1001 going away) to every client and stops the heartbeat. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    const clients = [...this.wss.clients];
    await Promise.all(
      clients.map(
        (ws) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              ws.terminate();
              resolve();
            }, 1000);
            ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            ws.close(1001, 'Attest is shutting down');
          }),
      ),
    );
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** Token from `?token=` or from an offered `attest.token.<token>` sub-protocol; null when neither. */
export function webSocketToken(req: IncomingMessage, query: URLSearchParams): string | null {
  const fromQuery = query.get('token');
  if (fromQuery) return fromQuery;
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return null;
  for (const raw of header.split(',')) {
    const p = raw.trim();
    if (p.startsWith(WS_TOKEN_PROTOCOL_PREFIX)) return p.slice(WS_TOKEN_PROTOCOL_PREFIX.length);
  }
  return null;
}
