import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { ObservableV2 } from 'lib0/observable';
import { randomBytes, ready, toBase64Url } from '../../crypto/index.js';
import { groupRange } from './envelopeOperations.js';
import { EnvelopeStore } from './envelopeStore.js';
import { fail, storeError, toStoreError, unreadableMessage, type StoreError, type StoreResult } from './errors.js';
import { FIRST_PAGE_SETTING, firstPageKey, sealFirstPage } from './firstPage.js';
import { PASSPHRASE_KIND, webCryptoKeyWrapper, type KeyWrapper } from './keyWrapper.js';
import { legacyLogRange, readLegacyLog } from './legacyLog.js';
import { resealAll } from './reseal.js';
import { decodeDevice, decodeGroup, encodeDevice, encodeGroup, type StoredDevice, type StoredGroup } from './records.js';
import { DB_VERSION, DEVICE_KEY, STORAGE_KEY_ID, upgradeDatabase, type HearthDB } from './schema.js';
import { openJson, sealJson } from './sealedRecord.js';
import { inTransaction } from './transaction.js';

const STORAGE_KEY_BYTES = 32;

/** Known preferences and their types; any other key holds app-defined JSON. Sealed like everything else. */
export interface HearthSettings {
  theme: 'system' | 'light' | 'dark';
  /** base64url id of the group opened last. */
  lastGroupId: string;
}

/** The type stored under a setting key: typed for known keys, any JSON-serializable value otherwise. */
export type SettingValue<K extends string> = K extends keyof HearthSettings ? HearthSettings[K] : unknown;

export type HearthStoreEvents = {
  /**
   * Trouble that no call's result can carry: records skipped because they do not open (left
   * on disk as they are), or the connection closed by the browser or for a newer version.
   */
  error: (error: StoreError) => void;
};

export interface OpenHearthStoreOptions {
  /** How the storage key is wrapped at rest; default: a non-extractable WebCrypto key. */
  keyWrapper?: KeyWrapper;
}

interface ConnectionHooks {
  onBlocking(): void;
  onTerminated(): void;
}

/**
 * Opens (creating or upgrading) the device's database and unwraps its storage key. Never
 * throws: a browser without storage, an old tab blocking the upgrade or data from a newer
 * version come back as a StoreError.
 */
export async function openHearthStore(
  name = 'hearth',
  options: OpenHearthStoreOptions = {},
): Promise<StoreResult<HearthStore>> {
  if (typeof indexedDB === 'undefined') return fail('unavailable');
  try {
    await ready();
    let store: HearthStore | undefined;
    const opened = await openDatabase(name, {
      onBlocking: () => store?.closeFor(storeError('version-too-new', 'Hearth was updated in another tab. Reload this page to keep going.')),
      onTerminated: () => store?.closeFor(storeError('unavailable', "The browser closed Hearth's storage. Reload this page to keep going.")),
    });
    if (!opened.ok) return opened;
    // A connection left open would block the next version's upgrade: close it on any failure.
    const key = await loadStorageKey(opened.value, options.keyWrapper ?? webCryptoKeyWrapper).catch((error: unknown) => {
      opened.value.close();
      throw error;
    });
    if (!key.ok) {
      opened.value.close();
      return key;
    }
    store = new HearthStore(opened.value, key.value.key, key.value.kind);
    return { ok: true, value: store };
  } catch (error) {
    return { ok: false, error: toStoreError(error) };
  }
}

function openDatabase(name: string, hooks: ConnectionHooks): Promise<StoreResult<IDBPDatabase<HearthDB>>> {
  return new Promise((resolve) => {
    let settled = false;
    let upgradeFailure: StoreError | undefined;
    const settle = (result: StoreResult<IDBPDatabase<HearthDB>>): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    openDB<HearthDB>(name, DB_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        const untypedTx = tx as unknown as IDBPTransaction<unknown, string[], 'versionchange'>;
        upgradeDatabase(db as unknown as IDBPDatabase<unknown>, oldVersion, untypedTx).catch((error: unknown) => {
          const cause = toStoreError(error);
          upgradeFailure =
            cause.code === 'failed'
              ? storeError('failed', 'Hearth could not update its saved data to this version. Nothing was changed; please reload.')
              : cause;
          try {
            tx.abort(); // the old version stays as it was
          } catch {
            // Already aborted by the failing request.
          }
        });
      },
      // An older tab holds the database open; the open waits until it closes. We answer now
      // and close the connection if it arrives later.
      blocked: () => settle(fail('blocked')),
      blocking: () => hooks.onBlocking(),
      terminated: () => hooks.onTerminated(),
    }).then(
      (db) => {
        if (settled) db.close();
        else settle({ ok: true, value: db });
      },
      (error: unknown) => settle({ ok: false, error: upgradeFailure ?? toStoreError(error) }),
    );
  });
}

async function loadStorageKey(db: IDBPDatabase<HearthDB>, wrapper: KeyWrapper): Promise<StoreResult<{ key: Uint8Array; kind: string }>> {
  let wrapped = await db.get('keys', STORAGE_KEY_ID);
  if (!wrapped) {
    const fresh = randomBytes(STORAGE_KEY_BYTES);
    const record = await wrapper.wrap(fresh);
    try {
      // `add`, not `put`: if another tab made a key meanwhile, theirs stays and we use it.
      await inTransaction(db, ['keys'], 'readwrite', (tx) => tx.store.add(record, STORAGE_KEY_ID));
      return { ok: true, value: { key: fresh, kind: wrapper.kind } };
    } catch (error) {
      if ((error as { name?: unknown }).name !== 'ConstraintError') throw error;
      wrapped = await db.get('keys', STORAGE_KEY_ID);
      if (!wrapped) return fail('failed');
    }
  }
  if (wrapped.kind !== wrapper.kind) return fail('locked');
  const key = await wrapper.unwrap(wrapped);
  // Under the app lock a key that does not open means a wrong passphrase (or an edited record).
  if (!key && wrapper.kind === PASSPHRASE_KIND) return fail('wrong-passphrase');
  if (!key || key.length !== STORAGE_KEY_BYTES) {
    return fail('corrupt', "The key that protects Hearth's saved data on this device could not be read. Nothing was changed.");
  }
  return { ok: true, value: { key, kind: wrapper.kind } };
}

/**
 * The device's encrypted storage: its identity, its groups, each group's envelopes (and v1
 * logs waiting to be migrated), and settings. Every record on disk is sealed under the
 * storage key (see sealedRecord.ts).
 */
export class HearthStore extends ObservableV2<HearthStoreEvents> {
  private db: IDBPDatabase<HearthDB> | undefined;
  private closedBecause: StoreError = storeError('failed', "Hearth's storage is closed. Reload this page to keep going.");
  private readonly envelopeStores = new Map<string, EnvelopeStore>();

  /** Use openHearthStore(). */
  constructor(
    db: IDBPDatabase<HearthDB>,
    private storageKey: Uint8Array,
    private keyKind: string,
  ) {
    super();
    this.db = db;
  }

  /**
   * Keeps `page` as the first page (firstPage.ts), which reopening shows before libsodium has
   * loaded. Under the app lock nothing could open it before the unlock: it is deleted instead.
   */
  saveFirstPage(page: unknown): Promise<StoreResult<void>> {
    if (this.passphraseProtected) return this.forgetFirstPage();
    const storageKey = this.storageKey;
    return this.run(async (db) => {
      const sealed = await sealFirstPage(await firstPageKey(storageKey), page);
      // The lock changed the storage key meanwhile: this page would open under no key.
      if (this.storageKey !== storageKey) return;
      await inTransaction(db, ['settings'], 'readwrite', async (tx) => void (await tx.store.put(sealed, FIRST_PAGE_SETTING)));
    });
  }

  forgetFirstPage(): Promise<StoreResult<void>> {
    return this.run((db) => inTransaction(db, ['settings'], 'readwrite', async (tx) => void (await tx.store.delete(FIRST_PAGE_SETTING))));
  }

  /** True when the storage key is wrapped under the app lock's passphrase. */
  get passphraseProtected(): boolean {
    return this.keyKind === PASSPHRASE_KIND;
  }

  /**
   * Turning the lock on or off, or changing the passphrase: a fresh storage key, wrapped by
   * `wrapper`, replaces the old one and every record is re-sealed under it in one transaction
   * (reseal.ts), so the old key, and the old way it was wrapped, protect nothing any more.
   */
  rotateStorageKey(wrapper: KeyWrapper): Promise<StoreResult<void>> {
    return this.run(async (db) => {
      // The app closes its group before the lock changes; whatever a store still queues is sealed
      // under the old key, so it is written first and re-sealed with the rest.
      await Promise.all([...this.envelopeStores.values()].map((store) => store.flush()));
      const fresh = randomBytes(STORAGE_KEY_BYTES);
      const wrapped = await wrapper.wrap(fresh);
      const old = this.storageKey;
      const resealing = resealAll(db, old, fresh, wrapped);
      // Writes sealed from here on use the new key; their transactions queue behind the re-seal.
      this.storageKey = fresh;
      try {
        await resealing;
      } catch (error) {
        this.storageKey = old;
        fresh.fill(0);
        throw error;
      }
      old.fill(0);
      this.keyKind = wrapper.kind;
    });
  }

  loadDevice(): Promise<StoreResult<StoredDevice | undefined>> {
    return this.run(async (db) => {
      const sealed = await db.get('device', DEVICE_KEY);
      return sealed === undefined ? undefined : decodeDevice(openJson(this.storageKey, 'device', DEVICE_KEY, sealed));
    });
  }

  saveDevice(device: StoredDevice): Promise<StoreResult<void>> {
    const sealed = sealJson(this.storageKey, 'device', DEVICE_KEY, encodeDevice(device));
    return this.run((db) => inTransaction(db, ['device'], 'readwrite', async (tx) => void (await tx.store.put(sealed, DEVICE_KEY))));
  }

  /** Every group whose record opens; one that does not is left on disk and reported through `error`. */
  listGroups(): Promise<StoreResult<StoredGroup[]>> {
    return this.run(async (db) => {
      const [keys, values] = await inTransaction(db, ['groups'], 'readonly', (tx) =>
        Promise.all([tx.store.getAllKeys(), tx.store.getAll()]),
      );
      const groups: StoredGroup[] = [];
      let unreadable = 0;
      keys.forEach((key, index) => {
        try {
          const group = decodeGroup(openJson(this.storageKey, 'group', key, values[index]));
          if (group.id === key) groups.push(group);
          else unreadable++;
        } catch {
          unreadable++;
        }
      });
      if (unreadable > 0) this.emit('error', [storeError('corrupt', unreadableMessage(unreadable, 'group'))]);
      return groups.sort((a, b) => a.joinedAt - b.joinedAt);
    });
  }

  saveGroup(group: StoredGroup): Promise<StoreResult<void>> {
    if (group.id !== toBase64Url(group.groupId)) return Promise.resolve(fail('failed', "This group's details do not match each other, so they were not saved."));
    const sealed = sealJson(this.storageKey, 'group', group.id, encodeGroup(group));
    return this.run((db) => inTransaction(db, ['groups'], 'readwrite', async (tx) => void (await tx.store.put(sealed, group.id))));
  }

  /**
   * One group's envelopes: the same live EnvelopeStore for every call until it is closed, so
   * all writes of a group go through one ordered queue.
   */
  envelopes(groupId: string): EnvelopeStore {
    const live = this.envelopeStores.get(groupId);
    if (live) return live;
    const keyOf = (): Uint8Array => this.storageKey;
    const store = new EnvelopeStore(groupId, {
      connection: () => (this.db ? { ok: true, value: this.db } : { ok: false, error: this.closedBecause }),
      // Read at each use: the key changes when the lock is turned on or off.
      get storageKey() {
        return keyOf();
      },
      closed: (closed) => {
        if (this.envelopeStores.get(groupId) === closed) this.envelopeStores.delete(groupId);
      },
    });
    this.envelopeStores.set(groupId, store);
    return store;
  }

  /**
   * Leaving a group: its record, its envelopes and any v1 log go in one transaction, after
   * its queued writes were dropped and a write under way has finished.
   */
  deleteGroup(id: string): Promise<StoreResult<void>> {
    return this.run(async (db) => {
      await this.envelopeStores.get(id)?.close({ discard: true });
      await inTransaction(db, ['groups', 'log', 'envelopes'], 'readwrite', async (tx) => {
        await Promise.all([
          tx.objectStore('groups').delete(id),
          tx.objectStore('log').delete(legacyLogRange(id)),
          tx.objectStore('envelopes').delete(groupRange(id)),
        ]);
      });
    });
  }

  /**
   * A group's version 1 ciphertext log as one merged Yjs update (undefined when there is
   * none), for the one-time migration to envelopes. Entries that do not open are skipped and
   * reported through `error`. Writes nothing.
   */
  loadLegacyLog(id: string): Promise<StoreResult<Uint8Array | undefined>> {
    return this.run(async (db) => {
      const stored = await readLegacyLog(db, this.storageKey, id);
      if (stored.unreadable > 0) this.emit('error', [storeError('corrupt', unreadableMessage(stored.unreadable, 'change'))]);
      return stored.update;
    });
  }

  /** Deletes a group's version 1 log, once its board lives on as envelopes. */
  deleteLegacyLog(id: string): Promise<StoreResult<void>> {
    return this.run((db) => inTransaction(db, ['log'], 'readwrite', (tx) => tx.store.delete(legacyLogRange(id))));
  }

  getSetting<K extends string>(key: K): Promise<StoreResult<SettingValue<K> | undefined>> {
    return this.run(async (db) => {
      const sealed = await db.get('settings', key);
      // Sealed by this device under this name: authenticated, so it is what setSetting wrote.
      return sealed === undefined ? undefined : (openJson(this.storageKey, 'setting', key, sealed) as SettingValue<K>);
    });
  }

  /** `value` must survive JSON (no bytes, no undefined inside); null is a fine way to clear. */
  setSetting<K extends string>(key: K, value: SettingValue<K>): Promise<StoreResult<void>> {
    const sealed = sealJson(this.storageKey, 'setting', key, value);
    return this.run((db) => inTransaction(db, ['settings'], 'readwrite', async (tx) => void (await tx.store.put(sealed, key))));
  }

  /** Same as on('error', listener); returns the unsubscribe. */
  onError(listener: (error: StoreError) => void): () => void {
    this.on('error', listener);
    return () => this.off('error', listener);
  }

  /** Writes what every group's envelope store has queued, then closes the connection. */
  async close(): Promise<void> {
    await Promise.all([...this.envelopeStores.values()].map((store) => store.close()));
    this.db?.close();
    this.db = undefined;
    // Nothing readable stays in memory once the store is closed (the app lock relies on it).
    this.storageKey.fill(0);
  }

  /** @internal The connection must go (a newer version waits, or the browser ended it). */
  closeFor(reason: StoreError): void {
    if (!this.db) return;
    this.closedBecause = reason;
    this.emit('error', [reason]);
    void this.close();
  }

  private async run<T>(operation: (db: IDBPDatabase<HearthDB>) => Promise<T>): Promise<StoreResult<T>> {
    const db = this.db;
    if (!db) return { ok: false, error: this.closedBecause };
    try {
      return { ok: true, value: await operation(db) };
    } catch (error) {
      return { ok: false, error: toStoreError(error) };
    }
  }
}
