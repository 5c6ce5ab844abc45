import { toBase64Url } from './base64url.js';
import { sodium } from './sodium.js';

/**
 * crypto_kdf contexts: exactly 8 bytes each, one per purpose, so a key derived for one
 * purpose is never usable for another. Room and signaling contexts changed with log format v2
 * (v1: `hth-room`, `hth-sigp`), so v1 and v2 devices never meet in one room.
 */
export const KDF_CONTEXTS = {
  content: 'hth-cont',
  room: 'hth-rom2',
  signaling: 'hth-sig2',
  presence: 'hth-pres',
} as const;

export type KeyPurpose = keyof typeof KDF_CONTEXTS;

const KEY_BYTES = 32;
const ROOM_NAME_BYTES = 32;

/** Derives the 32-byte key for `purpose` in `epoch` from that epoch's group secret. */
export function deriveKey(groupSecret: Uint8Array, purpose: KeyPurpose, epoch: number, length = KEY_BYTES): Uint8Array {
  return sodium().crypto_kdf_derive_from_key(length, epoch, KDF_CONTEXTS[purpose], groupSecret);
}

/** The AEAD key for board content in this epoch. */
export function deriveContentKey(groupSecret: Uint8Array, epoch: number): Uint8Array {
  return deriveKey(groupSecret, 'content', epoch);
}

/** The key that seals presence (who is here now) in this epoch. */
export function derivePresenceKey(groupSecret: Uint8Array, epoch: number): Uint8Array {
  return deriveKey(groupSecret, 'presence', epoch);
}

/** The y-webrtc room name: an opaque id, so the signaling server never sees a group's name or id. */
export function deriveRoomName(groupSecret: Uint8Array, epoch: number): string {
  return 'hearth2-' + toBase64Url(deriveKey(groupSecret, 'room', epoch, ROOM_NAME_BYTES));
}

/** y-webrtc's `password`, which encrypts SDP and ICE candidates on their way through signaling. */
export function deriveSignalingPassword(groupSecret: Uint8Array, epoch: number): string {
  return toBase64Url(deriveKey(groupSecret, 'signaling', epoch));
}

/**
 * A public commitment to an epoch's secret (its own KDF context), logged with the epoch, so a
 * member who unseals a secret can tell it is the one the epoch's creator meant.
 */
export function deriveEpochCheck(groupSecret: Uint8Array, epoch: number): string {
  return toBase64Url(sodium().crypto_kdf_derive_from_key(16, epoch, 'hth-chck', groupSecret));
}
