// Finds Debian's Chromium for browser and end-to-end tests, installing it when this process
// may (root with apt), and otherwise says exactly what to run. Nothing is downloaded from
// anywhere but the system's package manager.
import { existsSync } from 'node:fs';
import { ensureDebianPackage } from './debianPackage.mjs';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);

/** Flags every Hearth test launches Chromium with (headless, offline from Google, no sandbox as root). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function findChromium() {
  return CANDIDATES.find((path) => existsSync(path));
}

export function ensureChromium() {
  return ensureDebianPackage({
    packageName: 'chromium',
    find: findChromium,
    purpose: 'Browser tests need Chromium',
    pathVariable: 'CHROMIUM_PATH',
  });
}
