// Types for scripts/signalingProcess.mjs (plain JavaScript run directly by node), for TypeScript callers.

export interface SignalingProcess {
  /** e.g. ws://127.0.0.1:40123 */
  url: string;
  pid: number;
  /** Lines the process printed (its log: timestamped, labelled, counts only). */
  output: string[];
  /** SIGKILL: no goodbye to clients or Redis, as when a machine dies. */
  kill(): Promise<void>;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
}

/** Starts `node server/signaling.mjs` on a free loopback port; with REDIS_URL, resolves once bridged. */
export function startSignalingProcess(label: string, env?: Record<string, string>): Promise<SignalingProcess>;
