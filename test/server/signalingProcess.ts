import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A signaling server run as its own process (`node server/signaling.mjs`), as in production. */
export interface SignalingProcess {
  url: string;
  child: ChildProcess;
  /** Lines the process printed (its log: timestamped, labelled, counts only). */
  output: string[];
  /** SIGKILL: no goodbye to clients or Redis, as when a machine dies. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('../../server/signaling.mjs', import.meta.url));

/** Starts the server on a free loopback port and resolves once it listens and, with Redis, is bridged. */
export async function startSignalingProcess(label: string, env: Record<string, string> = {}): Promise<SignalingProcess> {
  const child = spawn(process.execPath, [SCRIPT, '--port', '0', '--label', label], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const collect = (text: string) => output.push(...text.split('\n').filter(Boolean));
  child.stdout!.setEncoding('utf8').on('data', collect);
  child.stderr!.setEncoding('utf8').on('data', collect);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`signaling ${label} did not start:\n${output.join('\n')}`)), 15_000);
    child.stdout!.on('data', () => {
      const match = output.map((line) => /^Signaling server listening on (ws:\/\/\S+)$/.exec(line)).find(Boolean);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', () => reject(new Error(`signaling ${label} exited:\n${output.join('\n')}`)));
  });
  if (env.REDIS_URL) await waitForHealth(url);
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { url, child, output, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

/** /healthz answers 200 once the Redis bridge is up. */
async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 15_000;
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
