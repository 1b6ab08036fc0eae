import { describe, expect, it } from 'vitest';
import { bearerToken, isAllowedHost, isAllowedOrigin, newToken, tokenMatches } from '../../../electron/host/web-security';
import { safeSegments } from '../../../electron/host/web-static';
import { displayName, safeExtension } from '../../../electron/host/web-upload';
import { statusForError } from '../../../electron/host/web-http';

// The web host's pure decisions, one by one (the server tests cover them end to end).

describe('web host parts', () => {
  it('makes 256-bit base64url tokens and compares them exactly', () => {
    const t = newToken();
    expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(`${t} `, t)).toBe(false);
    expect(tokenMatches(t.slice(1), t)).toBe(false);
    expect(tokenMatches('', t)).toBe(false);
    expect(tokenMatches(null, t)).toBe(false);
    expect(tokenMatches('x'.repeat(5000), t)).toBe(false);
  });

  it('reads only a well-formed Bearer header', () => {
    expect(bearerToken({ authorization: 'Bearer abc_-1' })).toBe('abc_-1');
    expect(bearerToken({ authorization: 'bearer abc' })).toBe('abc');
    expect(bearerToken({ authorization: 'Bearer a b' })).toBeNull();
    expect(bearerToken({})).toBeNull();
  });

  it('accepts only loopback Host and Origin values with the bound port', () => {
    expect(isAllowedHost({ host: '127.0.0.1:4000' }, 4000)).toBe(true);
    expect(isAllowedHost({ host: 'LOCALHOST:4000' }, 4000)).toBe(true);
    expect(isAllowedHost({ host: '127.0.0.1:40000' }, 4000)).toBe(false);
    expect(isAllowedHost({ host: '0.0.0.0:4000' }, 4000)).toBe(false);
    expect(isAllowedHost({}, 4000)).toBe(false);
    expect(isAllowedOrigin({}, 4000)).toBe(true);
    expect(isAllowedOrigin({ origin: 'http://localhost:4000' }, 4000)).toBe(true);
    expect(isAllowedOrigin({ origin: 'http://localhost:4000.evil.example' }, 4000)).toBe(false);
    expect(isAllowedOrigin({ origin: 'null' }, 4000)).toBe(false);
    expect(isAllowedHost({ host: '127.0.0.1' }, 4000)).toBe(false);
    expect(isAllowedHost({ host: '127.0.0.1' }, 80)).toBe(true);
    expect(isAllowedOrigin({ origin: 'http://localhost' }, 80)).toBe(true);
  });

  it('decodes static paths once and refuses traversal, NUL and backslashes', () => {
    expect(safeSegments('/assets/app.js')).toEqual(['assets', 'app.js']);
    expect(safeSegments('/a%20b.txt')).toEqual(['a b.txt']);
    for (const bad of ['/..', '/a/../b', '/%2e%2e/x', '/a%2f..%2fb', '/x%00', '/a%5cb', '/%E0%A4%A', 'relative']) {
      expect(safeSegments(bad), bad).toBeNull();
    }
  });

  it('keeps only a printable base name and a plain extension from client file names', () => {
    expect(displayName('../../etc/passwd')).toBe('passwd');
    expect(displayName('C:\\logs\\auth.log')).toBe('auth.log');
    expect(displayName('a\u202eexe.txt\n')).toBe('aexe.txt');
    expect(displayName(null)).toBe('upload');
    expect(safeExtension('auth.LOG')).toBe('.log');
    expect(safeExtension('x.tar.gz')).toBe('.gz');
    expect(safeExtension('x.j$on')).toBe('');
    expect(safeExtension('noext')).toBe('');
  });

  it('gives every error code an HTTP status', () => {
    expect(statusForError({ code: 'LOCKED', message: '' })).toBe(423);
    expect(statusForError({ code: 'UNAUTHORIZED', message: '' })).toBe(401);
    expect(statusForError({ code: 'INTERNAL', message: '' })).toBe(500);
  });
});
