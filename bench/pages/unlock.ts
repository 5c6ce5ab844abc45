import { calibratePwhashInWorker, derivePassphraseKeyInWorker } from '../../crypto/pwhashWorker.js';
import { OWASP_PARAMS, PWHASH_SALT_BYTES, type PwhashParams } from '../../crypto/pwhash.js';
import { now } from './common.js';

export interface UnlockSample {
  /** Wall time of one unlock's derivation as the app runs it: a fresh worker, libsodium sumo loaded, argon2id. */
  wallMs: number;
  /** argon2id alone, timed inside the worker. */
  hashMs: number;
}

async function derive(params: PwhashParams): Promise<UnlockSample> {
  const salt = crypto.getRandomValues(new Uint8Array(PWHASH_SALT_BYTES));
  const started = now();
  const result = await derivePassphraseKeyInWorker('kettle lantern tuesday moss', salt, params);
  if (!result) throw new Error('argon2id did not run in the worker');
  const wallMs = now() - started;
  result.key.fill(0);
  return { wallMs, hashMs: result.ms };
}

/** Calibrates as the app does when a lock is set, then unlocks `runs` times at the chosen parameters and at OWASP's floor. */
export async function unlockRun({ runs }: { runs: number }): Promise<{
  params: PwhashParams;
  calibrationMs: number;
  chosen: UnlockSample[];
  floor: UnlockSample[];
}> {
  const calibrated = await calibratePwhashInWorker();
  if (!calibrated) throw new Error('calibration did not run in the worker');
  const chosen: UnlockSample[] = [];
  const floor: UnlockSample[] = [];
  for (let run = 0; run < runs; run++) {
    chosen.push(await derive(calibrated.params));
    floor.push(await derive(OWASP_PARAMS));
  }
  return { params: calibrated.params, calibrationMs: calibrated.ms, chosen, floor };
}
