import { SIGN_PUBLIC_KEY_BYTES, SIGNATURE_BYTES, concatBytes } from '../../crypto/index.js';

/**
 * Venue link messages, version 1 (docs/PROTOCOL.md §12.2): what two devices say on a venue data
 * channel (as Hearth messages of the frame format, §6).
 *
 * | offset | bytes | field                                                     |
 * |--------|-------|-----------------------------------------------------------|
 * | 0      | 1     | venue message version = 1                                 |
 * | 1      | 1     | type                                                      |
 * | 2      | …     | 1 CHALLENGE: nonce 32                                     |
 * |        |       | 2 PROOF: device signing key 32, Ed25519 signature 64      |
 * |        |       | 3 SYNC: one envelope sync message (§6.1)                  |
 * |        |       | 4 PRESENCE: sealed presence (§7) as UTF-8; empty = hidden |
 * |        |       | 5 INTRODUCE: a member's signing key 32                    |
 * |        |       | 6 RELAY: to key 32, from key 32, venue code (§12.1)       |
 * |        |       | 7 INVITE_PROOF: invite key 32, Ed25519 signature 64       |
 * |        |       | 8 INVITE_STATE: one invite handshake state (§5), JSON      |
 * |        |       | 9 INVITE_REFUSED: reason 1 (§12.3)                        |
 *
 * Only CHALLENGE, PROOF and INVITE_PROOF are read before both sides have proven themselves;
 * on a link proven by an invite key (§12.3) only INVITE_STATE, and the joiner's PROOF once
 * admitted.
 */
export const VENUE_MESSAGE_VERSION = 1;
export const NONCE_BYTES = 32;
const MAX_CODE_BYTES = 512;
const MAX_PRESENCE_BYTES = 2048;
/** As a rendezvous state (rendezvous.ts): sealed offers and welcomes are small. */
export const MAX_INVITE_STATE_BYTES = 32_000;
/** INVITE_REFUSED reasons, in wire order (byte = index + 1). */
export const INVITE_REFUSALS = ['unknown-invite', 'used', 'expired', 'revoked'] as const;
export type VenueInviteRefusal = (typeof INVITE_REFUSALS)[number];

export type VenueMessage =
  | { type: 'challenge'; nonce: Uint8Array }
  | { type: 'proof'; key: Uint8Array; signature: Uint8Array }
  | { type: 'sync'; payload: Uint8Array }
  | { type: 'presence'; sealed: string }
  | { type: 'introduce'; key: Uint8Array }
  | { type: 'relay'; to: Uint8Array; from: Uint8Array; code: Uint8Array }
  | { type: 'invite-proof'; key: Uint8Array; signature: Uint8Array }
  | { type: 'invite-state'; json: string }
  | { type: 'invite-refused'; reason: VenueInviteRefusal };

const TYPES = { challenge: 1, proof: 2, sync: 3, presence: 4, introduce: 5, relay: 6, 'invite-proof': 7, 'invite-state': 8, 'invite-refused': 9 } as const;

export type VenueMessageError = 'unsupported-version' | 'unknown-type' | 'bad-length';

export function encodeVenueMessage(message: VenueMessage): Uint8Array {
  const body = ((): Uint8Array[] => {
    switch (message.type) {
      case 'challenge':
        return [message.nonce];
      case 'proof':
      case 'invite-proof':
        return [message.key, message.signature];
      case 'sync':
        return [message.payload];
      case 'presence':
        return [new TextEncoder().encode(message.sealed)];
      case 'introduce':
        return [message.key];
      case 'relay':
        return [message.to, message.from, message.code];
      case 'invite-state':
        return [new TextEncoder().encode(message.json)];
      case 'invite-refused':
        return [Uint8Array.of(INVITE_REFUSALS.indexOf(message.reason) + 1)];
    }
  })();
  const out = new Uint8Array(2 + body.reduce((sum, part) => sum + part.byteLength, 0));
  out[0] = VENUE_MESSAGE_VERSION;
  out[1] = TYPES[message.type];
  let offset = 2;
  for (const part of body) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

export function decodeVenueMessage(bytes: Uint8Array): { ok: true; message: VenueMessage } | { ok: false; error: VenueMessageError } {
  if (bytes.byteLength < 2) return { ok: false, error: 'bad-length' };
  if (bytes[0] !== VENUE_MESSAGE_VERSION) return { ok: false, error: 'unsupported-version' };
  const body = bytes.subarray(2);
  const exactly = (length: number) => body.byteLength === length;
  const bad = { ok: false, error: 'bad-length' } as const;
  switch (bytes[1]) {
    case TYPES.challenge:
      return exactly(NONCE_BYTES) ? { ok: true, message: { type: 'challenge', nonce: body.slice() } } : bad;
    case TYPES.proof:
      return exactly(SIGN_PUBLIC_KEY_BYTES + SIGNATURE_BYTES)
        ? { ok: true, message: { type: 'proof', key: body.slice(0, SIGN_PUBLIC_KEY_BYTES), signature: body.slice(SIGN_PUBLIC_KEY_BYTES) } }
        : bad;
    case TYPES.sync:
      return { ok: true, message: { type: 'sync', payload: body.slice() } };
    case TYPES.presence: {
      const sealed = body.byteLength <= MAX_PRESENCE_BYTES ? utf8(body) : undefined;
      return sealed === undefined ? bad : { ok: true, message: { type: 'presence', sealed } };
    }
    case TYPES['invite-proof']:
      return exactly(SIGN_PUBLIC_KEY_BYTES + SIGNATURE_BYTES)
        ? { ok: true, message: { type: 'invite-proof', key: body.slice(0, SIGN_PUBLIC_KEY_BYTES), signature: body.slice(SIGN_PUBLIC_KEY_BYTES) } }
        : bad;
    case TYPES['invite-state']: {
      const json = body.byteLength <= MAX_INVITE_STATE_BYTES ? utf8(body) : undefined;
      return json === undefined ? bad : { ok: true, message: { type: 'invite-state', json } };
    }
    case TYPES['invite-refused']: {
      const reason = exactly(1) ? INVITE_REFUSALS[body[0]! - 1] : undefined;
      return reason ? { ok: true, message: { type: 'invite-refused', reason } } : bad;
    }
    case TYPES.introduce:
      return exactly(SIGN_PUBLIC_KEY_BYTES) ? { ok: true, message: { type: 'introduce', key: body.slice() } } : bad;
    case TYPES.relay: {
      const keys = 2 * SIGN_PUBLIC_KEY_BYTES;
      if (body.byteLength <= keys || body.byteLength > keys + MAX_CODE_BYTES) return bad;
      return {
        ok: true,
        message: {
          type: 'relay',
          to: body.slice(0, SIGN_PUBLIC_KEY_BYTES),
          from: body.slice(SIGN_PUBLIC_KEY_BYTES, keys),
          code: body.slice(keys),
        },
      };
    }
    default:
      return { ok: false, error: 'unknown-type' };
  }
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * What a device signs to prove itself on one venue connection: the group, its role in the
 * connection, both DTLS fingerprints (its own first) and the verifier's fresh nonce. A proof
 * copied onto another connection names other certificates, so it never verifies there.
 */
export function venueProofBytes(input: {
  groupId: Uint8Array;
  role: 'offer' | 'answer';
  signerFingerprint: Uint8Array;
  verifierFingerprint: Uint8Array;
  nonce: Uint8Array;
}): Uint8Array {
  return proofBytes('hearth-venue-proof-v1', [input.groupId, Uint8Array.of(input.role === 'offer' ? 1 : 2), input.signerFingerprint, input.verifierFingerprint, input.nonce]);
}

function proofBytes(label: string, fields: Uint8Array[]): Uint8Array {
  return concatBytes(new TextEncoder().encode(label), ...fields);
}

/**
 * What a joiner at the venue signs with the invite key (§12.3): as a member's proof, under its
 * own label, so an invite proof never passes for a member's or the reverse.
 */
export function venueInviteProofBytes(input: { groupId: Uint8Array; signerFingerprint: Uint8Array; verifierFingerprint: Uint8Array; nonce: Uint8Array }): Uint8Array {
  return proofBytes('hearth-venue-invite-v1', [input.groupId, Uint8Array.of(2), input.signerFingerprint, input.verifierFingerprint, input.nonce]);
}
