import type { IDBPDatabase } from 'idb';
import * as Y from 'yjs';
import { CorruptRecordError } from './errors.js';
import type { HearthDB } from './schema.js';
import { openRecord, sealRecord } from './sealedRecord.js';
import { inTransaction } from './transaction.js';

/** Every stored entry of one group's log: keys [id, seq], seq ascending. */
export function logRange(id: string): IDBKeyRange {
  return IDBKeyRange.bound([id, -Infinity], [id, Infinity]);
}

export interface StoredLog {
  /** The readable entries' updates merged into one (empty when there are none). */
  update: Uint8Array | undefined;
  readable: [string, number][];
  unreadable: number;
}

/** Opens every entry of a group's log; entries that do not open are counted, never removed. */
function openEntries(storageKey: Uint8Array, id: string, keys: [string, number][], values: unknown[]): StoredLog {
  const updates: Uint8Array[] = [];
  const readable: [string, number][] = [];
  let unreadable = 0;
  keys.forEach((key, index) => {
    try {
      updates.push(openRecord(storageKey, 'log', id, values[index]));
      readable.push(key);
    } catch (error) {
      if (!(error instanceof CorruptRecordError)) throw error;
      unreadable++;
    }
  });
  return { update: updates.length === 0 ? undefined : mergeReadable(updates), readable, unreadable };
}

function mergeReadable(updates: Uint8Array[]): Uint8Array {
  if (updates.length === 1) return updates[0]!;
  try {
    return Y.mergeUpdates(updates);
  } catch {
    throw new CorruptRecordError('stored log updates do not merge');
  }
}

export async function readLog(db: IDBPDatabase<HearthDB>, storageKey: Uint8Array, id: string): Promise<StoredLog> {
  return inTransaction(db, ['log'], 'readonly', async (tx) => {
    const range = logRange(id);
    const [keys, values] = await Promise.all([tx.store.getAllKeys(range), tx.store.getAll(range)]);
    return openEntries(storageKey, id, keys, values);
  });
}

/** Appends one sealed update after the group's last entry; returns how many entries it now has. */
export async function appendLog(
  db: IDBPDatabase<HearthDB>,
  storageKey: Uint8Array,
  id: string,
  update: Uint8Array,
): Promise<number> {
  const sealed = sealRecord(storageKey, 'log', id, update);
  return inTransaction(db, ['log'], 'readwrite', async (tx) => {
    const range = logRange(id);
    const last = await tx.store.openKeyCursor(range, 'prev');
    const seq = last ? last.key[1] + 1 : 0;
    await tx.store.put(sealed, [id, seq]);
    return tx.store.count(range);
  });
}

/**
 * Replaces every readable entry of a group's log with one update holding the same state, in
 * one transaction (entries that do not open are kept). A scratch doc merges them, so content
 * that the log removed (compacted envelopes) is garbage-collected rather than carried along.
 */
export async function compactLog(db: IDBPDatabase<HearthDB>, storageKey: Uint8Array, id: string): Promise<void> {
  await inTransaction(db, ['log'], 'readwrite', async (tx) => {
    const range = logRange(id);
    const [keys, values] = await Promise.all([tx.store.getAllKeys(range), tx.store.getAll(range)]);
    const stored = openEntries(storageKey, id, keys, values);
    if (stored.readable.length < 2 || !stored.update) return;
    const scratch = new Y.Doc();
    try {
      Y.applyUpdate(scratch, stored.update);
    } catch {
      throw new CorruptRecordError('stored log does not apply');
    }
    const merged = Y.encodeStateAsUpdate(scratch);
    scratch.destroy();
    const lastSeq = keys[keys.length - 1]![1];
    await tx.store.put(sealRecord(storageKey, 'log', id, merged), [id, lastSeq + 1]);
    await Promise.all(stored.readable.map((key) => tx.store.delete(key)));
  });
}
