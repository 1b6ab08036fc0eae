import { describe, expect, it } from 'vitest';
import { rendererCsp } from '../../../electron/host/renderer-csp';

// Exact strings: both hosts' policies were byte-for-byte these before they shared a builder.
describe('rendererCsp', () => {
  it('builds the desktop (app://) policy', () => {
    expect(rendererCsp({ target: 'desktop', connectSrc: [] })).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "worker-src 'self'; object-src 'none'; frame-src 'none'; child-src 'none'; frame-ancestors 'none'; base-uri 'none'; " +
        "form-action 'none'",
    );
  });

  it('builds the web host policy with its WebSocket origins after self', () => {
    expect(rendererCsp({ target: 'web', connectSrc: ['ws://127.0.0.1:4321', 'ws://localhost:4321'] })).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self' ws://127.0.0.1:4321 ws://localhost:4321; object-src 'none'; base-uri 'none'; " +
        "frame-ancestors 'none'; form-action 'self'",
    );
  });

  it('never allows inline script, eval or remote sources', () => {
    for (const target of ['desktop', 'web'] as const) {
      expect(rendererCsp({ target, connectSrc: [] })).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    }
  });
});
