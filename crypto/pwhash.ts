import type SodiumSumo from 'libsodium-wrappers-sumo';

/**
 * Passphrase → key with argon2id (libsodium's crypto_pwhash, ARGON2ID13, one lane). Only the
 * app lock uses it, so the sumo build that has it is loaded in a Web Worker (pwhashWorker.ts)
 * and never on the first-paint path; this module takes that libsodium instance as an argument.
 */
export type SodiumSumoApi = typeof SodiumSumo;

export interface PwhashParams {
  alg: 'argon2id13';
  /** Passes over memory (argon2's t). */
  opslimit: number;
  /** Memory in bytes (argon2's m × 1024). */
  memlimit: number;
}

const MiB = 1024 * 1024;
/** RFC 9106's second recommended option (64 MiB, t=3), used where the device manages it in under a second. */
export const RFC9106_PARAMS: PwhashParams = { alg: 'argon2id13', opslimit: 3, memlimit: 64 * MiB };
/** OWASP's floor (19 MiB, t=2): what a slower device gets. Nothing weaker is ever used. */
export const OWASP_PARAMS: PwhashParams = { alg: 'argon2id13', opslimit: 2, memlimit: 19 * MiB };
/** Above this a derivation is too slow to bear on a phone. */
export const CALIBRATION_BUDGET_MS = 1000;
export const PWHASH_SALT_BYTES = 16;
export const PASSPHRASE_KEY_BYTES = 32;

/**
 * True when `params` lies between OWASP's floor and bounds a phone can run: parameters read
 * from disk are checked first, so a tampered record cannot ask for 4 GiB or for a trivial hash.
 */
export function isPwhashParams(value: unknown): value is PwhashParams {
  if (typeof value !== 'object' || value === null) return false;
  const { alg, opslimit, memlimit } = value as Partial<PwhashParams>;
  return (
    alg === 'argon2id13' &&
    Number.isInteger(opslimit) &&
    Number.isInteger(memlimit) &&
    opslimit! >= OWASP_PARAMS.opslimit &&
    opslimit! <= 10 &&
    memlimit! >= OWASP_PARAMS.memlimit &&
    memlimit! <= 256 * MiB &&
    memlimit! % 1024 === 0
  );
}

/** The 32-byte key for `passphrase` under `salt` and `params`; throws on parameters outside isPwhashParams. */
export function derivePassphraseKey(sodium: SodiumSumoApi, passphrase: string, salt: Uint8Array, params: PwhashParams): Uint8Array {
  if (!isPwhashParams(params)) throw new RangeError('argon2id parameters out of bounds');
  if (salt.length !== PWHASH_SALT_BYTES) throw new RangeError('argon2id salt must be 16 bytes');
  return sodium.crypto_pwhash(
    PASSPHRASE_KEY_BYTES,
    passphrase,
    salt,
    params.opslimit,
    params.memlimit,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
}

/**
 * Chooses this device's parameters once: RFC 9106's if one derivation takes under the budget,
 * else OWASP's. `now` is a clock in ms (performance.now in a worker).
 */
export function calibratePwhash(sodium: SodiumSumoApi, now: () => number): { params: PwhashParams; ms: number } {
  const salt = new Uint8Array(PWHASH_SALT_BYTES);
  const started = now();
  derivePassphraseKey(sodium, 'calibration', salt, RFC9106_PARAMS).fill(0);
  const ms = now() - started;
  return { params: ms < CALIBRATION_BUDGET_MS ? RFC9106_PARAMS : OWASP_PARAMS, ms };
}
