import type { DBSchema, IDBPDatabase, IDBPTransaction } from 'idb';
import type { WrappedStorageKey } from './keyWrapper.js';
import type { SealedFirstPage } from './firstPage.js';
import type { SealedRecord } from './sealedRecord.js';

/**
 * IndexedDB layout, version 3 (current). Keys are opaque (a fixed word, a random group id in
 * base64url, an author's key in base64url, a setting's name, a sequence number); every value
 * but the wrapped storage key is a SealedRecord.
 */
export interface HearthDB extends DBSchema {
  /** 'storage' → the storage key, wrapped by a KeyWrapper. */
  keys: { key: string; value: WrappedStorageKey };
  /** 'device' → sealed StoredDevice. */
  device: { key: string; value: SealedRecord };
  /** group id (base64url) → sealed StoredGroup. */
  groups: { key: string; value: SealedRecord };
  /**
   * [group id, sequence] → one sealed Yjs update of a version 1 ciphertext log doc. Only logs
   * still waiting to be migrated to envelopes live here; nothing new is written to it.
   */
  log: { key: [string, number]; value: SealedRecord };
  /** [group id, author id, seq] → one sealed envelope of that author's chain (log format v2). */
  envelopes: { key: [string, string, number]; value: SealedRecord };
  /** setting name → sealed JSON value; 'first-page' → the first page, sealed with WebCrypto (firstPage.ts). */
  settings: { key: string; value: SealedRecord | SealedFirstPage };
}

export const DB_VERSION = 3;
export const STORAGE_KEY_ID = 'storage';
export const DEVICE_KEY = 'device';

/** Version 1 kept log updates in one auto-numbered store with an index by group. */
export interface HearthDBV1Updates {
  groupId: string;
  sealed: SealedRecord;
}

type UpgradeDatabase = IDBPDatabase<unknown>;
type UpgradeTransaction = IDBPTransaction<unknown, string[], 'versionchange'>;

/**
 * `upgrades[n]` takes the database from version n to n + 1. They run in order inside the one
 * versionchange transaction, so a fresh database goes through every step, and an interrupted
 * upgrade leaves the old version intact. Steps only move sealed bytes: nothing is decrypted.
 */
export const upgrades: Record<number, (db: UpgradeDatabase, tx: UpgradeTransaction) => Promise<void>> = {
  0: async (db) => {
    db.createObjectStore('keys');
    db.createObjectStore('device');
    db.createObjectStore('groups');
    db.createObjectStore('settings');
    db.createObjectStore('updates', { autoIncrement: true }).createIndex('groupId', 'groupId');
  },
  // v2: one key range per group ([id, seq]), so a group's log is read, compacted and wiped
  // without an index, in order.
  1: async (db, tx) => {
    const log = db.createObjectStore('log');
    let cursor = await tx.objectStore('updates').openCursor();
    while (cursor) {
      const { groupId, sealed } = cursor.value as HearthDBV1Updates;
      await log.put(sealed, [groupId, cursor.primaryKey as number]);
      cursor = await cursor.continue();
    }
    db.deleteObjectStore('updates');
  },
  // v3: envelopes keyed by group, author and seq, so a chain is read, superseded or truncated
  // as one key range. `log` stays until the app has migrated each group's v1 board.
  2: async (db) => {
    db.createObjectStore('envelopes');
  },
};

/** Runs the steps from `oldVersion` up to DB_VERSION; errors abort the versionchange transaction. */
export async function upgradeDatabase(db: UpgradeDatabase, oldVersion: number, tx: UpgradeTransaction): Promise<void> {
  for (let version = oldVersion; version < DB_VERSION; version++) {
    const step = upgrades[version];
    if (!step) throw new Error(`no upgrade from database version ${version}`);
    await step(db, tx);
  }
}
