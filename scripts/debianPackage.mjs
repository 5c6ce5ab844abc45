// Installs a Debian package the tests need when this process may (root with apt), and otherwise
// says exactly what to run. Nothing is downloaded from anywhere but the system's package manager.
import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Returns what `find` finds, installing `packageName` first when it finds nothing.
 * @param {object} wanted
 * @param {string} wanted.packageName Debian package, e.g. "chromium"
 * @param {() => string | undefined} wanted.find the binary's path, if installed
 * @param {string} wanted.purpose e.g. "Browser tests need Chromium"
 * @param {string} wanted.pathVariable environment variable that may point at the binary instead
 * @returns {string}
 */
export function ensureDebianPackage({ packageName, find, purpose, pathVariable }) {
  const found = find();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (isRoot && hasApt) {
    console.log(`${packageName} not found: installing Debian package "${packageName}" with apt-get…`);
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', packageName], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    const installed = find();
    if (installed) return installed;
  }
  console.error(
    `${purpose} and none was found.\n` +
      `Install it with:  sudo apt-get update && sudo apt-get install -y ${packageName}\n` +
      `or point ${pathVariable} at the binary.`,
  );
  process.exit(1);
}
