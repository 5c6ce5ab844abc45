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
