import { STORAGE_KEY_ID } from './schema.js';
import { webCryptoKeyWrapper } from './webCryptoKeyWrapper.js';
import type { WrappedStorageKey } from './keyWrapper.js';

/**
 * The first page: the recent page of the group open last (src/app/recentPage.ts), kept a
 * second time so that reopening shows it before libsodium has loaded. It is sealed with
 * AES-256-GCM (WebCrypto) under a key derived with HKDF-SHA-256 from the storage key, so it is
 * exactly as protected as every other record, and padded to a multiple of 4 KiB. Only written
 * while the storage key is WebCrypto-wrapped (no app lock): under the lock nothing could open
 * it before the unlock, and turning the lock on deletes it (reseal.ts). This module imports no
 * libsodium. Format: docs/PROTOCOL.md §14.
 */

/** The settings key it is kept under. */
export const FIRST_PAGE_SETTING = 'first-page';
export const FIRST_PAGE_FORMAT = 'first-page-aes-gcm-1';

export interface SealedFirstPage {
  f: typeof FIRST_PAGE_FORMAT;
  iv: Uint8Array;
  ct: Uint8Array;
}

const encoder = new TextEncoder();
const HKDF_INFO = encoder.encode('hearth:first-page:v1');
const ASSOCIATED = encoder.encode(`hearth:setting:${FIRST_PAGE_SETTING}:${FIRST_PAGE_FORMAT}`);
const PAD_BLOCK = 4096;
const IV_BYTES = 12;
const SPACE = 0x20;

/** The AES-GCM key of the first page, derived from the storage key (non-extractable). */
export async function firstPageKey(storageKey: Uint8Array): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', storageKey as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: HKDF_INFO },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function sealFirstPage(key: CryptoKey, value: unknown): Promise<SealedFirstPage> {
  const json = encoder.encode(JSON.stringify(value));
  // Trailing spaces are JSON whitespace: the padding needs no length field.
  const padded = new Uint8Array(Math.ceil((json.length + 1) / PAD_BLOCK) * PAD_BLOCK).fill(SPACE);
  padded.set(json);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: ASSOCIATED }, key, padded));
  return { f: FIRST_PAGE_FORMAT, iv, ct };
}

/** The value sealed in `sealed`; undefined when it is not a first page or does not open under `key`. */
export async function openFirstPage(key: CryptoKey, sealed: unknown): Promise<unknown> {
  if (!isSealedFirstPage(sealed)) return undefined;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: sealed.iv as Uint8Array<ArrayBuffer>, additionalData: ASSOCIATED },
      key,
      sealed.ct as Uint8Array<ArrayBuffer>,
    );
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain)) as unknown;
  } catch {
    // A failed tag check (another key, edited bytes) or bytes that are not JSON: no first page.
    return undefined;
  }
}

export function isSealedFirstPage(value: unknown): value is SealedFirstPage {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<SealedFirstPage>;
  return record.f === FIRST_PAGE_FORMAT && record.iv instanceof Uint8Array && record.iv.length === IV_BYTES && record.ct instanceof Uint8Array;
}

/** What the first screen learns from the database before the app loads. */
export interface EarlyRead {
  /** The kind of the wrapped storage key (not secret), when there is one. */
  keyKind?: string;
  /** The first page, opened; only when the storage key is WebCrypto-wrapped. */
  firstPage?: unknown;
}

/**
 * Reads the wrapped storage key's kind and, without the app lock, the first page, straight
 * from IndexedDB: without upgrading or creating anything, and never throwing.
 */
export async function readEarly(database: string): Promise<EarlyRead> {
  const [wrapped, sealed] = await rawRead(database);
  if (!isWrapped(wrapped)) return {};
  if (sealed === undefined || wrapped.kind !== webCryptoKeyWrapper.kind) return { keyKind: wrapped.kind };
  const storageKey = await webCryptoKeyWrapper.unwrap(wrapped);
  if (!storageKey) return { keyKind: wrapped.kind };
  try {
    const firstPage = await openFirstPage(await firstPageKey(storageKey), sealed);
    return firstPage === undefined ? { keyKind: wrapped.kind } : { keyKind: wrapped.kind, firstPage };
  } catch {
    return { keyKind: wrapped.kind };
  } finally {
    storageKey.fill(0);
  }
}

const isWrapped = (value: unknown): value is WrappedStorageKey =>
  typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';

/** The wrapped storage key and the sealed first page, as stored (undefined where absent). */
function rawRead(database: string): Promise<[unknown, unknown]> {
  return new Promise((resolve) => {
    const none: [unknown, unknown] = [undefined, undefined];
    const request = indexedDB.open(database);
    request.onerror = () => resolve(none);
    // The database vanished since it was listed: opening without a version would create it.
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onsuccess = () => {
      const db = request.result;
      try {
        const tx = db.transaction(['keys', 'settings'], 'readonly');
        const key = tx.objectStore('keys').get(STORAGE_KEY_ID);
        const page = tx.objectStore('settings').get(FIRST_PAGE_SETTING);
        tx.oncomplete = () => resolve([key.result, page.result]);
        tx.onerror = () => resolve(none);
        tx.onabort = () => resolve(none);
      } catch {
        resolve(none);
      } finally {
        db.close();
      }
    };
  });
}
