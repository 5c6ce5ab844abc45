// Finds Debian's redis-server for the scale-out tests and benchmarks, installing it when this
// process may (root with apt), and starts throwaway servers on a free loopback port: no disk
// persistence, nothing but 127.0.0.1. Nothing is downloaded from anywhere but the system's
// package manager.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackage } from './debianPackage.mjs';

const CANDIDATES = [process.env.REDIS_SERVER_PATH, '/usr/bin/redis-server', '/usr/local/bin/redis-server'].filter(Boolean);
const READY_TIMEOUT_MS = 10_000;

export function findRedisServer() {
  return CANDIDATES.find((path) => path !== undefined && existsSync(path));
}

export function ensureRedisServer() {
  return ensureDebianPackage({
    packageName: 'redis-server',
    find: findRedisServer,
    purpose: 'The signaling scale-out tests need redis-server',
    pathVariable: 'REDIS_SERVER_PATH',
  });
}

/** A port that was free a moment ago on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts redis-server on a free loopback port and resolves once it accepts connections.
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function startRedis() {
  const binary = ensureRedisServer();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hearth-redis-'));
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), READY_TIMEOUT_MS);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (text) => {
        output += text;
        if (/Ready to accept connections/.test(output)) {
          clearTimeout(timer);
          resolve(undefined);
        }
      });
      child.stderr.on('data', (text) => (output += text));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}):\n${output}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
