import {
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  GROUP_ID_BYTES,
  SIGNATURE_BYTES,
  SIGN_PUBLIC_KEY_BYTES,
  aeadOpen,
  aeadSeal,
  bytesEqual,
  sign,
  verify,
} from '../../../crypto/index.js';

/**
 * Read only to carry v1 boards into v2 (src/log/legacy/readV1Board.ts); v2 writes envelope format 2.
 *
 * Envelope format version 1 (docs/PROTOCOL.md §Envelope):
 *
 * | offset | bytes | field                                        |
 * |--------|-------|----------------------------------------------|
 * | 0      | 1     | format version = 1                           |
 * | 1      | 1     | kind: 1 update, 2 snapshot, 3 presence       |
 * | 2      | 16    | group id                                     |
 * | 18     | 4     | epoch, uint32 big-endian                     |
 * | 22     | 32    | author's Ed25519 public key                  |
 * | 54     | 8     | per-author counter, uint64 big-endian        |
 * | 62     | 24    | XChaCha20-Poly1305 nonce                     |
 * | 86     | n+16  | ciphertext; associated data = bytes 0..62    |
 * | end-64 | 64    | Ed25519 signature over every byte before it  |
 */
export const ENVELOPE_VERSION = 1;
export const HEADER_BYTES = 62;
export const MIN_ENVELOPE_BYTES = HEADER_BYTES + AEAD_NONCE_BYTES + AEAD_TAG_BYTES + SIGNATURE_BYTES;

export const ENVELOPE_KINDS = { update: 1, snapshot: 2, presence: 3 } as const;
export type EnvelopeKind = keyof typeof ENVELOPE_KINDS;
const KIND_BY_CODE = new Map<number, EnvelopeKind>(
  Object.entries(ENVELOPE_KINDS).map(([name, code]) => [code, name as EnvelopeKind]),
);

export interface EnvelopeHeader {
  version: number;
  kind: EnvelopeKind;
  groupId: Uint8Array;
  epoch: number;
  authorKey: Uint8Array;
  counter: number;
}

export interface OpenedEnvelope {
  header: EnvelopeHeader;
  plaintext: Uint8Array;
}

/** Stable codes: the UI and logs name them, tests assert them. */
export type EnvelopeError =
  | 'bad-length'
  | 'bad-version'
  | 'bad-kind'
  | 'wrong-group'
  | 'unknown-epoch'
  | 'not-a-member'
  | 'bad-signature'
  | 'decrypt-failed';

export type OpenResult = { ok: true; envelope: OpenedEnvelope } | { ok: false; error: EnvelopeError };

export interface SealInput {
  kind: EnvelopeKind;
  groupId: Uint8Array;
  epoch: number;
  counter: number;
  authorKey: Uint8Array;
  authorSecretKey: Uint8Array;
  key: Uint8Array;
  plaintext: Uint8Array;
}

/** What a reader must know to accept an envelope. */
export interface OpenContext {
  groupId: Uint8Array;
  /** The key for `kind` in `epoch`, or undefined when this device holds no such epoch. */
  keyFor(epoch: number, kind: EnvelopeKind): Uint8Array | undefined;
  /** When given, only these authors (base64url-free raw keys compared by bytes) are accepted. */
  isMember?(authorKey: Uint8Array): boolean;
}

function encodeHeader(h: Omit<EnvelopeHeader, 'version'>): Uint8Array {
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  header[0] = ENVELOPE_VERSION;
  header[1] = ENVELOPE_KINDS[h.kind];
  header.set(h.groupId, 2);
  view.setUint32(18, h.epoch);
  header.set(h.authorKey, 22);
  view.setBigUint64(54, BigInt(h.counter));
  return header;
}

/** Encrypts `plaintext` under `key` with the header as associated data, then signs it all. */
export function sealEnvelope(input: SealInput): Uint8Array {
  if (input.groupId.length !== GROUP_ID_BYTES) throw new RangeError('group id must be 16 bytes');
  if (input.authorKey.length !== SIGN_PUBLIC_KEY_BYTES) throw new RangeError('author key must be 32 bytes');
  if (!Number.isSafeInteger(input.counter) || input.counter < 0) throw new RangeError('counter out of range');
  if (!Number.isInteger(input.epoch) || input.epoch < 0 || input.epoch > 0xffffffff) throw new RangeError('epoch out of range');
  const header = encodeHeader(input);
  const { nonce, ciphertext } = aeadSeal(input.key, input.plaintext, header);
  const envelope = new Uint8Array(HEADER_BYTES + nonce.length + ciphertext.length + SIGNATURE_BYTES);
  envelope.set(header, 0);
  envelope.set(nonce, HEADER_BYTES);
  envelope.set(ciphertext, HEADER_BYTES + nonce.length);
  const signed = envelope.subarray(0, envelope.length - SIGNATURE_BYTES);
  envelope.set(sign(signed, input.authorSecretKey), signed.length);
  return envelope;
}

/** Reads the clear header without checking signature or content: for routing and diagnostics. */
export function parseEnvelopeHeader(bytes: Uint8Array): { ok: true; header: EnvelopeHeader } | { ok: false; error: EnvelopeError } {
  if (!(bytes instanceof Uint8Array) || bytes.length < MIN_ENVELOPE_BYTES) return { ok: false, error: 'bad-length' };
  if (bytes[0] !== ENVELOPE_VERSION) return { ok: false, error: 'bad-version' };
  const kind = KIND_BY_CODE.get(bytes[1]!);
  if (!kind) return { ok: false, error: 'bad-kind' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const counter = view.getBigUint64(54);
  if (counter > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, error: 'bad-length' };
  return {
    ok: true,
    header: {
      version: ENVELOPE_VERSION,
      kind,
      groupId: bytes.slice(2, 18),
      epoch: view.getUint32(18),
      authorKey: bytes.slice(22, 54),
      counter: Number(counter),
    },
  };
}

/**
 * Checks, in order: length, version, kind, group, epoch, membership, signature, decryption.
 * Hostile bytes produce an error value; this function does not throw.
 */
export function openEnvelope(bytes: Uint8Array, context: OpenContext): OpenResult {
  const parsed = parseEnvelopeHeader(bytes);
  if (!parsed.ok) return parsed;
  const { header } = parsed;
  if (!bytesEqual(header.groupId, context.groupId)) return { ok: false, error: 'wrong-group' };
  const key = context.keyFor(header.epoch, header.kind);
  if (!key) return { ok: false, error: 'unknown-epoch' };
  if (context.isMember && !context.isMember(header.authorKey)) return { ok: false, error: 'not-a-member' };
  const signedLength = bytes.length - SIGNATURE_BYTES;
  if (!verify(bytes.subarray(signedLength), bytes.subarray(0, signedLength), header.authorKey)) {
    return { ok: false, error: 'bad-signature' };
  }
  const nonce = bytes.subarray(HEADER_BYTES, HEADER_BYTES + AEAD_NONCE_BYTES);
  const ciphertext = bytes.subarray(HEADER_BYTES + AEAD_NONCE_BYTES, signedLength);
  const plaintext = aeadOpen(key, nonce, ciphertext, bytes.subarray(0, HEADER_BYTES));
  if (!plaintext) return { ok: false, error: 'decrypt-failed' };
  return { ok: true, envelope: { header, plaintext } };
}
