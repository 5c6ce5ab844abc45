import { aeadOpen, aeadSeal, sodium } from '../../crypto/index.js';
import { CorruptRecordError } from './errors.js';

/** Format of a sealed record; part of the associated data, so a downgrade cannot go unnoticed. */
export const SEALED_RECORD_FORMAT = 1;
/** Plaintexts are padded to a multiple of this, so a record's size says little about a name's length. */
const PAD_BLOCK = 64;

/** What every encrypted record looks like on disk: nothing in it is readable without the storage key. */
export interface SealedRecord {
  f: typeof SEALED_RECORD_FORMAT;
  nonce: Uint8Array;
  ct: Uint8Array;
}

/**
 * The logical kind of a record. It is bound into the associated data together with the
 * record's key, so a sealed blob moved to another key or kind does not open. These names
 * are stable across schema versions (a migration moves blobs without re-sealing them).
 */
export type RecordKind = 'device' | 'group' | 'log' | 'envelope' | 'setting';

function associatedData(kind: RecordKind, key: string): Uint8Array {
  return new TextEncoder().encode(`hearth:${kind}:${key}:f${SEALED_RECORD_FORMAT}`);
}

export function sealRecord(storageKey: Uint8Array, kind: RecordKind, key: string, plaintext: Uint8Array): SealedRecord {
  const padded = sodium().pad(plaintext, PAD_BLOCK);
  const { nonce, ciphertext } = aeadSeal(storageKey, padded, associatedData(kind, key));
  return { f: SEALED_RECORD_FORMAT, nonce, ct: ciphertext };
}

/** Throws CorruptRecordError when the value is not a sealed record that opens under this key, kind and key. */
export function openRecord(storageKey: Uint8Array, kind: RecordKind, key: string, value: unknown): Uint8Array {
  if (!isSealedRecord(value)) throw new CorruptRecordError(`${kind} record is not a sealed record`);
  const padded = aeadOpen(storageKey, value.nonce, value.ct, associatedData(kind, key));
  if (!padded) throw new CorruptRecordError(`${kind} record does not open`);
  try {
    return sodium().unpad(padded, PAD_BLOCK);
  } catch {
    // libsodium reports bad padding by throwing.
    throw new CorruptRecordError(`${kind} record has bad padding`);
  }
}

function isSealedRecord(value: unknown): value is SealedRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<SealedRecord>;
  return record.f === SEALED_RECORD_FORMAT && record.nonce instanceof Uint8Array && record.ct instanceof Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function sealJson(storageKey: Uint8Array, kind: RecordKind, key: string, value: unknown): SealedRecord {
  return sealRecord(storageKey, kind, key, encoder.encode(JSON.stringify(value)));
}

export function openJson(storageKey: Uint8Array, kind: RecordKind, key: string, value: unknown): unknown {
  const bytes = openRecord(storageKey, kind, key, value);
  try {
    return JSON.parse(decoder.decode(bytes)) as unknown;
  } catch {
    throw new CorruptRecordError(`${kind} record is not JSON`);
  }
}
