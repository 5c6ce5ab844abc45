import sodium from 'libsodium-wrappers-sumo';
import { openDB } from 'idb';
import { toBase64Url } from '../../crypto/index.js';
import { OWASP_PARAMS, derivePassphraseKey } from '../../crypto/pwhash.js';
import {
  NO_FAILURES,
  PASSPHRASE_KIND,
  SEALED_STORES,
  STORAGE_KEY_ID,
  openHearthStore,
  openRecord,
  passphraseKeyWrapper,
  readUnlockGuard,
  resealAll,
  unlockWaitMs,
  webCryptoKeyWrapper,
  wipeStorage,
  writeUnlockGuard,
  type DerivePassphraseKey,
  type WrappedStorageKey,
} from '../../src/store/index.js';
import { GroupLog } from '../../src/log/groupLog.js';
import { GroupKeyring } from '../../src/log/keyring.js';
import { addPost, boardView } from '../../src/model/index.js';
import type { HearthStore, StoredDevice, StoredGroup } from '../../src/store/index.js';
import { assert, assertEqual } from '../assert.js';
import { BODY, device, groupRecord, rawContents, unwrap, useScratchDatabases } from './storeFixtures.js';

const PASSPHRASE = 'lanterns over the quiet canal';
/** Real argon2id (libsodium sumo) at OWASP's parameters, in the page: the worker is covered end to end. */
const derive: DerivePassphraseKey = async (passphrase, salt, params) => {
  await sodium.ready;
  return derivePassphraseKey(sodium, passphrase, salt, params);
};
const locked = (passphrase = PASSPHRASE) => passphraseKeyWrapper(passphrase, derive, OWASP_PARAMS);

async function rawStorageKey(name: string): Promise<Uint8Array> {
  const db = await openDB(name);
  const wrapped = (await db.get('keys', STORAGE_KEY_ID)) as WrappedStorageKey;
  db.close();
  const key = await webCryptoKeyWrapper.unwrap(wrapped);
  if (!key) throw new Error('no WebCrypto-wrapped key');
  return key;
}

/** The group's log as the app opens it, over the store's envelopes. */
function openLog(store: HearthStore, dev: StoredDevice, group: StoredGroup): Promise<GroupLog> {
  return GroupLog.open({ keyring: new GroupKeyring(group.groupId, group.epochs), identity: dev.identity, store: store.envelopes(group.id), creatorId: group.creatorId });
}

function boardText(log: GroupLog): string {
  return JSON.stringify(boardView({ authors: () => log.authors(), creatorId: log.creatorId }).posts.map((p) => p.record.body));
}

/** A store holding a device, a group, its envelopes and a setting, closed; returns its name. */
async function filledStore(newName: () => string): Promise<{ name: string; view: string }> {
  const name = newName();
  const store = unwrap(await openHearthStore(name));
  const dev = device();
  const group = groupRecord();
  const log = await openLog(store, dev, group);
  const written = await log.write((context) => addPost(context, { kind: 'story', body: BODY }));
  assert(written.ok, 'the story was written');
  unwrap(await store.saveDevice(dev));
  unwrap(await store.saveGroup(group));
  unwrap(await store.setSetting('lastGroupId', group.id));
  const view = boardText(log);
  log.destroy();
  await store.close();
  return { name, view };
}

/** Opens the stored group's board again with the store's current key. */
async function reopenBoard(store: HearthStore): Promise<{ view: string }> {
  const dev = unwrap(await store.loadDevice())!;
  const group = unwrap(await store.listGroups())[0]!;
  const log = await openLog(store, dev, group);
  const view = boardText(log);
  log.destroy();
  return { view };
}

describe('the app lock in storage', () => {
  const newName = useScratchDatabases();

  it('re-seals every record under a new key that only the passphrase opens, and the board comes back whole', async () => {
    const { name, view } = await filledStore(newName);
    const oldKey = await rawStorageKey(name);
    const store = unwrap(await openHearthStore(name));
    assert(!store.passphraseProtected, 'unlocked at first');
    unwrap(await store.rotateStorageKey(locked()));
    assert(store.passphraseProtected, 'protected after the rotation');
    await store.close();

    const { stores } = await rawContents(name);
    assertEqual((stores['keys']!.values[0] as WrappedStorageKey).kind, PASSPHRASE_KIND);
    let checked = 0;
    for (const [storeName, associated] of Object.entries(SEALED_STORES)) {
      const { keys, values } = stores[storeName]!;
      keys.forEach((key, index) => {
        const { kind, key: recordKey } = (associated as (key: unknown) => { kind: 'log'; key: string })(key);
        let opened = true;
        try {
          openRecord(oldKey, kind, recordKey, values[index]);
        } catch {
          opened = false;
        }
        assert(!opened, `a ${storeName} record still opens under the old key`);
        checked++;
      });
    }
    assert(checked >= 4, `checked ${checked} records`);

    assertEqual((await openHearthStore(name)).ok ? 'opened' : 'locked', 'locked');
    const reopened = unwrap(await openHearthStore(name, { keyWrapper: locked() }));
    const restored = await reopenBoard(reopened);
    assertEqual(restored.view, view);
    assert(restored.view.includes(BODY), 'the story is back');
    await reopened.close();
  });

  it('answers wrong-passphrase to a wrong passphrase and changes nothing', async () => {
    const { name } = await filledStore(newName);
    const store = unwrap(await openHearthStore(name));
    unwrap(await store.rotateStorageKey(locked()));
    await store.close();
    const before = JSON.stringify((await rawContents(name)).stores['groups']!.values, (_k, v) => (v instanceof Uint8Array ? toBase64Url(v) : v));
    const opened = await openHearthStore(name, { keyWrapper: locked('lanterns over the quiet canal!') });
    assert(!opened.ok && opened.error.code === 'wrong-passphrase', 'a wrong passphrase does not open');
    const after = JSON.stringify((await rawContents(name)).stores['groups']!.values, (_k, v) => (v instanceof Uint8Array ? toBase64Url(v) : v));
    assertEqual(after, before);
  });

  it('does not open a wrapped key whose argon2id parameters were edited on disk, nor run a hash it asks for out of bounds', async () => {
    const { name } = await filledStore(newName);
    const store = unwrap(await openHearthStore(name));
    unwrap(await store.rotateStorageKey(locked()));
    await store.close();
    let derivations = 0;
    const counting: DerivePassphraseKey = (...args) => {
      derivations++;
      return derive(...args);
    };
    for (const edit of [{ opslimit: OWASP_PARAMS.opslimit + 1 }, { opslimit: 1 }, { memlimit: 2 ** 32 }, { salt: new Uint8Array(4) }]) {
      const db = await openDB(name);
      const record = (await db.get('keys', STORAGE_KEY_ID)) as WrappedStorageKey;
      await db.put('keys', { ...record, ...edit }, STORAGE_KEY_ID);
      const opened = await openHearthStore(name, { keyWrapper: passphraseKeyWrapper(PASSPHRASE, counting) });
      assert(!opened.ok && opened.error.code === 'wrong-passphrase', `edited ${Object.keys(edit)[0]} does not open`);
      await db.put('keys', record, STORAGE_KEY_ID);
      db.close();
    }
    assertEqual(derivations, 1, 'only the in-bounds edit was hashed');
  });

  it('refuses to re-seal when a store has no rule, and leaves every record as it was', async () => {
    const { name } = await filledStore(newName);
    const before = await rawContents(name);
    const db = await openDB(name);
    const oldKey = await rawStorageKey(name);
    const { log: _log, ...withoutLog } = SEALED_STORES;
    let refused = false;
    try {
      await resealAll(db as never, oldKey, new Uint8Array(32), { v: 1, kind: 'test' }, withoutLog);
    } catch {
      refused = true;
    }
    db.close();
    assert(refused, 're-sealing without a rule for log is refused');
    const after = await rawContents(name);
    assertEqual(JSON.stringify(after.stores['keys']!.keys), JSON.stringify(before.stores['keys']!.keys));
    assertEqual((after.stores['keys']!.values[0] as WrappedStorageKey).kind, 'webcrypto-aes-gcm');
  });

  it('turns the lock off again by re-sealing under a WebCrypto-wrapped key', async () => {
    const { name, view } = await filledStore(newName);
    const store = unwrap(await openHearthStore(name));
    unwrap(await store.rotateStorageKey(locked()));
    unwrap(await store.rotateStorageKey(webCryptoKeyWrapper));
    await store.close();
    const reopened = unwrap(await openHearthStore(name));
    assertEqual((await reopenBoard(reopened)).view, view);
    await reopened.close();
  });

  it('keeps failed unlocks while locked and makes each try after the third wait longer', async () => {
    const { name } = await filledStore(newName);
    assertEqual(JSON.stringify(unwrap(await readUnlockGuard(name))), JSON.stringify(NO_FAILURES));
    unwrap(await writeUnlockGuard({ failures: 4, lastFailureAt: 1000, wipeAfter: 10 }, name));
    assertEqual(JSON.stringify(unwrap(await readUnlockGuard(name))), JSON.stringify({ failures: 4, lastFailureAt: 1000, wipeAfter: 10 }));
    assertEqual([0, 1, 2, 3, 4, 5, 20].map(unlockWaitMs).join(), [0, 0, 0, 1000, 2000, 4000, 300_000].join());
  });

  it('wipes with the wrapped key gone first and no Hearth database left', async () => {
    const { name } = await filledStore(newName);
    await wipeStorage(name);
    const names = (await indexedDB.databases()).map((info) => info.name);
    assert(!names.includes(name), 'the database is gone');
    assert(!names.some((n) => n?.startsWith('hearth')), 'no Hearth database is left');
  });
});
