import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_RESPONSE_HEADERS,
  CONTENT_SECURITY_POLICY,
  isAllowedExternalUrl,
  isAllowedSender,
  isAppUrl,
  isNavigationAllowed,
  isPermissionAllowed,
  isRemoteRequest,
} from '../../../electron/main/security-policy';

describe('isAppUrl', () => {
  it('accepts the app origin only', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://attest/')).toBe(true);
    expect(isAppUrl('app://attest/assets/index-abc.js')).toBe(true);
  });

  it.each([
    'app://attest.evil/',
    'app://evil/index.html',
    'app://attest:8080/',
    'app://user:pw@attest/',
    'https://attest/',
    'http://attest/index.html',
    'file:///work/out/renderer/index.html',
    'data:text/html,<p>x</p>',
    'about:blank',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('isAllowedSender', () => {
  it('accepts the main frame of an app page', () => {
    expect(isAllowedSender({ url: 'app://attest/index.html#/events', isMainFrame: true })).toBe(true);
  });

  it('refuses a sub-frame even of the app origin', () => {
    expect(isAllowedSender({ url: 'app://attest/index.html', isMainFrame: false })).toBe(false);
  });

  it('refuses main frames of other origins, gone frames and missing frames', () => {
    expect(isAllowedSender({ url: 'data:text/html,hi', isMainFrame: true })).toBe(false);
    expect(isAllowedSender({ url: 'https://example.com/', isMainFrame: true })).toBe(false);
    expect(isAllowedSender({ url: 'file:///etc/passwd', isMainFrame: true })).toBe(false);
    expect(isAllowedSender({ url: null, isMainFrame: true })).toBe(false);
    expect(isAllowedSender(null)).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  it('allows https pages on allow-listed hosts', () => {
    expect(isAllowedExternalUrl('https://gdpr-info.eu/art-17-gdpr/')).toBe(true);
    expect(isAllowedExternalUrl('https://schema.ocsf.io/1.3.0/classes/authentication')).toBe(true);
  });

  it.each([
    'http://gdpr-info.eu/',
    'https://gdpr-info.eu.evil.example/',
    'https://evil.example/?https://gdpr-info.eu/',
    'https://sub.gdpr-info.eu/',
    'https://user@gdpr-info.eu/',
    'https://gdpr-info.eu:8443/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'app://attest/index.html',
    'smb://gdpr-info.eu/share',
    'garbage',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('uses the list it is given', () => {
    expect(isAllowedExternalUrl('https://example.org/', ['example.org'])).toBe(true);
    expect(isAllowedExternalUrl('https://gdpr-info.eu/', [])).toBe(false);
  });
});

describe('isNavigationAllowed', () => {
  it('lets the main frame move within the app only', () => {
    expect(isNavigationAllowed('app://attest/index.html', true)).toBe(true);
    expect(isNavigationAllowed('https://example.com/', true)).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd', true)).toBe(false);
    expect(isNavigationAllowed('https://gdpr-info.eu/', true)).toBe(false);
  });

  it('never lets a sub-frame navigate', () => {
    expect(isNavigationAllowed('app://attest/index.html', false)).toBe(false);
    expect(isNavigationAllowed('about:srcdoc', false)).toBe(false);
  });
});

describe('isPermissionAllowed', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown'])(
    'denies %s, even to the app origin',
    (permission) => {
      expect(isPermissionAllowed(permission, 'app://attest')).toBe(false);
    },
  );
});

describe('isRemoteRequest', () => {
  it('flags everything that would reach a network', () => {
    for (const url of ['https://example.com/x.js', 'http://127.0.0.1:8080/', 'ws://localhost/', 'wss://x.example/', 'ftp://x/', '::bad']) {
      expect(isRemoteRequest(url), url).toBe(true);
    }
  });

  it("lets the app's own requests through", () => {
    for (const url of ['app://attest/assets/app.js', 'data:image/png;base64,AA==', 'blob:app://attest/1234', 'devtools://devtools/bundled/x.html']) {
      expect(isRemoteRequest(url), url).toBe(false);
    }
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values.join(' ')] as const;
    }),
  );

  it("is strict: default-src 'self', no inline script or eval, nothing remote, no framing", () => {
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('is sent with every app:// response', () => {
    expect(APP_RESPONSE_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(APP_RESPONSE_HEADERS['X-Content-Type-Options']).toBe('nosniff');
  });
});
