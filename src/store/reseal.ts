import type { IDBPDatabase, StoreNames } from 'idb';
import { envelopeRecordKey } from './envelopeOperations.js';
import { CorruptRecordError } from './errors.js';
import { FIRST_PAGE_SETTING } from './firstPage.js';
import type { WrappedStorageKey } from './keyWrapper.js';
import { STORAGE_KEY_ID, type HearthDB } from './schema.js';
import { openRecord, sealRecord, type RecordKind } from './sealedRecord.js';
import { inTransaction } from './transaction.js';

/** Every store whose values are SealedRecords (all but `keys`). */
export type SealedStoreName = Exclude<StoreNames<HearthDB>, 'keys'>;

/**
 * How a record's associated data is formed from its IndexedDB key (see sealedRecord.ts); null
 * for a copy kept sealed another way, which re-sealing deletes (the app writes it again).
 */
export type AssociatedDataOf<S extends SealedStoreName> = (key: HearthDB[S]['key']) => { kind: RecordKind; key: string } | null;

/**
 * One row per sealed store. A store added to the schema needs its row here, or re-sealing
 * refuses to run (rather than leave that store's records under the old key).
 */
export const SEALED_STORES: { [S in SealedStoreName]: AssociatedDataOf<S> } = {
  device: (key) => ({ kind: 'device', key }),
  groups: (key) => ({ kind: 'group', key }),
  log: ([groupId]) => ({ kind: 'log', key: groupId }),
  envelopes: ([groupId, authorId, seq]) => ({ kind: 'envelope', key: envelopeRecordKey(groupId, authorId, seq) }),
  // The first page (firstPage.ts) is under a key derived from the storage key: it goes with the old key.
  settings: (key) => (key === FIRST_PAGE_SETTING ? null : { kind: 'setting', key }),
};

export interface ResealResult {
  resealed: number;
  /** Records that did not open under the old key: left as they are (they were unreadable already). */
  unreadable: number;
}

/**
 * Opens every sealed record with `oldKey`, seals it again with `newKey` and stores
 * `wrapped` (the new key, wrapped) in its place, in one transaction: either all of it lands
 * or nothing does. The transaction is created before the first await, so a write issued after
 * this call queues behind it.
 */
export async function resealAll(
  db: IDBPDatabase<HearthDB>,
  oldKey: Uint8Array,
  newKey: Uint8Array,
  wrapped: WrappedStorageKey,
  table: Readonly<Record<string, ((key: never) => { kind: RecordKind; key: string } | null) | undefined>> = SEALED_STORES,
): Promise<ResealResult> {
  const names = [...db.objectStoreNames] as StoreNames<HearthDB>[];
  const sealed = names.filter((name): name is SealedStoreName => name !== 'keys');
  const missing = sealed.filter((name) => !table[name]);
  if (missing.length > 0) throw new Error(`no re-seal rule for store ${missing.join(', ')}`);
  return inTransaction(db, names, 'readwrite', async (tx) => {
    const result: ResealResult = { resealed: 0, unreadable: 0 };
    for (const name of sealed) {
      const associated = table[name]!;
      let cursor = await tx.objectStore(name).openCursor();
      while (cursor) {
        const associatedData = associated(cursor.primaryKey as never);
        if (!associatedData) {
          await cursor.delete();
          cursor = await cursor.continue();
          continue;
        }
        const { kind, key } = associatedData;
        let plaintext: Uint8Array | undefined;
        try {
          plaintext = openRecord(oldKey, kind, key, cursor.value);
        } catch (error) {
          if (!(error instanceof CorruptRecordError)) throw error;
          result.unreadable++;
        }
        if (plaintext) {
          await cursor.update(sealRecord(newKey, kind, key, plaintext));
          plaintext.fill(0);
          result.resealed++;
        }
        cursor = await cursor.continue();
      }
    }
    await tx.objectStore('keys').put(wrapped, STORAGE_KEY_ID);
    return result;
  });
}
