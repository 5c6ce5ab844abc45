import type { Browser, Page } from 'playwright-core';
import { fromBase64Url } from '../../crypto/index.js';
import { join } from 'node:path';
import { blankCamera, fakeCameraArgs, showToCamera } from './fakeCamera.js';
import { launchChromium } from './harness.js';
import type { VenueTestApi } from './pages/venuePage.js';

/** The venue suites' shared driving: a process's page API, waiting, and showing one screen to another's camera. */

type Api = VenueTestApi;
export type Call = { [K in keyof Api]: Api[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };

export interface Device {
  name: string;
  browser: Browser;
  page: Page;
  camera: string;
  call: Call;
  errors: string[];
}

/** Runs `hearthVenue[method](...args)` in the page. */
export function caller(page: Page): Call {
  return new Proxy({} as Call, {
    get:
      (_, method: string) =>
      (...args: unknown[]) =>
        page.evaluate(([name, params]) => (window as unknown as { hearthVenue: Record<string, (...a: unknown[]) => unknown> }).hearthVenue[name as string]!(...(params as unknown[])), [method, args] as const),
  });
}

export async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const start = Date.now();
  let value = await read();
  while (!done(value)) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

/** Puts what `from` shows in front of `to`'s camera. */
export async function show(from: Device, to: Device): Promise<void> {
  const image = await from.call.qrImage();
  const rgba = fromBase64Url(image.rgba);
  if (!rgba.ok) throw new Error('bad image');
  showToCamera(to.camera, { width: image.width, height: image.height, rgba: rgba.bytes });
}

/** `host` shows a code, `member` scans it and shows an answer, `host` scans that: both get the same short code. */
export async function meet(host: Device, member: Device): Promise<string> {
  const offer = await host.call.showCode();
  expect(offer.ok, offer.message).toBe(true);
  await show(host, member);
  const scanned = await member.call.scan();
  expect(scanned).toMatchObject({ ok: true, answered: true });
  await show(member, host);
  const answered = await host.call.scan();
  expect(answered).toMatchObject({ ok: true, answered: false });
  expect(answered.shortCode).toMatch(/^\d{3} \d{3}$/);
  expect(answered.shortCode).toBe(scanned.shortCode);
  return answered.shortCode!;
}


/** A Chromium process whose camera plays `<dir>/<name>.y4m`, on the venue test page. */
export async function launchVenueDevice(name: string, dir: string, url: string): Promise<Device> {
  const camera = join(dir, `${name}.y4m`);
  blankCamera(camera);
  const browser = await launchChromium(fakeCameraArgs(camera));
  const page = await browser.newPage();
  const device: Device = { name, browser, page, camera, call: caller(page), errors: [] };
  page.on('pageerror', (error) => device.errors.push(error.message));
  // The dev server builds the page's modules on first request: slow while other work shares the 2 cores.
  await page.goto(`${url}/test/e2e/pages/venue.html`, { timeout: 90_000 });
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 90_000 });
  return device;
}

/** The QR code an SVG on screen draws (components/invite/qr-path.ts: one 1×1 square per dark module), as RGBA at 8 px a module. */
export async function qrOnScreen(page: Page, name: string): Promise<{ width: number; height: number; rgba: Uint8Array }> {
  const svg = page.getByRole('img', { name });
  const [viewBox, d] = await Promise.all([svg.getAttribute('viewBox'), svg.locator('path').getAttribute('d')]);
  const span = Number(viewBox!.split(' ')[2]);
  const quiet = -Number(viewBox!.split(' ')[0]);
  const scale = 8;
  const width = span * scale;
  const rgba = new Uint8Array(width * width * 4).fill(255);
  for (const [, x, y] of d!.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const i = (((Number(y) + quiet) * scale + dy) * width + (Number(x) + quiet) * scale + dx) * 4;
        rgba.fill(0, i, i + 3);
      }
    }
  }
  return { width, height: width, rgba };
}
