import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, resolveAppPath } from '../../../electron/main/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/security-policy';

let base: string;
let root: string;
const SECRET = 'secret-outside-the-renderer';

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-protocol-'));
  root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Attest</title>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'a b.css'), 'body{}');
  // Siblings a prefix check would let through: renderer-secret/ and the parent folder.
  fs.mkdirSync(path.join(base, 'renderer-secret'));
  fs.writeFileSync(path.join(base, 'renderer-secret', 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(base, 'secret.txt'), SECRET);
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const handler = () => createAppProtocolHandler({ rendererRoot: root });
const get = (url: string, method = 'GET') => handler()(new Request(url, { method }));

describe('resolveAppPath', () => {
  it('maps / to index.html and paths to files under the root', () => {
    expect(resolveAppPath('app://attest/', root)).toEqual({ ok: true, filePath: path.join(root, 'index.html') });
    expect(resolveAppPath('app://attest/assets/app.js', root)).toEqual({ ok: true, filePath: path.join(root, 'assets', 'app.js') });
    expect(resolveAppPath('app://attest/assets/a%20b.css', root)).toEqual({ ok: true, filePath: path.join(root, 'assets', 'a b.css') });
  });

  it.each([
    'app://attest/..%2fsecret.txt',
    'app://attest/..%2F..%2Frenderer-secret%2Fsecret.txt',
    'app://attest/assets/..%5c..%5csecret.txt',
    'app://attest/%2e%2e%2fsecret.txt',
    'app://attest/assets%2F..%2F..%2Fsecret.txt',
    'app://attest/index.html%00.js',
    'app://attest/C:%5cWindows%5cwin.ini',
  ])('refuses the traversal %s with 403', (url) => {
    expect(resolveAppPath(url, root)).toEqual({ ok: false, status: 403 });
  });

  it('refuses other hosts and schemes with 404, and bad escapes with 400', () => {
    expect(resolveAppPath('app://evil/index.html', root)).toEqual({ ok: false, status: 404 });
    expect(resolveAppPath('app://attest:81/index.html', root)).toEqual({ ok: false, status: 404 });
    expect(resolveAppPath('file:///etc/passwd', root)).toEqual({ ok: false, status: 404 });
    expect(resolveAppPath('app://attest/%E0%A4%A', root)).toEqual({ ok: false, status: 400 });
    expect(resolveAppPath('app://attest/assets/', root)).toEqual({ ok: false, status: 404 });
  });
});

describe('createAppProtocolHandler', () => {
  it('serves index.html with the CSP and a content type', async () => {
    const res = await get('app://attest/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Attest</title>');
  });

  it('serves scripts as JavaScript', async () => {
    const res = await get('app://attest/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    'app://attest/..%2fsecret.txt',
    'app://attest/../secret.txt',
    'app://attest/%2e%2e/secret.txt',
    'app://attest/assets/../../renderer-secret/secret.txt',
    'app://attest/..%2F..%2Frenderer-secret%2Fsecret.txt',
  ])('never serves a file outside the root: %s', async (url) => {
    const res = await get(url);
    expect(res.status).not.toBe(200);
    expect(await res.text()).not.toContain(SECRET);
    // Refusals carry the CSP too.
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers 404 for missing files and folders, 405 for writes, an empty body for HEAD', async () => {
    expect((await get('app://attest/missing.js')).status).toBe(404);
    expect((await get('app://attest/assets')).status).toBe(404);
    expect((await get('app://attest/index.html', 'POST')).status).toBe(405);
    const head = await get('app://attest/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 500 when reading fails for another reason', async () => {
    const failing = createAppProtocolHandler({
      rendererRoot: root,
      readFile: () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })),
    });
    expect((await failing(new Request('app://attest/index.html'))).status).toBe(500);
  });
});
