import sodium from 'libsodium-wrappers-sumo';
import { calibratePwhash, derivePassphraseKey } from './pwhash.js';
import type { PwhashRequest, PwhashResponse } from './pwhashWorker.js';

/**
 * Runs argon2id off the page's thread: the page stays responsive while 64 MiB is hashed. One
 * worker per request; the page terminates it after the answer, which frees its memory.
 */
// The project compiles against the DOM lib (not "webworker"): the two parts of the worker scope used here.
interface WorkerScope {
  onmessage: ((event: MessageEvent<PwhashRequest>) => void) | null;
  postMessage(message: PwhashResponse, transfer: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = async (event: MessageEvent<PwhashRequest>) => {
  const request = event.data;
  let response: PwhashResponse;
  try {
    await sodium.ready;
    if (request.op === 'calibrate') {
      response = { ok: true, op: 'calibrate', ...calibratePwhash(sodium, () => performance.now()) };
    } else {
      const started = performance.now();
      const key = derivePassphraseKey(sodium, request.passphrase, request.salt, request.params);
      response = { ok: true, op: 'derive', key, ms: performance.now() - started };
    }
  } catch (error) {
    response = { ok: false, error: error instanceof Error ? error.name : 'error' };
  }
  scope.postMessage(response, response.ok && response.op === 'derive' ? [response.key.buffer] : []);
};
