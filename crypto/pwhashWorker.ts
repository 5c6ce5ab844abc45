import type { PwhashParams } from './pwhash.js';

/** Messages to and from pwhash.worker.ts. */
export type PwhashRequest =
  | { op: 'calibrate' }
  | { op: 'derive'; passphrase: string; salt: Uint8Array; params: PwhashParams };

export type PwhashResponse =
  | { ok: true; op: 'calibrate'; params: PwhashParams; ms: number }
  | { ok: true; op: 'derive'; key: Uint8Array; ms: number }
  | { ok: false; error: string };

function inWorker(request: PwhashRequest): Promise<PwhashResponse> {
  return new Promise((resolve) => {
    // Vite bundles the worker (and the libsodium sumo build inside it) as a file of its own.
    const worker = new Worker(new URL('./pwhash.worker.ts', import.meta.url), { type: 'module' });
    const finish = (response: PwhashResponse): void => {
      worker.terminate();
      resolve(response);
    };
    worker.onmessage = (event: MessageEvent<PwhashResponse>) => finish(event.data);
    worker.onerror = () => finish({ ok: false, error: 'worker-failed' });
    worker.postMessage(request);
  });
}

/** argon2id in a Web Worker: the key, or null when the worker could not run it. */
export async function derivePassphraseKeyInWorker(
  passphrase: string,
  salt: Uint8Array,
  params: PwhashParams,
): Promise<{ key: Uint8Array; ms: number } | null> {
  const response = await inWorker({ op: 'derive', passphrase, salt, params });
  return response.ok && response.op === 'derive' ? { key: response.key, ms: response.ms } : null;
}

/** This device's argon2id parameters (see calibratePwhash), measured in a Web Worker. */
export async function calibratePwhashInWorker(): Promise<{ params: PwhashParams; ms: number } | null> {
  const response = await inWorker({ op: 'calibrate' });
  return response.ok && response.op === 'calibrate' ? { params: response.params, ms: response.ms } : null;
}
