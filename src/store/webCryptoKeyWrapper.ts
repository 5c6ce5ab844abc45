import type { KeyWrapper, WrappedStorageKey } from './keyWrapper.js';

/**
 * The default key wrapper: an AES-GCM key that WebCrypto generates non-extractable. It imports
 * no libsodium, so the first screen (src/app/firstScreen.ts) can open the storage key with it
 * before the crypto bundle has loaded. Format: docs/PROTOCOL.md §Wrapped storage key.
 */

export const WEBCRYPTO_KIND = 'webcrypto-aes-gcm';
const AES_GCM_IV_BYTES = 12;
// Binds the wrapped bytes to their purpose, so they cannot be passed off as anything else.
const WRAP_CONTEXT = new TextEncoder().encode('hearth:storage-key:v1');

interface WebCryptoWrappedKey extends WrappedStorageKey {
  kind: typeof WEBCRYPTO_KIND;
  /** Non-extractable AES-256-GCM key: script can use it, never read it. */
  wrappingKey: CryptoKey;
  iv: Uint8Array;
  wrapped: Uint8Array;
}

function isWebCryptoWrappedKey(record: WrappedStorageKey): record is WebCryptoWrappedKey {
  return (
    record.kind === WEBCRYPTO_KIND &&
    typeof CryptoKey !== 'undefined' &&
    record['wrappingKey'] instanceof CryptoKey &&
    record['iv'] instanceof Uint8Array &&
    record['wrapped'] instanceof Uint8Array
  );
}

export const webCryptoKeyWrapper: KeyWrapper = {
  kind: WEBCRYPTO_KIND,

  async wrap(storageKey) {
    const wrappingKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(AES_GCM_IV_BYTES));
    const wrapped = new Uint8Array(
      await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: WRAP_CONTEXT }, wrappingKey, storageKey as Uint8Array<ArrayBuffer>),
    );
    const record: WebCryptoWrappedKey = { v: 1, kind: WEBCRYPTO_KIND, wrappingKey, iv, wrapped };
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
