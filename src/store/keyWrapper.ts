/**
 * The storage key (32 random bytes that seal every record at rest) is never stored as is: a
 * KeyWrapper turns it into a wrapped record kept in the `keys` store. Today the wrapper is a
 * non-extractable WebCrypto key; the app lock will add one derived from a passphrase
 * (argon2id), with the same interface.
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
