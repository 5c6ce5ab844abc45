import { deleteDB, openDB } from 'idb';
import type { HearthDB } from './schema.js';

/**
 * Wipes Hearth's storage on this device. The wrapped storage key goes first, in a transaction
 * of its own: from the moment it commits, every other record is unreadable, even if the page
 * dies before the rest is deleted. Then every database of this origin is deleted (another tab's
 * open connection is asked to close; deletion completes once it has). Works offline.
 */
export async function wipeStorage(name = 'hearth'): Promise<void> {
  await deleteWrappedKey(name).catch(() => undefined); // no database, or unreadable: deletion below still runs
  const names = new Set([name]);
  if (typeof indexedDB.databases === 'function') {
    for (const info of await indexedDB.databases()) if (info.name) names.add(info.name);
  }
  await Promise.all([...names].map((db) => deleteDB(db)));
}

async function deleteWrappedKey(name: string): Promise<void> {
  const databases = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : [{ name }];
  if (!databases.some((info) => info.name === name)) return;
  const db = await openDB<HearthDB>(name);
  try {
    if (!db.objectStoreNames.contains('keys')) return;
    const tx = db.transaction('keys', 'readwrite');
    void tx.store.clear();
    await tx.done;
  } finally {
    db.close();
  }
}
