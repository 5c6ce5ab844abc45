import { sodium } from './sodium.js';

export const SIGNATURE_BYTES = 64;

/** Ed25519 detached signature. */
export function sign(message: Uint8Array, signSecretKey: Uint8Array): Uint8Array {
  return sodium().crypto_sign_detached(message, signSecretKey);
}

/** False for a bad signature, and for a key or signature of the wrong length: never throws. */
export function verify(signature: Uint8Array, message: Uint8Array, signPublicKey: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES || signPublicKey.length !== 32) return false;
  try {
    return sodium().crypto_sign_verify_detached(signature, message, signPublicKey);
  } catch {
    return false;
  }
}
