import { describe, expect, it } from 'vitest';
import { contentTypeFor } from '../../../electron/host/content-types';

describe('contentTypeFor', () => {
  it('knows the renderer build outputs and falls back to octet-stream', () => {
    expect(contentTypeFor('x.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('x.SVG')).toBe('image/svg+xml');
    expect(contentTypeFor('x.woff2')).toBe('font/woff2');
    expect(contentTypeFor('/assets/index-abc.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('x.unknown')).toBe('application/octet-stream');
    expect(contentTypeFor('no-extension')).toBe('application/octet-stream');
  });
});
