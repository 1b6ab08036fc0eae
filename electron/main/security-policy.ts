// Pure security decisions of the Electron shell. No electron import: Vitest checks them without Electron,
// and index.ts/harden.ts only wire them to Electron's hooks.

import { rendererCsp } from '../host/renderer-csp';

/** The privileged custom scheme the app is served from (never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'attest';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The Content-Security-Policy header sent with every app:// response. Nothing remote, no inline script,
 * no eval, no plugins, no frames (in either direction), no forms posting anywhere.
 */
export const CONTENT_SECURITY_POLICY = rendererCsp({ target: 'desktop', connectSrc: [] });

/** Headers every app:// response carries besides Content-Type. */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** True only for URLs of the app's own origin: app://attest/... (no port, no credentials). */
export function isAppUrl(raw: string): boolean {
  const url = parseUrl(raw);
  // Node's URL reports origin "null" for non-special schemes, so compare the parts instead.
  return (
    url !== null &&
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

/** What the IPC layer knows about the frame that sent a message. */
export interface SenderFrameInfo {
  /** The frame's current URL; null when the frame is gone (navigated away or destroyed). */
  url: string | null;
  /** Whether the frame is its window's main frame (not an iframe). */
  isMainFrame: boolean;
}

/** An IPC message is accepted only from the main frame of a page of the app's own origin. */
export function isAllowedSender(frame: SenderFrameInfo | null): boolean {
  return frame !== null && frame.isMainFrame && frame.url !== null && isAppUrl(frame.url);
}

/**
 * Hosts whose https pages may be opened in the user's browser (links in help text). Everything else,
 * including links that appear inside ingested log data, is dropped.
 */
export const EXTERNAL_URL_ALLOW_LIST: readonly string[] = ['gdpr-info.eu', 'eur-lex.europa.eu', 'schema.ocsf.io'];

/** True when `raw` is a plain https URL on an allow-listed host (exact host match, default port, no credentials). */
export function isAllowedExternalUrl(raw: string, allowList: readonly string[] = EXTERNAL_URL_ALLOW_LIST): boolean {
  const url = parseUrl(raw);
  return (
    url !== null &&
    url.protocol === 'https:' &&
    url.port === '' &&
    url.username === '' &&
    url.password === '' &&
    allowList.includes(url.hostname)
  );
}

/**
 * Whether a frame may navigate to `raw`. The main frame may only move within the app's own origin;
 * sub-frames may not navigate at all (the app has none, so any iframe is content that should not run).
 */
export function isNavigationAllowed(raw: string, isMainFrame: boolean): boolean {
  return isMainFrame && isAppUrl(raw);
}

const NETWORK_PROTOCOLS = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:']);

/**
 * Requests the session cancels: anything that would reach a network. The app loads only app://, data: and
 * blob: URLs; an unparsable URL is treated as remote.
 */
export function isRemoteRequest(raw: string): boolean {
  try {
    return NETWORK_PROTOCOLS.has(new URL(raw).protocol);
  } catch {
    return true;
  }
}

/**
 * Permission requests and checks (camera, notifications, clipboard read, geolocation, ...): all denied.
 * The app needs none of them; a function rather than a constant so a future exception is one reviewed line.
 */
export function isPermissionAllowed(_permission: string, _requestingOrigin: string): boolean {
  return false;
}
