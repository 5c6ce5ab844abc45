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

const AES_GCM_IV_BYTES = 12;
// Binds the wrapped bytes to their purpose, so they cannot be passed off as anything else.
const WRAP_CONTEXT = new TextEncoder().encode('hearth:storage-key:v1');

interface WebCryptoWrappedKey extends WrappedStorageKey {
  kind: 'webcrypto-aes-gcm';
  /** Non-extractable AES-256-GCM key: script can use it, never read it. */
  wrappingKey: CryptoKey;
  iv: Uint8Array;
  wrapped: Uint8Array;
}

function isWebCryptoWrappedKey(record: WrappedStorageKey): record is WebCryptoWrappedKey {
  return (
    record.kind === 'webcrypto-aes-gcm' &&
    typeof CryptoKey !== 'undefined' &&
    record['wrappingKey'] instanceof CryptoKey &&
    record['iv'] instanceof Uint8Array &&
    record['wrapped'] instanceof Uint8Array
  );
}

/** The default wrapper: an AES-GCM key that WebCrypto generates non-extractable. */
export const webCryptoKeyWrapper: KeyWrapper = {
  kind: 'webcrypto-aes-gcm',

  async wrap(storageKey) {
    const wrappingKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(AES_GCM_IV_BYTES));
    const wrapped = new Uint8Array(
      await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: WRAP_CONTEXT }, wrappingKey, storageKey as Uint8Array<ArrayBuffer>),
    );
    const record: WebCryptoWrappedKey = { v: 1, kind: 'webcrypto-aes-gcm', wrappingKey, iv, wrapped };
    return record;
  },

  async unwrap(record) {
    if (!isWebCryptoWrappedKey(record)) return null;
    try {
      const key = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: record.iv as Uint8Array<ArrayBuffer>, additionalData: WRAP_CONTEXT },
        record.wrappingKey,
        record.wrapped as Uint8Array<ArrayBuffer>,
      );
      return new Uint8Array(key);
    } catch {
      // WebCrypto reports a failed tag check by rejecting; callers want a value.
      return null;
    }
  },
};

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
