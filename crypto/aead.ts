import { randomBytes } from './random.js';
import { sodium } from './sodium.js';

export const AEAD_KEY_BYTES = 32;
export const AEAD_NONCE_BYTES = 24;
export const AEAD_TAG_BYTES = 16;

/** XChaCha20-Poly1305 with a fresh random nonce; `associatedData` is authenticated, not encrypted. */
export function aeadSeal(
  key: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
  nonce: Uint8Array = randomBytes(AEAD_NONCE_BYTES),
): { nonce: Uint8Array; ciphertext: Uint8Array } {
  const ciphertext = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, associatedData, null, nonce, key);
  return { nonce, ciphertext };
}

/** Returns the plaintext, or null when the key, nonce, associated data or ciphertext do not match. */
export function aeadOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array | null {
  if (nonce.length !== AEAD_NONCE_BYTES || ciphertext.length < AEAD_TAG_BYTES || key.length !== AEAD_KEY_BYTES) {
    return null;
  }
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, associatedData, nonce, key);
  } catch {
    // libsodium-wrappers reports an authentication failure by throwing; callers want a value.
    return null;
  }
}
