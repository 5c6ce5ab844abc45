import { sodium } from './sodium.js';

export const BOX_PUBLIC_KEY_BYTES = 32;
export const SEAL_OVERHEAD_BYTES = 48;

/**
 * crypto_box_seal: anyone can seal to an X25519 public key, only its holder opens it. Carries an
 * epoch secret to one member inside a signed membership entry.
 */
export function sealTo(message: Uint8Array, boxPublicKey: Uint8Array): Uint8Array {
  return sodium().crypto_box_seal(message, boxPublicKey);
}

/** The sealed message, or null when it was not sealed to this key pair (or was changed): never throws. */
export function openSealed(sealed: Uint8Array, boxPublicKey: Uint8Array, boxSecretKey: Uint8Array): Uint8Array | null {
  if (sealed.length < SEAL_OVERHEAD_BYTES || boxPublicKey.length !== BOX_PUBLIC_KEY_BYTES) return null;
  try {
    return sodium().crypto_box_seal_open(sealed, boxPublicKey, boxSecretKey);
  } catch {
    return null;
  }
}
