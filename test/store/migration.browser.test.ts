import { openDB } from 'idb';
import { randomBytes } from '../../crypto/index.js';
import {
  DB_VERSION,
  encodeDevice,
  encodeGroup,
  openHearthStore,
  sealJson,
  sealRecord,
  webCryptoKeyWrapper,
  type StoreError,
} from '../../src/store/index.js';
import { assert, assertEqual } from '../assert.js';
import { member } from '../fixtures/group.js';
import {
  DISPLAY_NAME,
  GROUP_NAME,
  boardViewOf,
  deviceOf,
  groupRecord,
  rawContents,
  reopenBoard,
  useScratchDatabases,
  unwrap,
  writeBoard,
} from './storeFixtures.js';

/**
 * Writes a database exactly as schema version 1 laid it out, with raw idb: log updates in one
 * auto-numbered `updates` store ({ groupId, sealed }, indexed by group).
 */
async function createVersion1Database(name: string, logUpdates: Uint8Array[], extraGroupUpdates: Uint8Array[]): Promise<void> {
  const storageKey = randomBytes(32);
  const db = await openDB(name, 1, {
    upgrade(v1) {
      v1.createObjectStore('keys');
      v1.createObjectStore('device');
      v1.createObjectStore('groups');
      v1.createObjectStore('settings');
      v1.createObjectStore('updates', { autoIncrement: true }).createIndex('groupId', 'groupId');
    },
  });
  const group = groupRecord();
  const other = { ...groupRecord(new Uint8Array(16).fill(9)), joinedAt: 1_800_000_000_000 };
  await db.put('keys', await webCryptoKeyWrapper.wrap(storageKey), 'storage');
  await db.put('device', sealJson(storageKey, 'device', 'device', encodeDevice(deviceOf(member(1)))), 'device');
  await db.put('groups', sealJson(storageKey, 'group', group.id, encodeGroup(group)), group.id);
  await db.put('groups', sealJson(storageKey, 'group', other.id, encodeGroup(other)), other.id);
  await db.put('settings', sealJson(storageKey, 'setting', 'theme', 'light'), 'theme');
  // Interleaved, as two groups written at the same time would be.
  for (let i = 0; i < Math.max(logUpdates.length, extraGroupUpdates.length); i++) {
    const mine = logUpdates[i];
    const theirs = extraGroupUpdates[i];
    if (mine) await db.add('updates', { groupId: group.id, sealed: sealRecord(storageKey, 'log', group.id, mine) });
    if (theirs) await db.add('updates', { groupId: other.id, sealed: sealRecord(storageKey, 'log', other.id, theirs) });
  }
  db.close();
}

function recordedUpdates(write: (m: ReturnType<typeof member>) => void, seed: number): { updates: Uint8Array[]; view: string } {
  const m = member(seed);
  const updates: Uint8Array[] = [];
  m.log.on('update', (update: Uint8Array) => updates.push(update));
  write(m);
  return { updates, view: boardViewOf(m) };
}

describe('store schema versions', () => {
  const newName = useScratchDatabases();

  it('migrates a version 1 database to version 2 with every record still readable', async () => {
    const name = newName();
    const alice = recordedUpdates(writeBoard, 1);
    const bob = recordedUpdates(writeBoard, 2);
    assert(alice.updates.length > 3, 'several log updates');
    await createVersion1Database(name, alice.updates, bob.updates);

    const store = unwrap(await openHearthStore(name));
    const restored = await reopenBoard(store); // groups come oldest first: alice's
    assertEqual(restored.device.displayName, DISPLAY_NAME);
    assertEqual(restored.group.name, GROUP_NAME);
    assertEqual(restored.view, alice.view);
    assertEqual(unwrap(await store.getSetting('theme')), 'light');
    assertEqual(unwrap(await store.listGroups()).length, 2);
    await store.close();

    const raw = await rawContents(name);
    assertEqual(raw.version, DB_VERSION);
    assert(!('updates' in raw.stores), 'the version 1 store is gone');
    const logKeys = raw.stores['log']!.keys as [string, number][];
    assertEqual(logKeys.length, alice.updates.length + bob.updates.length);
    const aliceSeqs = logKeys.filter(([id]) => id === groupRecord().id).map(([, seq]) => seq);
    assertEqual(aliceSeqs.length, alice.updates.length);
    assert(aliceSeqs.every((seq, i) => i === 0 || seq > aliceSeqs[i - 1]!), 'order within a group is kept');
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

  it('reports blocked while an old tab holds version 1 open, and upgrades once it has closed', async () => {
    const name = newName();
    await createVersion1Database(name, recordedUpdates(writeBoard, 1).updates, []);
    const oldTab = await openDB(name, 1); // holds on, as a tab on old code that ignores versionchange
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
