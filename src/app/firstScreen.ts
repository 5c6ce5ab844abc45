import type { AppState } from './state.js';

/**
 * The first screen, known before libsodium and Yjs load: a device that has never run Hearth
 * gets the welcome screen, a locked one the lock screen, straight from IndexedDB's own
 * metadata (which databases exist, and the wrapper kind of the storage key, which is not
 * secret); one without the lock reopens its last group's board from the first page, which
 * WebCrypto opens (src/store/firstPage.ts). Anything else, or anything unexpected, waits for
 * the app as before. Nothing imported here pulls crypto or Yjs into the first bundle.
 */

/** The database and the kind read here (src/store/schema.ts, keyWrapper.ts PASSPHRASE_KIND). */
const DATABASE = 'hearth';
const PASSPHRASE_KIND = 'passphrase-argon2id';

export interface FirstScreenOptions {
  /** The database to look for (tests use their own). */
  database?: string;
  /** The list of databases, if already asked for (src/app/databasesProbe.ts); else asked here. */
  databases?: Promise<readonly IDBDatabaseInfo[] | undefined>;
  /** Called as soon as the device is known to have run Hearth before, ahead of reading its first page. */
  onReturning?: () => void;
}

export async function firstScreen(
  location: Pick<Location, 'hash'>,
  { database = DATABASE, databases, onReturning }: FirstScreenOptions = {},
): Promise<AppState | undefined> {
  // A fragment (an invite link) leads to a screen only the app can decide.
  if (location.hash.length > 1 || typeof indexedDB === 'undefined' || !indexedDB.databases) return undefined;
  try {
    const list = await (databases ?? indexedDB.databases());
    if (list === undefined) return undefined;
    if (!list.some((db) => db.name === database)) return early('ready');
    onReturning?.();
    const [{ readEarly }, { firstPageScreen }] = await loadFirstPageReader();
    const { keyKind, firstPage } = await readEarly(database);
    if (keyKind === PASSPHRASE_KIND) return early('locked');
    return firstPage === undefined ? undefined : firstPageScreen(firstPage);
  } catch {
    return undefined;
  }
}

let reader: Promise<[typeof import('../store/firstPage.js'), typeof import('./firstPage.js')]> | undefined;

/**
 * The modules that read and show the first page, loaded once: only for a returning device (a
 * first visit fetches none of it), and as early as the device is known or likely to be one.
 */
export function loadFirstPageReader(): NonNullable<typeof reader> {
  reader ??= Promise.all([import('../store/firstPage.js'), import('./firstPage.js')]);
  return reader;
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
