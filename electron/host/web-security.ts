import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { rendererCsp } from './renderer-csp';

// The web host's security decisions, kept pure so they are testable without a server:
// the per-launch token, Host/Origin checks (DNS rebinding, cross-site requests) and the headers
// every response carries.

/** Only address the web host ever binds. Never 0.0.0.0 or ::. */
export const LOOPBACK_HOST = '127.0.0.1';

/** A fresh 256-bit token per launch, base64url (URL- and header-safe, no padding). */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/**
 * Constant-time token comparison. Both sides are hashed first so the compared buffers always have the
 * same length (timingSafeEqual throws otherwise) and the length of the real token is not revealed.
 */
export function tokenMatches(presented: string | null | undefined, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 1024) return false;
  const a = crypto.createHash('sha256').update(presented, 'utf8').digest();
  const b = crypto.createHash('sha256').update(expected, 'utf8').digest();
  return crypto.timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const value = headers.authorization;
  if (typeof value !== 'string') return null;
  // The scheme is case-insensitive (RFC 9110); the token itself is compared exactly.
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(value.trim());
  return match?.[1] ?? null;
}

/** Host header values the server answers to: exactly the loopback name and the bound port. */
export function allowedHosts(port: number): readonly string[] {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  // Browsers leave out the default port (only reachable with an explicit --port 80).
  return port === 80 ? [...hosts, '127.0.0.1', 'localhost'] : hosts;
}

/** Origins a browser page of this host has. Anything else (other ports, other sites, "null") is refused. */
export function allowedOrigins(port: number): readonly string[] {
  return allowedHosts(port).map((h) => `http://${h}`);
}

/**
 * Whether the Host header names this server. A DNS-rebinding page reaches 127.0.0.1 under its own name,
 * so its Host is foreign; refusing it keeps such pages away from even the static files.
 */
export function isAllowedHost(headers: IncomingHttpHeaders, port: number): boolean {
  const host = headers.host;
  return typeof host === 'string' && allowedHosts(port).includes(host.toLowerCase());
}

/** Whether the Origin header is absent (same-origin GET, non-browser client) or one of our own origins. */
export function isAllowedOrigin(headers: IncomingHttpHeaders, port: number): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  return typeof origin === 'string' && allowedOrigins(port).includes(origin.toLowerCase());
}

/** The renderer's CSP with the WebSocket origins of this launch (the app's own, minus nothing). */
export function contentSecurityPolicy(port: number): string {
  return rendererCsp({ target: 'web', connectSrc: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] });
}

/** Headers on every response, static or API. Deliberately no CORS headers, ever. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
}
