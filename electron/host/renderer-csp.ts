// The renderer's Content-Security-Policy, built in one place for both places that serve it: the desktop
// shell's app:// protocol (electron/main/security-policy.ts) and the loopback web host (web-security.ts).

/**
 * Where the renderer is served from. The two policies are not identical today: the desktop one also pins
 * fonts, workers and frames and forbids form submission ('none'); the web one leaves those to default-src
 * and allows forms to post to itself. Both are kept exactly as they were; aligning them is a separate,
 * reviewed change.
 */
export type RendererCspTarget = 'desktop' | 'web';

export interface RendererCspOptions {
  target: RendererCspTarget;
  /** Sources the renderer may connect to besides its own origin ('self' is always first). */
  connectSrc: readonly string[];
}

/** The CSP header value: nothing remote, no inline script, no eval, no plugins, not frameable. */
export function rendererCsp(opts: RendererCspOptions): string {
  const connectSrc = `connect-src ${["'self'", ...opts.connectSrc].join(' ')}`;
  const shared = ["default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:"];
  const directives =
    opts.target === 'desktop'
      ? [
          ...shared,
          "font-src 'self'",
          connectSrc,
          "worker-src 'self'",
          "object-src 'none'",
          "frame-src 'none'",
          "child-src 'none'",
          "frame-ancestors 'none'",
          "base-uri 'none'",
          "form-action 'none'",
        ]
      : [...shared, connectSrc, "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"];
  return directives.join('; ');
}
