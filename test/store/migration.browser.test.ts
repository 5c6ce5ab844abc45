import { openDB } from 'idb';
import * as Y from 'yjs';
import { randomBytes, toBase64Url } from '../../crypto/index.js';
import {
  DB_VERSION,
  encodeDevice,
  openHearthStore,
  sealJson,
  sealRecord,
  webCryptoKeyWrapper,
  type StoreError,
  type StoredGroup,
} from '../../src/store/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { DISPLAY_NAME, GROUP_NAME, device, groupRecord, rawContents, useScratchDatabases, unwrap } from './storeFixtures.js';

const OTHER = { ...groupRecord(new Uint8Array(16).fill(9)), joinedAt: 1_800_000_000_000 };

/** A group record as version 1 of the format wrote it (no creator, no log version). */
function groupPlaintextV1(group: StoredGroup): unknown {
  return {
    v: 1,
    groupId: toBase64Url(group.groupId),
    name: group.name,
    epochs: group.epochs.map(({ epoch, secret }) => ({ epoch, secret: toBase64Url(secret) })),
    joinedAt: group.joinedAt,
    counter: group.counter,
  };
}

/** A v1 ciphertext log as the store saw it: a Yjs doc whose `envelopes` array grew update by update. */
function legacyLog(label: string, count: number): { updates: Uint8Array[]; entries: string[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) doc.getArray<Uint8Array>('envelopes').push([new TextEncoder().encode(`${label} ${i}`)]);
  return { updates, entries: entriesOf(doc) };
}

function entriesOf(doc: Y.Doc): string[] {
  return doc.getArray<Uint8Array>('envelopes').toArray().map((bytes) => new TextDecoder().decode(bytes));
}

function applied(update: Uint8Array | undefined): string[] {
  const doc = new Y.Doc();
  if (update) Y.applyUpdate(doc, update);
  return entriesOf(doc);
}

/**
 * Writes a database as schema `version` (1 or 2) laid it out, with raw idb. Version 1 kept
 * log updates in one auto-numbered `updates` store ({ groupId, sealed }, indexed by group);
 * version 2 in `log`, keyed [groupId, seq].
 */
async function createOldDatabase(name: string, version: 1 | 2, mine: Uint8Array[], theirs: Uint8Array[]): Promise<void> {
  const storageKey = randomBytes(32);
  const group = groupRecord();
  const db = await openDB(name, version, {
    upgrade(old) {
      for (const store of ['keys', 'device', 'groups', 'settings']) old.createObjectStore(store);
      if (version === 1) old.createObjectStore('updates', { autoIncrement: true }).createIndex('groupId', 'groupId');
      else old.createObjectStore('log');
    },
  });
  await db.put('keys', await webCryptoKeyWrapper.wrap(storageKey), 'storage');
  await db.put('device', sealJson(storageKey, 'device', 'device', encodeDevice(device())), 'device');
  await db.put('groups', sealJson(storageKey, 'group', group.id, groupPlaintextV1(group)), group.id);
  await db.put('groups', sealJson(storageKey, 'group', OTHER.id, groupPlaintextV1(OTHER)), OTHER.id);
  await db.put('settings', sealJson(storageKey, 'setting', 'theme', 'light'), 'theme');
  // Interleaved, as two groups written at the same time would be.
  let seq = 0;
  for (let i = 0; i < Math.max(mine.length, theirs.length); i++) {
    for (const [id, update] of [[group.id, mine[i]], [OTHER.id, theirs[i]]] as const) {
      if (!update) continue;
      const sealed = sealRecord(storageKey, 'log', id, update);
      if (version === 1) await db.add('updates', { groupId: id, sealed });
      else await db.put('log', sealed, [id, seq++]);
    }
  }
  db.close();
}

describe('store schema versions', () => {
  const newName = useScratchDatabases();

  for (const version of [1, 2] as const) {
    it(`upgrades a version ${version} database: records read, v1 groups wait for migration, their logs stay readable until deleted`, async () => {
      const name = newName();
      const alice = legacyLog('alice', 5);
      const bob = legacyLog('bob', 3);
      await createOldDatabase(name, version, alice.updates, bob.updates);

      const store = unwrap(await openHearthStore(name));
      assertEqual(unwrap(await store.loadDevice())?.displayName, DISPLAY_NAME);
      assertEqual(unwrap(await store.getSetting('theme')), 'light');
      const groups = unwrap(await store.listGroups());
      assertDeepEqual(groups.map((g) => [g.name, g.logVersion, g.creatorId ?? null]), [[GROUP_NAME, 1, null], [GROUP_NAME, 1, null]]);
      assertDeepEqual(applied(unwrap(await store.loadLegacyLog(groupRecord().id))), alice.entries);
      assertDeepEqual(applied(unwrap(await store.loadLegacyLog(OTHER.id))), bob.entries);
      assertEqual(unwrap(await store.envelopes(groupRecord().id).load()).length, 0);

      unwrap(await store.deleteLegacyLog(groupRecord().id));
      assertEqual(unwrap(await store.loadLegacyLog(groupRecord().id)), undefined);
      assertDeepEqual(applied(unwrap(await store.loadLegacyLog(OTHER.id))), bob.entries, 'the other group keeps its log');
      await store.close();

      const raw = await rawContents(name);
      assertEqual(raw.version, DB_VERSION);
      assertDeepEqual(Object.keys(raw.stores).sort(), ['device', 'envelopes', 'groups', 'keys', 'log', 'settings']);
      const logKeys = raw.stores['log']!.keys as [string, number][];
      assertEqual(logKeys.length, bob.updates.length);
      assert(logKeys.every(([id]) => id === OTHER.id), 'only the group not yet migrated has a v1 log');
    });
  }

  it('reports a v1 log entry that does not open and skips it', async () => {
    const name = newName();
    const alice = legacyLog('alice', 2);
    await createOldDatabase(name, 2, alice.updates, []);
    const raw = await openDB(name);
    await raw.put('log', await raw.get('log', [groupRecord().id, 0]), [OTHER.id, 99]); // sealed for another group
    raw.close();

    const store = unwrap(await openHearthStore(name));
    const errors: StoreError[] = [];
    store.onError((error) => errors.push(error));
    assertEqual(unwrap(await store.loadLegacyLog(OTHER.id)), undefined);
    assertDeepEqual(errors.map((e) => e.code), ['corrupt']);
    await store.close();
  });

  it('refuses a database from a newer version and leaves it as it was', async () => {
    const name = newName();
    const newer = await openDB(name, DB_VERSION + 1, { upgrade: (db) => void db.createObjectStore('future') });
    newer.close();
    const opened = await openHearthStore(name);
    assert(!opened.ok, 'a newer database does not open');
    assertEqual(opened.error.code, 'version-too-new');
    const raw = await rawContents(name);
    assertEqual(raw.version, DB_VERSION + 1);
    assert('future' in raw.stores, 'nothing was changed');
  });

  it('reports blocked while an old tab holds version 2 open, and upgrades once it has closed', async () => {
    const name = newName();
    await createOldDatabase(name, 2, legacyLog('alice', 1).updates, []);
    const oldTab = await openDB(name, 2); // holds on, as a tab on old code that ignores versionchange
    const blocked = await openHearthStore(name);
    assert(!blocked.ok, 'the upgrade cannot start');
    assertEqual(blocked.error.code, 'blocked');
    assert(blocked.error.message.length > 20, 'with words for a person');
    oldTab.close();

    const store = unwrap(await openHearthStore(name));
    assertEqual(unwrap(await store.loadDevice())?.displayName, DISPLAY_NAME);
    await store.close();
  });

  it('closes itself for a newer version opened elsewhere and says so', async () => {
    const name = newName();
    const store = unwrap(await openHearthStore(name));
    unwrap(await store.setSetting('theme', 'dark'));
    const errors: StoreError[] = [];
    store.onError((error) => errors.push(error));
    const newer = await openDB(name, DB_VERSION + 1); // succeeds only if the store let go
    newer.close();
    assertEqual(errors[0]?.code, 'version-too-new');
    const after = await store.getSetting('theme');
    assert(!after.ok && after.error.code === 'version-too-new', 'later calls say why the store is closed');
  });
});
