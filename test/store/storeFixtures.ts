import { deleteDB, openDB } from 'idb';
import { createDeviceIdentity, ready, toBase64Url } from '../../crypto/index.js';
import type { StoredEnvelope } from '../../src/log/ports.js';
import type { StoredDevice, StoredGroup } from '../../src/store/index.js';

/** Planted strings: none of them may appear anywhere in IndexedDB. */
export const DISPLAY_NAME = 'Marigold Quietwater';
export const GROUP_NAME = 'Tuesday Lantern Circle';
export const GUIDELINES = 'What is said in the lantern room stays in the lantern room.';
export const BODY = 'Ninety-one days since the zebra night; the walk by the canal helped.';
export const REPLY = 'So proud of you, the canal walk is a good one.';

export const GROUP_ID = Uint8Array.from({ length: 16 }, (_, i) => i * 17);

let databases = 0;

/**
 * For a describe block: loads crypto before its tests and returns a maker of fresh database
 * names, every one of which is deleted after them.
 */
export function useScratchDatabases(): () => string {
  const names: string[] = [];
  before(async () => {
    await ready();
  });
  after(async () => {
    for (const name of names) await deleteDB(name);
  });
  return () => {
    const name = `hearth-test-${Date.now()}-${databases++}`;
    names.push(name);
    return name;
  };
}

export function device(): StoredDevice {
  return { identity: createDeviceIdentity(), displayName: DISPLAY_NAME, createdAt: 1_700_000_000_000 };
}

export function groupRecord(groupId = GROUP_ID, secret = new Uint8Array(32).fill(0xa5)): StoredGroup {
  return {
    id: toBase64Url(groupId),
    groupId,
    name: GROUP_NAME,
    focus: 'mental-health',
    guidelines: GUIDELINES,
    epochs: [{ epoch: 0, secret }],
    joinedAt: 1_700_000_000_500,
    counter: 42,
    creatorId: toBase64Url(new Uint8Array(32).fill(7)),
    logVersion: 2,
  };
}

const utf8 = new TextEncoder();

/** A stored link whose "envelope" is readable text, so a scan of the disk would find it if it were not sealed. */
export function link(authorId: string, seq: number, text = `${BODY} (${authorId} #${seq})`): StoredEnvelope {
  return { authorId, seq, envelope: utf8.encode(text) };
}

export function linkText(stored: StoredEnvelope): string {
  return new TextDecoder().decode(stored.envelope);
}

export function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`store error ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Every key and value of every store, read with raw IndexedDB. */
export async function rawContents(name: string): Promise<{ version: number; stores: Record<string, { keys: unknown[]; values: unknown[] }> }> {
  const db = await openDB(name);
  const stores: Record<string, { keys: unknown[]; values: unknown[] }> = {};
  for (const storeName of [...db.objectStoreNames]) {
    stores[storeName] = { keys: await db.getAllKeys(storeName), values: await db.getAll(storeName) };
  }
  const version = db.version;
  db.close();
  return { version, stores };
}
