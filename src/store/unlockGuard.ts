import { openDB } from 'idb';
import { OK, fail, toStoreError, type StoreResult } from './errors.js';
import type { HearthDB } from './schema.js';

/** Where the guard lives in the `keys` store: readable while locked, so it holds no secret. */
export const UNLOCK_GUARD_ID = 'unlock-guard';

/**
 * Failed unlocks on this device, and the person's choice to wipe after too many. It slows
 * guessing on the device itself; someone who copies the profile can edit it, which is why the
 * passphrase goes through argon2id (docs/PROTOCOL.md §Unlock guard).
 */
export interface UnlockGuard {
  failures: number;
  /** ms since the epoch of the last failure; 0 when none. */
  lastFailureAt: number;
  /** Wipe the device after this many failures in a row; null: never (the default). */
  wipeAfter: number | null;
}

export const NO_FAILURES: UnlockGuard = { failures: 0, lastFailureAt: 0, wipeAfter: null };

/** Failures allowed before waits begin, and the longest wait. */
const FREE_TRIES = 3;
const MAX_WAIT_MS = 5 * 60_000;

/** How long after the last failure the next try is allowed: 0 for the first tries, then doubling from 1 s up to 5 min. */
export function unlockWaitMs(failures: number): number {
  if (failures < FREE_TRIES) return 0;
  return Math.min(1000 * 2 ** (failures - FREE_TRIES), MAX_WAIT_MS);
}

function parseGuard(value: unknown): UnlockGuard {
  const record = (value ?? {}) as Record<string, unknown>;
  const count = (field: string): number => {
    const n = record[field];
    return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
  };
  const wipeAfter = record['wipeAfter'];
  return {
    failures: count('failures'),
    lastFailureAt: count('lastFailureAt'),
    wipeAfter: typeof wipeAfter === 'number' && Number.isInteger(wipeAfter) && wipeAfter >= 1 ? wipeAfter : null,
  };
}

/** Opens the existing database as it is (no upgrade); the guard is only used once a lock exists. */
async function withKeys<T>(name: string, work: (db: Awaited<ReturnType<typeof openDB<HearthDB>>>) => Promise<T>): Promise<StoreResult<T>> {
  try {
    const db = await openDB<HearthDB>(name);
    try {
      if (!db.objectStoreNames.contains('keys')) return fail('failed');
      return { ok: true, value: await work(db) };
    } finally {
      db.close();
    }
  } catch (error) {
    return { ok: false, error: toStoreError(error) };
  }
}

export function readUnlockGuard(name = 'hearth'): Promise<StoreResult<UnlockGuard>> {
  return withKeys(name, async (db) => parseGuard(await db.get('keys', UNLOCK_GUARD_ID)));
}

export async function writeUnlockGuard(guard: UnlockGuard, name = 'hearth'): Promise<StoreResult<void>> {
  const written = await withKeys(name, async (db) => {
    const tx = db.transaction('keys', 'readwrite');
    void tx.store.put({ v: 1, kind: UNLOCK_GUARD_ID, ...guard }, UNLOCK_GUARD_ID);
    await tx.done;
  });
  return written.ok ? OK : written;
}
