import { fromBase64Url, sign, toBase64Url, verify } from '../../crypto/index.js';
import type { BoardRecord, Unsigned } from './schema.js';

/**
 * Board records: immutable plain values stored in the board doc's root maps. Every record
 * names its author by signing key (base64url) and carries the author's Ed25519 signature
 * over its canonical form, so authorship survives compaction into snapshots. Record format
 * version 1 is documented in docs/PROTOCOL.md.
 */

export * from './schema.js';

/** The key signers sign: a domain prefix, then the record's fields in a fixed order, minus `sig`. */
export function canonicalBytes(record: Unsigned<BoardRecord>): Uint8Array {
  const entries = Object.entries(record)
    .filter(([key, value]) => key !== 'sig' && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new TextEncoder().encode('hearth-record-v1\n' + JSON.stringify(entries));
}

export function signRecord<R extends BoardRecord>(record: Unsigned<R>, signSecretKey: Uint8Array): R {
  return { ...record, sig: toBase64Url(sign(canonicalBytes(record), signSecretKey)) } as R;
}

/** True when `sig` is the record author's signature over the record as it stands. */
export function verifyRecord(record: BoardRecord): boolean {
  const key = fromBase64Url(record.authorId);
  const sig = fromBase64Url(record.sig);
  if (!key.ok || !sig.ok) return false;
  return verify(sig.bytes, canonicalBytes(record), key.bytes);
}

/** Every record key starts with its author's id, so ownership of a key is visible to sync checks. */
export function recordKey(authorId: string, suffix: string): string {
  return `${authorId}/${suffix}`;
}

export function authorOfKey(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? key : key.slice(0, slash);
}
