import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { HearthDB } from './schema.js';

type Names = StoreNames<HearthDB>[];

/**
 * Runs `work` in one transaction and settles only when the transaction has committed or
 * failed: a quota error at commit time arrives as an abort, after every request succeeded.
 * If `work` throws, the transaction is aborted, so a half-done write never lands.
 */
export async function inTransaction<T, const S extends Names, M extends IDBTransactionMode>(
  db: IDBPDatabase<HearthDB>,
  stores: S,
  mode: M,
  work: (tx: IDBPTransaction<HearthDB, S, M>) => Promise<T>,
): Promise<T> {
  const tx = db.transaction(stores, mode);
  let result: T;
  try {
    result = await work(tx);
  } catch (error) {
    tx.done.catch(() => undefined); // the abort below rejects it; the cause is `error`
    try {
      tx.abort();
    } catch {
      // Already finished or aborting (a failed request aborts it): nothing more to undo.
    }
    throw error;
  }
  await tx.done;
  return result;
}
