import { sodium } from './sodium.js';

export const HASH_BYTES = 32;

/** BLAKE2b-256 of `message` (libsodium's crypto_generichash): names envelopes and links chains. */
export function hash(message: Uint8Array, length = HASH_BYTES): Uint8Array {
  return sodium().crypto_generichash(length, message, null);
}
