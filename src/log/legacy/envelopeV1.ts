import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, GROUP_ID_BYTES, SIGNATURE_BYTES, aeadOpen, bytesEqual } from '../../../crypto/index.js';
import { verifyEnvelopeSignature, type OpenContext } from '../envelope.js';

/**
 * Envelope format version 1, read only to carry v1 boards into v2 (./readV1Board.ts):
 *
 * | offset | bytes | field                                        |
 * |--------|-------|----------------------------------------------|
 * | 0      | 1     | format version = 1                           |
 * | 1      | 1     | kind: 1 update, 2 snapshot, 3 presence       |
 * | 2      | 16    | group id                                     |
 * | 18     | 4     | epoch, uint32 big-endian                     |
 * | 22     | 32    | author's Ed25519 public key                  |
 * | 54     | 8     | per-author counter                           |
 * | 62     | 24    | XChaCha20-Poly1305 nonce                     |
 * | 86     | n+16  | ciphertext; associated data = bytes 0..62    |
 * | end-64 | 64    | Ed25519 signature over every byte before it  |
 */
export const V1_HEADER_BYTES = 62;
const MIN_BYTES = V1_HEADER_BYTES + AEAD_NONCE_BYTES + AEAD_TAG_BYTES + SIGNATURE_BYTES;
const KINDS = ['update', 'snapshot', 'presence'] as const;
export type V1Kind = (typeof KINDS)[number];

/** The payload of a v1 envelope of this group, signed by its author and opened; null otherwise. */
export function openEnvelopeV1(bytes: unknown, context: OpenContext): { kind: V1Kind; plaintext: Uint8Array } | null {
  if (!(bytes instanceof Uint8Array) || bytes.length < MIN_BYTES || bytes[0] !== 1) return null;
  const kind = KINDS[bytes[1]! - 1];
  if (!kind || !bytesEqual(bytes.subarray(2, 2 + GROUP_ID_BYTES), context.groupId)) return null;
  if (!verifyEnvelopeSignature(bytes, bytes.subarray(22, 54))) return null;
  const epoch = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(18);
  const key = context.keyFor(epoch, kind === 'presence' ? 'presence' : 'update');
  if (!key) return null;
  const nonceEnd = V1_HEADER_BYTES + AEAD_NONCE_BYTES;
  const plaintext = aeadOpen(key, bytes.subarray(V1_HEADER_BYTES, nonceEnd), bytes.subarray(nonceEnd, bytes.length - SIGNATURE_BYTES), bytes.subarray(0, V1_HEADER_BYTES));
  return plaintext ? { kind, plaintext } : null;
}
