import {
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  GROUP_ID_BYTES,
  HASH_BYTES,
  SIGNATURE_BYTES,
  SIGN_PUBLIC_KEY_BYTES,
  aeadOpen,
  aeadSeal,
  bytesEqual,
  hash,
  sign,
  verify,
} from '../../crypto/index.js';

/**
 * Envelope format versions 2 and 3 (docs/PROTOCOL.md §2): one link of an author's append-only
 * chain. The layout is the same; the version says which chain a link belongs to: a version 2
 * link to its author's one chain across epochs (read, never written for chains any more), a
 * version 3 link to the chain of its author and epoch, which starts at seq 1 in every epoch.
 *
 * | offset | bytes | field                                                         |
 * |--------|-------|---------------------------------------------------------------|
 * | 0      | 1     | format version = 2 or 3                                       |
 * | 1      | 1     | kind: 1 update, 2 checkpoint, 3 presence                      |
 * | 2      | 16    | group id                                                      |
 * | 18     | 4     | epoch, uint32 big-endian                                      |
 * | 22     | 32    | author's Ed25519 public key                                   |
 * | 54     | 8     | sequence number, uint64 big-endian (< 2^53)                   |
 * | 62     | 32    | BLAKE2b-256 of the author's previous envelope (zeros at seq 1) |
 * | 94     | 24    | XChaCha20-Poly1305 nonce                                      |
 * | 118    | n+16  | ciphertext; associated data = bytes 0..94                     |
 * | end-64 | 64    | Ed25519 signature over every byte before it                   |
 *
 * Presence envelopes are not chain links: their sequence is a clock-seeded counter and `prev`
 * is zeros.
 */
/** Presence envelopes, and chain links written before chains were per author and epoch. */
export const ENVELOPE_VERSION = 2;
/** Chain links: one chain per author and epoch. */
export const CHAIN_ENVELOPE_VERSION = 3;
export type EnvelopeVersion = typeof ENVELOPE_VERSION | typeof CHAIN_ENVELOPE_VERSION;
export const HEADER_BYTES = 94;
export const MIN_ENVELOPE_BYTES = HEADER_BYTES + AEAD_NONCE_BYTES + AEAD_TAG_BYTES + SIGNATURE_BYTES;
export const NO_PREVIOUS = new Uint8Array(HASH_BYTES);

export const ENVELOPE_KINDS = { update: 1, checkpoint: 2, presence: 3 } as const;
export type EnvelopeKind = keyof typeof ENVELOPE_KINDS;
const KIND_BY_CODE = new Map<number, EnvelopeKind>(
  Object.entries(ENVELOPE_KINDS).map(([name, code]) => [code, name as EnvelopeKind]),
);

export interface EnvelopeHeader {
  /** 2: the link belongs to its author's one chain; 3: to the chain of its author and epoch. */
  version: EnvelopeVersion;
  kind: EnvelopeKind;
  groupId: Uint8Array;
  epoch: number;
  authorKey: Uint8Array;
  seq: number;
  prev: Uint8Array;
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
  | 'bad-sequence'
  | 'wrong-group'
  | 'unknown-epoch'
  | 'bad-signature'
  | 'decrypt-failed';

export type HeaderResult = { ok: true; header: EnvelopeHeader } | { ok: false; error: EnvelopeError };
export type OpenResult = { ok: true; envelope: OpenedEnvelope } | { ok: false; error: EnvelopeError };

export interface SealInput {
  /** Version 2 unless given (presence); chain links are version 3. */
  version?: EnvelopeVersion;
  kind: EnvelopeKind;
  groupId: Uint8Array;
  epoch: number;
  seq: number;
  prev: Uint8Array;
  authorKey: Uint8Array;
  authorSecretKey: Uint8Array;
  key: Uint8Array;
  plaintext: Uint8Array;
}

/** The name of an envelope: BLAKE2b-256 of all its bytes, signature included. */
export function envelopeHash(envelope: Uint8Array): Uint8Array {
  return hash(envelope);
}

function encodeHeader(h: Omit<EnvelopeHeader, 'version'> & { version?: EnvelopeVersion }): Uint8Array {
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  header[0] = h.version ?? ENVELOPE_VERSION;
  header[1] = ENVELOPE_KINDS[h.kind];
  header.set(h.groupId, 2);
  view.setUint32(18, h.epoch);
  header.set(h.authorKey, 22);
  view.setBigUint64(54, BigInt(h.seq));
  header.set(h.prev, 62);
  return header;
}

/** Encrypts `plaintext` under `key` with the header as associated data, then signs it all. */
export function sealEnvelope(input: SealInput): Uint8Array {
  if (input.groupId.length !== GROUP_ID_BYTES) throw new RangeError('group id must be 16 bytes');
  if (input.authorKey.length !== SIGN_PUBLIC_KEY_BYTES) throw new RangeError('author key must be 32 bytes');
  if (input.prev.length !== HASH_BYTES) throw new RangeError('previous hash must be 32 bytes');
  if (!Number.isSafeInteger(input.seq) || input.seq < 1) throw new RangeError('sequence out of range');
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

/** Reads the clear header without checking signature or content: for routing and heads. */
export function parseEnvelopeHeader(bytes: unknown): HeaderResult {
  if (!(bytes instanceof Uint8Array) || bytes.length < MIN_ENVELOPE_BYTES) return { ok: false, error: 'bad-length' };
  const version = bytes[0];
  if (version !== ENVELOPE_VERSION && version !== CHAIN_ENVELOPE_VERSION) return { ok: false, error: 'bad-version' };
  if (version === CHAIN_ENVELOPE_VERSION && bytes[1] === ENVELOPE_KINDS.presence) return { ok: false, error: 'bad-kind' };
  const kind = KIND_BY_CODE.get(bytes[1]!);
  if (!kind) return { ok: false, error: 'bad-kind' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const seq = view.getBigUint64(54);
  if (seq < 1n || seq > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, error: 'bad-sequence' };
  return {
    ok: true,
    header: {
      version,
      kind,
      groupId: bytes.slice(2, 18),
      epoch: view.getUint32(18),
      authorKey: bytes.slice(22, 54),
      seq: Number(seq),
      prev: bytes.slice(62, HEADER_BYTES),
    },
  };
}

const CHAIN_KEY_CONTEXT = new TextEncoder().encode('hearth-chain-v3');

/**
 * The 32 bytes that name the chain a link belongs to, in heads and on disk: the author's key for
 * a version 2 link (one chain per author), else BLAKE2b-256("hearth-chain-v3" ‖ author key ‖
 * epoch, uint32), so every epoch of an author is a chain of its own.
 */
export function chainKeyOf(header: Pick<EnvelopeHeader, 'version' | 'authorKey' | 'epoch'>): Uint8Array {
  if (header.version === ENVELOPE_VERSION) return header.authorKey;
  const input = new Uint8Array(CHAIN_KEY_CONTEXT.length + SIGN_PUBLIC_KEY_BYTES + 4);
  input.set(CHAIN_KEY_CONTEXT, 0);
  input.set(header.authorKey, CHAIN_KEY_CONTEXT.length);
  new DataView(input.buffer).setUint32(CHAIN_KEY_CONTEXT.length + SIGN_PUBLIC_KEY_BYTES, header.epoch);
  return hash(input);
}

/** True when the Ed25519 signature at the end of `bytes` is the header author's. */
export function verifyEnvelopeSignature(bytes: Uint8Array, authorKey: Uint8Array): boolean {
  const signedLength = bytes.length - SIGNATURE_BYTES;
  return verify(bytes.subarray(signedLength), bytes.subarray(0, signedLength), authorKey);
}

/** Decrypts an envelope whose header and signature were already checked. */
export function decryptEnvelope(bytes: Uint8Array, key: Uint8Array): Uint8Array | null {
  const signedLength = bytes.length - SIGNATURE_BYTES;
  const nonce = bytes.subarray(HEADER_BYTES, HEADER_BYTES + AEAD_NONCE_BYTES);
  const ciphertext = bytes.subarray(HEADER_BYTES + AEAD_NONCE_BYTES, signedLength);
  return aeadOpen(key, nonce, ciphertext, bytes.subarray(0, HEADER_BYTES));
}

export interface OpenContext {
  groupId: Uint8Array;
  /** The key for `kind` in `epoch`, or undefined when this device holds no such epoch. */
  keyFor(epoch: number, kind: EnvelopeKind): Uint8Array | undefined;
}

/**
 * Checks, in order: length, version, kind, sequence, group, signature, epoch, decryption. The
 * signature comes before the epoch, so nothing unsigned is ever kept waiting for a key.
 * Hostile bytes produce an error value; this function does not throw.
 */
export function openEnvelope(bytes: unknown, context: OpenContext): OpenResult {
  const parsed = parseEnvelopeHeader(bytes);
  if (!parsed.ok) return parsed;
  const envelope = bytes as Uint8Array;
  const { header } = parsed;
  if (!bytesEqual(header.groupId, context.groupId)) return { ok: false, error: 'wrong-group' };
  if (!verifyEnvelopeSignature(envelope, header.authorKey)) return { ok: false, error: 'bad-signature' };
  const key = context.keyFor(header.epoch, header.kind);
  if (!key) return { ok: false, error: 'unknown-epoch' };
  const plaintext = decryptEnvelope(envelope, key);
  if (!plaintext) return { ok: false, error: 'decrypt-failed' };
  return { ok: true, envelope: { header, plaintext } };
}
