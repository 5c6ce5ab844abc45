// Runs the signaling server as its own process (`node server/signaling.mjs`), as in production,
// for the scale-out end-to-end tests and the signaling benchmark.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../server/signaling.mjs', import.meta.url));
const START_TIMEOUT_MS = 15_000;

/**
 * Starts the server on a free loopback port and resolves once it listens and, with REDIS_URL in
 * `env`, once its Redis bridge is up (/healthz answers 200).
 * @param {string} label names the process in its log lines
 * @param {Record<string, string>} [env] extra environment, e.g. REDIS_URL, SIGNALING_LIMITS
 */
export async function startSignalingProcess(label, env = {}) {
  const child = spawn(process.execPath, [SCRIPT, '--port', '0', '--label', label], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  /** @type {string[]} */
  const output = [];
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const collect = (/** @type {string} */ text) => output.push(...text.split('\n').filter(Boolean));
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`signaling ${label} did not start:\n${output.join('\n')}`)), START_TIMEOUT_MS);
    child.stdout.on('data', () => {
      const match = output.map((line) => /^Signaling server listening on (ws:\/\/\S+)$/.exec(line)).find(Boolean);
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`signaling ${label} exited:\n${output.join('\n')}`)));
  });
  if (env.REDIS_URL) await waitForHealth(url);
  /** @param {NodeJS.Signals} signal */
  const end = async (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    pid: /** @type {number} */ (child.pid),
    output,
    /** SIGKILL: no goodbye to clients or Redis, as when a machine dies. */
    kill: () => end('SIGKILL'),
    /** SIGTERM, and wait for the exit. */
    stop: () => end('SIGTERM'),
  };
}

/** @param {string} url */
async function waitForHealth(url) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const status = await fetch(`${url.replace('ws://', 'http://')}/healthz`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`signaling ${url} never became healthy`);
}
