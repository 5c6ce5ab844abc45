import { GROUP_ID_BYTES, HASH_BYTES, SIGN_PUBLIC_KEY_BYTES } from '../../crypto/index.js';
import { MAX_CATCH_UP_PAGE_BYTES } from '../log/catchUpPage.js';
import { MIN_ENVELOPE_BYTES } from '../log/envelope.js';
import type { Head } from '../log/ports.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './frames.js';

/**
 * Envelope sync messages, version 1 (docs/PROTOCOL.md §6.1), sent as Hearth messages on a
 * `PeerTransport` link.
 *
 * | offset | bytes | field                                              |
 * |--------|-------|----------------------------------------------------|
 * | 0      | 1     | sync message version = 1                           |
 * | 1      | 1     | type: 1 HEADS, 2 ENVELOPES, 3 HAVE, 4 CATCH-UP     |
 * | 2      | 16    | group id                                           |
 * | 18     | 4     | count n, uint32 big-endian                         |
 * | 22     | …     | HEADS, HAVE: n × (author key 32, seq uint64 BE, hash 32) |
 * |        |       | ENVELOPES: n × (length uint32 BE, envelope bytes)  |
 * |        |       | CATCH-UP: n = page length, then the sealed page (§6.2) |
 *
 * HEADS is everything the sender holds and asks for what it lacks; HAVE only says the sender
 * now holds these links (so a relay can skip it) and asks for nothing. CATCH-UP carries a
 * member's newest posts to a peer far behind, ahead of the envelopes (src/log/catchUpPage.ts).
 */
export const SYNC_MESSAGE_VERSION = 1;
export const SYNC_MESSAGE_TYPES = { heads: 1, envelopes: 2, have: 3, 'catch-up': 4 } as const;
const PREFIX_BYTES = 22;
const HEAD_BYTES = SIGN_PUBLIC_KEY_BYTES + 8 + HASH_BYTES;

/** One message fits a frame-format message (64 MiB). */
export const MAX_SYNC_MESSAGE_BYTES = DEFAULT_MAX_MESSAGE_BYTES;
/** A checkpoint may be large; nothing else comes close. */
export const MAX_ENVELOPE_BYTES = 32 * 1024 * 1024;
/** Authors in one group's log: far above a support group's size, far below a memory problem. */
export const MAX_HEADS = 4096;
export const MAX_ENVELOPES_PER_MESSAGE = 65_536;

export type SyncMessage =
  | { type: 'heads'; groupId: Uint8Array; heads: Head[] }
  | { type: 'have'; groupId: Uint8Array; heads: Head[] }
  | { type: 'envelopes'; groupId: Uint8Array; envelopes: Uint8Array[] }
  | { type: 'catch-up'; groupId: Uint8Array; page: Uint8Array };

/** Stable codes: counted per link, shown in diagnostics, asserted by tests. */
export type SyncMessageError =
  | 'message-too-large'
  | 'truncated' // shorter than its prefix or its declared content
  | 'unsupported-version'
  | 'unknown-type'
  | 'too-many-heads'
  | 'bad-sequence' // a head at seq 0 or beyond 2^53 - 1
  | 'duplicate-author' // two heads for one author
  | 'too-many-envelopes'
  | 'envelope-too-small'
  | 'envelope-too-large'
  | 'page-too-large'
  | 'trailing-bytes';

export type DecodeResult = { ok: true; message: SyncMessage } | { ok: false; error: SyncMessageError };

function prefix(type: keyof typeof SYNC_MESSAGE_TYPES, groupId: Uint8Array, count: number, bodyBytes: number) {
  const bytes = new Uint8Array(PREFIX_BYTES + bodyBytes);
  const view = new DataView(bytes.buffer);
  bytes[0] = SYNC_MESSAGE_VERSION;
  bytes[1] = SYNC_MESSAGE_TYPES[type];
  bytes.set(groupId, 2);
  view.setUint32(18, count);
  return { bytes, view };
}

export function encodeHeads(groupId: Uint8Array, heads: Head[], type: 'heads' | 'have' = 'heads'): Uint8Array {
  if (groupId.length !== GROUP_ID_BYTES) throw new RangeError('group id must be 16 bytes');
  const { bytes, view } = prefix(type, groupId, heads.length, heads.length * HEAD_BYTES);
  heads.forEach((head, index) => {
    const offset = PREFIX_BYTES + index * HEAD_BYTES;
    bytes.set(head.authorKey, offset);
    view.setBigUint64(offset + SIGN_PUBLIC_KEY_BYTES, BigInt(head.seq));
    bytes.set(head.hash, offset + SIGN_PUBLIC_KEY_BYTES + 8);
  });
  return bytes;
}

export function encodeEnvelopes(groupId: Uint8Array, envelopes: Uint8Array[]): Uint8Array {
  if (groupId.length !== GROUP_ID_BYTES) throw new RangeError('group id must be 16 bytes');
  const body = envelopes.reduce((sum, envelope) => sum + 4 + envelope.byteLength, 0);
  const { bytes, view } = prefix('envelopes', groupId, envelopes.length, body);
  let offset = PREFIX_BYTES;
  for (const envelope of envelopes) {
    view.setUint32(offset, envelope.byteLength);
    bytes.set(envelope, offset + 4);
    offset += 4 + envelope.byteLength;
  }
  return bytes;
}

export function encodeCatchUp(groupId: Uint8Array, page: Uint8Array): Uint8Array {
  if (groupId.length !== GROUP_ID_BYTES) throw new RangeError('group id must be 16 bytes');
  const { bytes } = prefix('catch-up', groupId, page.byteLength, page.byteLength);
  bytes.set(page, PREFIX_BYTES);
  return bytes;
}

/** The encoded size of an ENVELOPES message holding envelopes of these sizes. */
export function envelopesMessageBytes(envelopeBytes: number, count: number): number {
  return PREFIX_BYTES + envelopeBytes + 4 * count;
}

/** Decodes a peer's message. Hostile bytes give an error value; this function does not throw. */
export function decodeSyncMessage(bytes: Uint8Array): DecodeResult {
  if (bytes.byteLength > MAX_SYNC_MESSAGE_BYTES) return { ok: false, error: 'message-too-large' };
  if (bytes.byteLength === 0) return { ok: false, error: 'truncated' };
  if (bytes[0] !== SYNC_MESSAGE_VERSION) return { ok: false, error: 'unsupported-version' };
  if (bytes.byteLength < PREFIX_BYTES) return { ok: false, error: 'truncated' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const groupId = bytes.slice(2, 18);
  const count = view.getUint32(18);
  if (bytes[1] === SYNC_MESSAGE_TYPES.heads) return decodeHeads(bytes, view, groupId, count, 'heads');
  if (bytes[1] === SYNC_MESSAGE_TYPES.have) return decodeHeads(bytes, view, groupId, count, 'have');
  if (bytes[1] === SYNC_MESSAGE_TYPES.envelopes) return decodeEnvelopes(bytes, view, groupId, count);
  if (bytes[1] === SYNC_MESSAGE_TYPES['catch-up']) return decodeCatchUp(bytes, groupId, count);
  return { ok: false, error: 'unknown-type' };
}

function decodeHeads(bytes: Uint8Array, view: DataView, groupId: Uint8Array, count: number, type: 'heads' | 'have'): DecodeResult {
  if (count > MAX_HEADS) return { ok: false, error: 'too-many-heads' };
  const expected = PREFIX_BYTES + count * HEAD_BYTES;
  if (bytes.byteLength < expected) return { ok: false, error: 'truncated' };
  if (bytes.byteLength > expected) return { ok: false, error: 'trailing-bytes' };
  const heads: Head[] = [];
  const authors = new Set<string>();
  for (let offset = PREFIX_BYTES; offset < expected; offset += HEAD_BYTES) {
    const seq = view.getBigUint64(offset + SIGN_PUBLIC_KEY_BYTES);
    if (seq < 1n || seq > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, error: 'bad-sequence' };
    const authorKey = bytes.slice(offset, offset + SIGN_PUBLIC_KEY_BYTES);
    const author = authorKey.join(',');
    if (authors.has(author)) return { ok: false, error: 'duplicate-author' };
    authors.add(author);
    const hashStart = offset + SIGN_PUBLIC_KEY_BYTES + 8;
    heads.push({ authorKey, seq: Number(seq), hash: bytes.slice(hashStart, hashStart + HASH_BYTES) });
  }
  return { ok: true, message: { type, groupId, heads } };
}

function decodeEnvelopes(bytes: Uint8Array, view: DataView, groupId: Uint8Array, count: number): DecodeResult {
  if (count > MAX_ENVELOPES_PER_MESSAGE) return { ok: false, error: 'too-many-envelopes' };
  const envelopes: Uint8Array[] = [];
  let offset = PREFIX_BYTES;
  for (let index = 0; index < count; index += 1) {
    if (offset + 4 > bytes.byteLength) return { ok: false, error: 'truncated' };
    const length = view.getUint32(offset);
    if (length < MIN_ENVELOPE_BYTES) return { ok: false, error: 'envelope-too-small' };
    if (length > MAX_ENVELOPE_BYTES) return { ok: false, error: 'envelope-too-large' };
    if (offset + 4 + length > bytes.byteLength) return { ok: false, error: 'truncated' };
    envelopes.push(bytes.slice(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  if (offset !== bytes.byteLength) return { ok: false, error: 'trailing-bytes' };
  return { ok: true, message: { type: 'envelopes', groupId, envelopes } };
}

function decodeCatchUp(bytes: Uint8Array, groupId: Uint8Array, length: number): DecodeResult {
  if (length > MAX_CATCH_UP_PAGE_BYTES) return { ok: false, error: 'page-too-large' };
  if (bytes.byteLength < PREFIX_BYTES + length) return { ok: false, error: 'truncated' };
  if (bytes.byteLength > PREFIX_BYTES + length) return { ok: false, error: 'trailing-bytes' };
  return { ok: true, message: { type: 'catch-up', groupId, page: bytes.slice(PREFIX_BYTES) } };
}
