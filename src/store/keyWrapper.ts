import { aeadOpen, aeadSeal, randomBytes } from '../../crypto/index.js';
import { isPwhashParams, PWHASH_SALT_BYTES, type PwhashParams } from '../../crypto/pwhash.js';

/**
 * The storage key (32 random bytes that seal every record at rest) is never stored as is: a
 * KeyWrapper turns it into a wrapped record kept in the `keys` store. Without the app lock the
 * wrapper is a non-extractable WebCrypto key (whose bytes the browser keeps in the profile);
 * with it, a key derived from the passphrase with argon2id (docs/PROTOCOL.md §Wrapped storage key).
 */
export interface WrappedStorageKey {
  /** Format of this record. */
  v: 1;
  /** Which wrapper made it; a store opened with another wrapper reports `locked`. */
  kind: string;
  /** Wrapper-specific fields, structured-cloned by IndexedDB (a CryptoKey stays non-extractable). */
  [field: string]: unknown;
}

export interface KeyWrapper {
  readonly kind: string;
  wrap(storageKey: Uint8Array): Promise<WrappedStorageKey>;
  /** The storage key, or null when this record does not open with this wrapper. */
  unwrap(wrapped: WrappedStorageKey): Promise<Uint8Array | null>;
}

// The default wrapper needs no libsodium, so the first screen can open the storage key before it loads.
export { webCryptoKeyWrapper, WEBCRYPTO_KIND } from './webCryptoKeyWrapper.js';

/** Kind of the record the app lock writes; format version 1 (`v`). */
export const PASSPHRASE_KIND = 'passphrase-argon2id';

/** The record the app lock keeps: nothing in it opens without the passphrase. */
interface PassphraseWrappedKey extends WrappedStorageKey, PwhashParams {
  kind: typeof PASSPHRASE_KIND;
  salt: Uint8Array;
  nonce: Uint8Array;
  /** XChaCha20-Poly1305 of the storage key under the derived key; associated data: passphraseContext(). */
  wrapped: Uint8Array;
}

/** argon2id (crypto/pwhashWorker.ts in the page): the 32-byte key, or null when it could not run. */
export type DerivePassphraseKey = (passphrase: string, salt: Uint8Array, params: PwhashParams) => Promise<Uint8Array | null>;

/** Binds the wrapped key to its format and parameters, so a record edited on disk does not open. */
function passphraseContext(params: PwhashParams): Uint8Array {
  return new TextEncoder().encode(`hearth:storage-key:passphrase:v1:${params.alg}:t=${params.opslimit}:m=${params.memlimit}`);
}

function isPassphraseWrappedKey(record: WrappedStorageKey): record is PassphraseWrappedKey {
  const { salt, nonce, wrapped } = record as Partial<PassphraseWrappedKey>;
  return (
    record.v === 1 &&
    record.kind === PASSPHRASE_KIND &&
    isPwhashParams({ alg: record['alg'], opslimit: record['opslimit'], memlimit: record['memlimit'] }) &&
    salt instanceof Uint8Array &&
    salt.length === PWHASH_SALT_BYTES &&
    nonce instanceof Uint8Array &&
    wrapped instanceof Uint8Array
  );
}

/**
 * The app lock's wrapper for one passphrase. `params` are this device's calibrated argon2id
 * parameters (used when wrapping; unwrapping reads them from the record). Derived keys are
 * zeroed as soon as they are used.
 */
export function passphraseKeyWrapper(passphrase: string, derive: DerivePassphraseKey, params?: PwhashParams): KeyWrapper {
  return {
    kind: PASSPHRASE_KIND,

    async wrap(storageKey) {
      if (!params) throw new Error('wrapping under a passphrase needs argon2id parameters');
      const salt = randomBytes(PWHASH_SALT_BYTES);
      const key = await derive(passphrase, salt, params);
      if (!key) throw new Error('argon2id could not run');
      try {
        const { nonce, ciphertext } = aeadSeal(key, storageKey, passphraseContext(params));
        const record: PassphraseWrappedKey = { v: 1, kind: PASSPHRASE_KIND, ...params, salt, nonce, wrapped: ciphertext };
        return record;
      } finally {
        key.fill(0);
      }
    },

    async unwrap(record) {
      if (!isPassphraseWrappedKey(record)) return null;
      const recordParams: PwhashParams = { alg: record.alg, opslimit: record.opslimit, memlimit: record.memlimit };
      const key = await derive(passphrase, record.salt, recordParams);
      if (!key) return null;
      try {
        return aeadOpen(key, record.nonce, record.wrapped, passphraseContext(recordParams));
      } finally {
        key.fill(0);
      }
    },
  };
}
