import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium, launchPersistent, startApp } from './harness.js';

/**
 * Hearth as an installable, offline-capable app: the built manifest and icons, the service
 * worker's precache list, and a real Chromium that installs the worker, then reloads with the
 * network off. Runs against dist/ (`npx vite build` first).
 */
const DIST = join(process.cwd(), 'dist');

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

function readManifest(): Record<string, unknown> & { icons: ManifestIcon[] } {
  return JSON.parse(readFileSync(join(DIST, 'manifest.webmanifest'), 'utf8')) as Record<string, unknown> & {
    icons: ManifestIcon[];
  };
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The URLs in the generated service worker's precache manifest. */
function precachedUrls(): string[] {
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
  return [...sw.matchAll(/\{url:"([^"]+)",revision:(?:"[^"]*"|null)\}/g)].map((match) => match[1]!);
}

describe('Hearth as an installable app', () => {
  it('has a manifest with every field installation needs, in a calm warm palette', () => {
    const manifest = readManifest();
    expect(manifest['name']).toBe('Hearth');
    expect(manifest['short_name']).toBe('Hearth');
    expect(String(manifest['description']).length).toBeGreaterThan(30);
    expect(manifest['display']).toBe('standalone');
    expect(manifest['start_url']).toBe('./');
    expect(manifest['scope']).toBe('./');
    expect(manifest['theme_color']).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest['background_color']).toMatch(/^#[0-9a-f]{6}$/i);
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest">');
  });

  it('ships 192 and 512 pixel PNG icons and a 512 maskable one, at their stated sizes', () => {
    const { icons } = readManifest();
    const pngs = icons.filter((icon) => icon.type === 'image/png');
    const want = [
      { sizes: '192x192', purpose: 'any' },
      { sizes: '512x512', purpose: 'any' },
      { sizes: '512x512', purpose: 'maskable' },
    ];
    for (const { sizes, purpose } of want) {
      expect(pngs.some((icon) => icon.sizes === sizes && (icon.purpose ?? 'any').split(' ').includes(purpose))).toBe(true);
    }
    for (const icon of pngs) {
      const [width, height] = icon.sizes.split('x').map(Number);
      expect(pngSize(join(DIST, icon.src))).toEqual({ width, height });
    }
    for (const icon of icons) expect(existsSync(join(DIST, icon.src))).toBe(true);
    expect(readFileSync(join(DIST, 'favicon.svg'), 'utf8')).toContain('<svg');
  });

  it('precaches the whole app shell and nothing from another origin', () => {
    const urls = precachedUrls();
    const assets = readdirSync(join(DIST, 'assets')).filter((file) => /\.(js|css)$/.test(file));
    expect(assets.length).toBeGreaterThan(1);
    const icons = readdirSync(join(DIST, 'icons')).map((file) => `icons/${file}`);
    for (const needed of ['index.html', 'config.json', 'manifest.webmanifest', 'favicon.svg', ...icons, ...assets.map((file) => `assets/${file}`)]) {
      expect(urls, `${needed} is precached`).toContain(needed);
    }
    expect(urls.filter((url) => /^[a-z]+:/i.test(url) || url.startsWith('//'))).toEqual([]);
    const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
    expect(sw).toContain('createHandlerBoundToURL("index.html")');
    // generateSW with no runtimeCaching: the only routes are the precache and the navigation fallback.
    expect(sw.match(/registerRoute\(/g)?.length ?? 0).toBe(1);
  });

  describe('in Chromium', () => {
    let app: { url: string; close(): Promise<void> };
    let browser: Browser;

    beforeAll(async () => {
      [app, browser] = await Promise.all([startApp(), launchChromium()]);
    });

    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('is controlled by the service worker and still opens with the network off', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${app.url}/`);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
      const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
      expect(scope).toBe(`${app.url}/`);

      await context.setOffline(true);
      const offline = await page.reload();
      expect(offline?.fromServiceWorker()).toBe(true);
      expect(await page.title()).toBe('Hearth');
      // The app's code ran from the cache: its element is defined and rendered.
      await page.waitForFunction(() => customElements.get('hearth-app') !== undefined && document.querySelector('hearth-app')?.shadowRoot);
      await page.screenshot({ path: join(process.cwd(), 'test-output', 'pwa-offline.png') }).catch(() => undefined);

      // A deep link opened offline falls back to the app shell.
      const deep = await page.goto(`${app.url}/some/where/deep`);
      expect(deep?.fromServiceWorker()).toBe(true);
      expect(await page.title()).toBe('Hearth');
      await context.close();
    });
  });

  it('meets Chromium\'s own installability checks', async () => {
    const [served, profile] = await Promise.all([startApp(), launchPersistent()]);
    try {
      const page = profile.context.pages()[0] ?? (await profile.context.newPage());
      await page.goto(`${served.url}/`);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
      const cdp = await profile.context.newCDPSession(page);
      const manifest = (await cdp.send('Page.getAppManifest')) as { errors: { message: string }[] };
      expect(manifest.errors).toEqual([]);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
        installabilityErrors: { errorId: string }[];
      };
      expect(installabilityErrors.map((error) => error.errorId)).toEqual([]);
    } finally {
      await profile.context.close();
      profile.remove();
      await served.close();
    }
  });
});
