// @ts-ignore -- y-indexeddb is an optional dev dependency until installed (bench/README.md); then this line is inert.
import { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

/** The plain-Yjs side of "open offline": y-indexeddb, the standard IndexedDB provider. */

interface Persistence {
  whenSynced: Promise<unknown>;
  destroy(): Promise<void>;
}
const Provider = IndexeddbPersistence as new (name: string, doc: Y.Doc) => Persistence;

/**
 * Stores `doc` under `name` (y-indexeddb writes the doc's whole state on first sync) and
 * resolves once that write is committed, so the page may close. Returns the stored entries.
 */
export async function storePlain(name: string, doc: Y.Doc): Promise<number> {
  const persistence = new Provider(name, doc);
  await persistence.whenSynced;
  await persistence.destroy();
  // A transaction over the same store starts only after y-indexeddb's write has committed.
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const count = db.transaction('updates', 'readonly').objectStore('updates').count();
      count.onerror = () => reject(count.error);
      count.onsuccess = () => {
        db.close();
        resolve(count.result);
      };
    };
  });
}

/** Loads `name` into `doc`; resolves once every stored update is applied. */
export async function loadPlain(name: string, doc: Y.Doc): Promise<() => Promise<void>> {
  const persistence = new Provider(name, doc);
  await persistence.whenSynced;
  return () => persistence.destroy();
}
