import { hash } from './hash.js';
import { randomBytes } from './random.js';

export const GROUP_SECRET_BYTES = 32;
export const GROUP_ID_BYTES = 16;

/** The random secret of one group epoch; every group key is derived from it (see kdf.ts). */
export function createGroupSecret(): Uint8Array {
  return randomBytes(GROUP_SECRET_BYTES);
}

/** A group's public, random identifier. It names the group in envelopes, never on the network. */
export function createGroupId(): Uint8Array {
  return randomBytes(GROUP_ID_BYTES);
}

export const GROUP_SALT_BYTES = 16;

/**
 * A v2 group's id: derived from its creator's signing key and a random salt, so an invite can
 * prove who created the group (only that key's holder can sign the group's details).
 */
export function deriveGroupId(creatorKey: Uint8Array, salt: Uint8Array): Uint8Array {
  const input = new Uint8Array(GROUP_ID_DOMAIN.length + creatorKey.length + salt.length);
  input.set(GROUP_ID_DOMAIN, 0);
  input.set(creatorKey, GROUP_ID_DOMAIN.length);
  input.set(salt, GROUP_ID_DOMAIN.length + creatorKey.length);
  return hash(input, GROUP_ID_BYTES);
}

const GROUP_ID_DOMAIN = new TextEncoder().encode('hearth-group-id-v2');
