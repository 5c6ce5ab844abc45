import { SIGN_PUBLIC_KEY_BYTES, SIGNATURE_BYTES, concatBytes, sign, verify } from '../../crypto/index.js';
import { sdpFingerprint } from './venueCode.js';
import { NONCE_BYTES, venueProofBytes } from './venueMessages.js';

/**
 * Room proof messages, version 1 (docs/PROTOCOL.md §13.1): on the Hearth channel of a y-webrtc
 * connection in a previous epoch's room, a device that lingers there asks the other end to prove
 * a current member's device key before it reads or sends anything of the group.
 *
 * | offset | bytes | field                                                |
 * |--------|-------|------------------------------------------------------|
 * | 0      | 1     | `0xA1`: room proof, version 1 (sync messages use 1)  |
 * | 1      | 1     | type                                                 |
 * | 2      | …     | 1 CHALLENGE: nonce 32                                |
 * |        |       | 2 PROOF: device signing key 32, Ed25519 signature 64 |
 *
 * The proof is the venue link's (§12.2, `venueProofBytes`): it signs the group, the signer's
 * role, both DTLS fingerprints of this connection and the verifier's nonce.
 */
export const ROOM_PROOF_MARK = 0xa1;

export type RoomProofMessage = { type: 'challenge'; nonce: Uint8Array } | { type: 'proof'; key: Uint8Array; signature: Uint8Array };

export type RoomProofError = 'not-room-proof' | 'unknown-type' | 'bad-length';

/** The two ends of one WebRTC connection, named by their DTLS certificates, which DTLS enforces. */
export interface ConnectionBinding {
  /** This end's role in the offer/answer exchange. */
  role: 'offer' | 'answer';
  localFingerprint: Uint8Array;
  remoteFingerprint: Uint8Array;
}

const TYPES = { challenge: 1, proof: 2 } as const;

export function isRoomProofMessage(bytes: Uint8Array): boolean {
  return bytes[0] === ROOM_PROOF_MARK;
}

export function encodeRoomProof(message: RoomProofMessage): Uint8Array {
  const body = message.type === 'challenge' ? [message.nonce] : [message.key, message.signature];
  return concatBytes(Uint8Array.of(ROOM_PROOF_MARK, TYPES[message.type]), ...body);
}

export function decodeRoomProof(bytes: Uint8Array): { ok: true; message: RoomProofMessage } | { ok: false; error: RoomProofError } {
  if (!isRoomProofMessage(bytes) || bytes.byteLength < 2) return { ok: false, error: 'not-room-proof' };
  const body = bytes.subarray(2);
  if (bytes[1] === TYPES.challenge) {
    return body.byteLength === NONCE_BYTES ? { ok: true, message: { type: 'challenge', nonce: body.slice() } } : { ok: false, error: 'bad-length' };
  }
  if (bytes[1] === TYPES.proof) {
    if (body.byteLength !== SIGN_PUBLIC_KEY_BYTES + SIGNATURE_BYTES) return { ok: false, error: 'bad-length' };
    return { ok: true, message: { type: 'proof', key: body.slice(0, SIGN_PUBLIC_KEY_BYTES), signature: body.slice(SIGN_PUBLIC_KEY_BYTES) } };
  }
  return { ok: false, error: 'unknown-type' };
}

/** This device's proof on one connection, answering the other end's nonce. */
export function signRoomProof(input: { groupId: Uint8Array; binding: ConnectionBinding; nonce: Uint8Array; signSecretKey: Uint8Array }): Uint8Array {
  const { binding } = input;
  const signed = venueProofBytes({ groupId: input.groupId, role: binding.role, signerFingerprint: binding.localFingerprint, verifierFingerprint: binding.remoteFingerprint, nonce: input.nonce });
  return sign(signed, input.signSecretKey);
}

/** Whether `signature` is the other end's proof of `key` on this connection, over this device's nonce. */
export function verifyRoomProof(input: { groupId: Uint8Array; binding: ConnectionBinding; nonce: Uint8Array; key: Uint8Array; signature: Uint8Array }): boolean {
  const { binding } = input;
  const signed = venueProofBytes({
    groupId: input.groupId,
    role: binding.role === 'offer' ? 'answer' : 'offer',
    signerFingerprint: binding.remoteFingerprint,
    verifierFingerprint: binding.localFingerprint,
    nonce: input.nonce,
  });
  return verify(input.signature, signed, input.key);
}

/** The binding of an established RTCPeerConnection, from its two descriptions; undefined before both are set. */
export function bindingOfPeerConnection(pc: Pick<RTCPeerConnection, 'localDescription' | 'remoteDescription'>): ConnectionBinding | undefined {
  const local = pc.localDescription;
  const remote = pc.remoteDescription;
  const localFingerprint = local && sdpFingerprint(local.sdp);
  const remoteFingerprint = remote && sdpFingerprint(remote.sdp);
  if (!local || !localFingerprint || !remoteFingerprint) return undefined;
  return { role: local.type === 'offer' ? 'offer' : 'answer', localFingerprint, remoteFingerprint };
}
