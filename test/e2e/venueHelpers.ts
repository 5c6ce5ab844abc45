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
