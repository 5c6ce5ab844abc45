import sodium from 'libsodium-wrappers-sumo';
import type { Page } from 'playwright-core';
import { ready } from '../../crypto/index.js';
import { derivePassphraseKey } from '../../crypto/pwhash.js';
import { decodeDevice, openJson, passphraseKeyWrapper, webCryptoKeyWrapper, type WrappedStorageKey } from '../../src/store/index.js';

/**
 * What an attacker would look for in a copied profile, taken from the running app by the test:
 * the raw storage key and the device's secret keys. The page hands over the stored records
 * (IndexedDB, read as any script of the origin could); node opens them with Hearth's own code.
 */

type Plain = Record<string, unknown>;

/** The `keys` record and the sealed device record, with bytes as arrays (and the CryptoKey used in the page). */
async function storedKeyRecords(page: Page): Promise<{ key: Plain; device: Plain; unwrapped?: number[] }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('hearth');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(new Error('cannot open hearth'));
    });
    const get = (store: string, key: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).get(key);
        request.onsuccess = () => resolve(request.result as Record<string, unknown>);
        request.onerror = () => reject(new Error(`cannot read ${store}`));
      });
    const [key, device] = [await get('keys', 'storage'), await get('device', 'device')];
    db.close();
    const plain = (record: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(record).filter(([, v]) => !(v instanceof CryptoKey)).map(([k, v]) => [k, v instanceof Uint8Array ? [...v] : v]));
    let unwrapped: number[] | undefined;
    if (key['wrappingKey'] instanceof CryptoKey) {
      // The WebCrypto wrapper: what Hearth itself does at start-up (keyWrapper.ts).
      const raw = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: key['iv'] as Uint8Array<ArrayBuffer>, additionalData: new TextEncoder().encode('hearth:storage-key:v1') },
        key['wrappingKey'],
        key['wrapped'] as Uint8Array<ArrayBuffer>,
      );
      unwrapped = [...new Uint8Array(raw)];
    }
    return { key: plain(key), device: plain(device), ...(unwrapped ? { unwrapped } : {}) };
  });
}

const bytes = (record: Plain): Plain => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Array.isArray(v) ? Uint8Array.from(v as number[]) : v]));

export interface ExportedKeys {
  storageKey: Uint8Array;
  signSecretKey: Uint8Array;
  boxSecretKey: Uint8Array;
  /** The storage key as wrapped on disk (its AES-GCM ciphertext, or the passphrase record's). */
  wrappedBytes: Uint8Array;
}

/** The storage key and device secrets of a running, unlocked app; with `passphrase`, of one under the lock. */
export async function exportKeys(page: Page, passphrase?: string): Promise<ExportedKeys> {
  await ready();
  await sodium.ready;
  const stored = await storedKeyRecords(page);
  const record = bytes(stored.key) as WrappedStorageKey;
  let storageKey: Uint8Array | null;
  if (passphrase) {
    const wrapper = passphraseKeyWrapper(passphrase, async (p, salt, params) => derivePassphraseKey(sodium, p, salt, params));
    storageKey = await wrapper.unwrap(record);
  } else {
    storageKey = stored.unwrapped ? Uint8Array.from(stored.unwrapped) : null;
  }
  if (!storageKey) throw new Error(`the storage key (${String(record.kind)}) did not unwrap`);
  if (!passphrase && record.kind !== webCryptoKeyWrapper.kind) throw new Error('expected the WebCrypto wrapper');
  const device = decodeDevice(openJson(storageKey, 'device', 'device', bytes(stored.device)));
  return {
    storageKey,
    signSecretKey: device.identity.signSecretKey,
    boxSecretKey: device.identity.boxSecretKey,
    wrappedBytes: record['wrapped'] as Uint8Array,
  };
}

/** Every text the app renders (open shadow roots included). */
export function appText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walk = (node: Node): void => {
      if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
      if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
      if (node instanceof HTMLInputElement) parts.push(node.value);
      node.childNodes.forEach(walk);
    };
    walk(document.body);
    return parts.join(' ').replace(/\s+/g, ' ');
  });
}
