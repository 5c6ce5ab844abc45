import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS_POLICY, productionCsp, startDistServer } from '../../scripts/serveDist.mjs';

const META_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; worker-src 'self'; object-src 'none'; frame-ancestors 'none'";
const INDEX = `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${META_POLICY}"><title>Hearth</title></head><body></body></html>`;

/** A small dist/ as vite builds it: hashed assets, a service worker, config.json. */
function writeDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'hearth-dist-'));
  const files: Record<string, string> = {
    'index.html': INDEX,
    'assets/index-AbC123.js': 'console.log("app")',
    'assets/page-Xy9.css': 'body{}',
    'sw.js': 'self.addEventListener("fetch", () => {})',
    'manifest.webmanifest': '{"name":"Hearth"}',
    'config.json': JSON.stringify({ signaling: ['wss://signal-a.example.org', 'wss://signal-b.example.org:8443/path'], iceServers: [] }),
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dist, file)), { recursive: true });
    writeFileSync(join(dist, file), text);
  }
  writeFileSync(join(dist, '..', `${dist.split('/').pop()}-secret.txt`), 'outside dist');
  return dist;
}

describe('production mode: serving dist/ with every security header', () => {
  let dist: string;
  let server: Awaited<ReturnType<typeof startDistServer>>;
  beforeAll(async () => {
    dist = writeDist();
    server = await startDistServer({ dist, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dist, { recursive: true, force: true });
    rmSync(`${dist}-secret.txt`, { force: true });
  });
  const get = (path: string, init?: RequestInit) => fetch(server.url + path, init);

  it('sends the CSP as a header, with frame-ancestors and connect-src naming exactly the configured signaling servers', async () => {
    const response = await get('/');
    const csp = response.headers.get('content-security-policy') ?? '';

    expect(csp).toBe(
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'self'; object-src 'none'; " +
        "connect-src 'self' wss://signal-a.example.org wss://signal-b.example.org:8443; frame-ancestors 'none'",
    );
    expect(csp).not.toMatch(/ws:\/\/127\.0\.0\.1|localhost/);
    const html = await response.text();
    expect(html).toContain(`content="${csp.replace("; frame-ancestors 'none'", '')}"`);
  });

  it('allows the camera for the app itself only, and sends the other protective headers on every response', async () => {
    for (const path of ['/', '/assets/index-AbC123.js', '/sw.js', '/config.json', '/missing.png']) {
      const headers = (await get(path)).headers;
      expect(headers.get('permissions-policy'), path).toBe(PERMISSIONS_POLICY);
      expect(headers.get('content-security-policy'), path).toMatch(/frame-ancestors 'none'/);
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(headers.get('x-frame-options'), path).toBe('DENY');
    }
    expect(PERMISSIONS_POLICY).toMatch(/(^|, )camera=\(self\)(,|$)/);
    expect(PERMISSIONS_POLICY).toMatch(/microphone=\(\)/);
  });

  it('caches hashed assets for a year and revalidates index.html, the service worker, the manifest and config.json', async () => {
    expect((await get('/assets/index-AbC123.js')).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get('/assets/page-Xy9.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    for (const path of ['/', '/index.html', '/sw.js', '/manifest.webmanifest', '/config.json', '/some/route']) {
      expect((await get(path)).headers.get('cache-control'), path).toBe('no-cache');
    }
    expect((await get('/sw.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('serves the app for routes without a file, 404 for missing files, and nothing outside dist/', async () => {
    expect(await (await get('/groups/deep/route')).text()).toContain('<title>Hearth</title>');
    expect((await get('/missing.js')).status).toBe(404);
    const secret = `${dist.split('/').pop()}-secret.txt`;
    for (const path of [`/../${secret}`, `/%2e%2e/${secret}`, `/assets/%2e%2e/%2e%2e/${secret}`, '/%00', '/..%2f..%2fetc%2fpasswd']) {
      const response = await get(path);
      expect(await response.text(), path).not.toContain('outside dist');
      expect([400, 404, 200], path).toContain(response.status);
    }
    expect((await get('/', { method: 'POST' })).status).toBe(405);
    expect((await get('/assets/index-AbC123.js', { method: 'HEAD' })).headers.get('content-length')).toBe('18');
  });

  it('builds connect-src from the config alone, dropping anything that is not a ws: or wss: URL', () => {
    expect(productionCsp("default-src 'self'; connect-src *", ['wss://a.example', 'wss://a.example/x'])).toBe(
      "default-src 'self'; connect-src 'self' wss://a.example; frame-ancestors 'none'",
    );
  });
});

describe('npm run start:production', () => {
  let dist: string;
  afterEach(() => rmSync(dist, { recursive: true, force: true }));

  it('serves a given dist and config.json on HOST and PORT and stops on SIGTERM', async () => {
    dist = writeDist();
    const config = join(dist, 'deploy-config.json');
    writeFileSync(config, JSON.stringify({ signaling: ['wss://only.example.net'], iceServers: [] }));
    const script = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, '--production'], {
      env: { ...process.env, DIST: dist, CONFIG: config, HOST: '127.0.0.1', PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve) => {
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        output += text;
        const match = / on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output);
        if (match) resolve(match[1]!);
      });
    });
    const response = await fetch(`${url}/config.json`);
    expect(await response.json()).toEqual({ signaling: ['wss://only.example.net'], iceServers: [] });
    expect(response.headers.get('content-security-policy')).toMatch(/connect-src 'self' wss:\/\/only\.example\.net;/);
    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  });
});
