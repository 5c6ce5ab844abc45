import type { AppState } from './state.js';

/**
 * The first screen, known before libsodium and Yjs load: a device that has never run Hearth
 * gets the welcome screen, a locked one the lock screen, straight from IndexedDB's own
 * metadata (which databases exist, and the wrapper kind of the storage key, which is not
 * secret). Anything else, or anything unexpected, waits for the app as before. This module
 * imports nothing, so it is in the first bundle without pulling crypto in.
 */

/** The database and the record read here (src/store/schema.ts, keyWrapper.ts PASSPHRASE_KIND). */
const DATABASE = 'hearth';
const KEYS_STORE = 'keys';
const STORAGE_KEY_ID = 'storage';
const PASSPHRASE_KIND = 'passphrase-argon2id';
export async function firstScreen(location: Pick<Location, 'hash'>): Promise<AppState | undefined> {
  // A fragment (an invite link) leads to a screen only the app can decide.
  if (location.hash.length > 1 || typeof indexedDB === 'undefined' || !indexedDB.databases) return undefined;
  try {
    const databases = await indexedDB.databases();
    if (!databases.some((db) => db.name === DATABASE)) return early('ready');
    return (await storageKeyKind()) === PASSPHRASE_KIND ? early('locked') : undefined;
  } catch {
    return undefined;
  }
}

function early(status: 'ready' | 'locked'): AppState {
  return {
    status,
    route: { name: 'welcome' },
    groups: [],
    updateAvailable: false,
    ...(status === 'locked' ? { unlock: { busy: false, retryAt: 0 } } : {}),
  };
}

/** The kind of the wrapped storage key, read without upgrading or creating anything. */
function storageKeyKind(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const request = indexedDB.open(DATABASE);
    request.onerror = () => resolve(undefined);
    // The database vanished between the two calls: opening without a version would create it.
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onsuccess = () => {
      const db = request.result;
      try {
        const read = db.transaction(KEYS_STORE, 'readonly').objectStore(KEYS_STORE).get(STORAGE_KEY_ID);
        read.onsuccess = () => resolve((read.result as { kind?: unknown } | undefined)?.kind as string | undefined);
        read.onerror = () => resolve(undefined);
      } catch {
        resolve(undefined);
      } finally {
        db.close();
      }
    };
  });
}
