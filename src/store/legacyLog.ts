import type { IDBPDatabase } from 'idb';
import * as Y from 'yjs';
import { CorruptRecordError } from './errors.js';
import type { HearthDB } from './schema.js';
import { openRecord } from './sealedRecord.js';
import { inTransaction } from './transaction.js';

/**
 * Version 1 ciphertext logs, kept in the `log` store only until the app has carried each
 * group's board into envelopes: read once, then deleted. Nothing new is written here.
 */

/** Every stored entry of one group's v1 log: keys [id, seq], seq ascending. */
export function legacyLogRange(id: string): IDBKeyRange {
  return IDBKeyRange.bound([id, -Infinity], [id, Infinity]);
}

export interface LegacyLog {
  /** The readable entries' updates merged into one (undefined when there are none). */
  update: Uint8Array | undefined;
  /** Entries that do not open: counted, never removed by reading. */
  unreadable: number;
}

export async function readLegacyLog(db: IDBPDatabase<HearthDB>, storageKey: Uint8Array, id: string): Promise<LegacyLog> {
  const range = legacyLogRange(id);
  const values = await inTransaction(db, ['log'], 'readonly', (tx) => tx.store.getAll(range));
  const updates: Uint8Array[] = [];
  let unreadable = 0;
  for (const value of values) {
    try {
      updates.push(openRecord(storageKey, 'log', id, value));
    } catch (error) {
      if (!(error instanceof CorruptRecordError)) throw error;
      unreadable++;
    }
  }
  return { update: updates.length === 0 ? undefined : mergeReadable(updates), unreadable };
}

function mergeReadable(updates: Uint8Array[]): Uint8Array {
  if (updates.length === 1) return updates[0]!;
  try {
    return Y.mergeUpdates(updates);
  } catch {
    throw new CorruptRecordError('stored log updates do not merge');
  }
}
