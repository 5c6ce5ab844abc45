import { openDB } from 'idb';
import { toBase64Url } from '../../crypto/index.js';
import { openHearthStore, sealJson, webCryptoKeyWrapper, type StoreError } from '../../src/store/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { assertNothingReadable } from './diskScan.js';
import {
  BODY,
  DISPLAY_NAME,
  GROUP_NAME,
  GUIDELINES,
  REPLY,
  device,
  groupRecord,
  link,
  linkText,
  rawContents,
  useScratchDatabases,
  unwrap,
} from './storeFixtures.js';

describe('HearthStore', () => {
  const newName = useScratchDatabases();

  it('gives back the same device, group and envelopes after closing and reopening', async () => {
    const name = newName();
    const me = device();
    const group = groupRecord();
    const store = unwrap(await openHearthStore(name));
    unwrap(await store.saveDevice(me));
    unwrap(await store.saveGroup(group));
    unwrap(await store.envelopes(group.id).commit([link('alice', 1, BODY), link('bob', 1, REPLY)]));
    await store.close();

    const reopened = unwrap(await openHearthStore(name));
    const restored = unwrap(await reopened.loadDevice())!;
    assertEqual(restored.displayName, DISPLAY_NAME);
    assertEqual(toBase64Url(restored.identity.signSecretKey), toBase64Url(me.identity.signSecretKey));
    const [storedGroup] = unwrap(await reopened.listGroups());
    assertEqual(storedGroup?.name, GROUP_NAME);
    assertEqual(storedGroup?.guidelines, GUIDELINES);
    assertEqual(storedGroup?.counter, 42);
    assertEqual(storedGroup?.creatorId, group.creatorId);
    assertEqual(storedGroup?.logVersion, 2);
    assertDeepEqual(unwrap(await reopened.envelopes(group.id).load()).map(linkText), [BODY, REPLY]);
    await reopened.close();
  });

  it('answers undefined and empty lists on a new device', async () => {
    const store = unwrap(await openHearthStore(newName()));
    assertEqual(unwrap(await store.loadDevice()), undefined);
    assertEqual(unwrap(await store.listGroups()).length, 0);
    assertEqual(unwrap(await store.getSetting('theme')), undefined);
    assertEqual(unwrap(await store.envelopes(groupRecord().id).load()).length, 0);
    assertEqual(unwrap(await store.loadLegacyLog(groupRecord().id)), undefined);
    await store.close();
  });

  it('keeps settings across a reopen', async () => {
    const name = newName();
    const store = unwrap(await openHearthStore(name));
    unwrap(await store.setSetting('theme', 'dark'));
    unwrap(await store.setSetting('lastGroupId', groupRecord().id));
    await store.close();
    const reopened = unwrap(await openHearthStore(name));
    assertEqual(unwrap(await reopened.getSetting('theme')), 'dark');
    assertEqual(unwrap(await reopened.getSetting('lastGroupId')), groupRecord().id);
    await reopened.close();
  });

  it('stores no envelope bytes, display name, group name or guidelines readably anywhere in IndexedDB', async () => {
    const name = newName();
    const group = groupRecord();
    const store = unwrap(await openHearthStore(name));
    unwrap(await store.saveDevice(device()));
    unwrap(await store.saveGroup(group));
    unwrap(await store.setSetting('lastGroupId', group.id));
    // The envelopes handed to the store are readable text here: the store alone must hide them.
    const envelopes = store.envelopes(group.id);
    unwrap(await envelopes.commit([link('alice', 1, BODY)]));
    envelopes.queue([link('bob', 1, REPLY)]);
    window.dispatchEvent(new Event('pagehide'));
    unwrap(await envelopes.flush());
    await store.close();

    const scanned = await assertNothingReadable(name, [DISPLAY_NAME, GROUP_NAME, GUIDELINES, BODY, REPLY, 'canal', 'Marigold', 'Lantern']);
    assert(scanned > 1_000, `scanned ${scanned} bytes: everything was written`);
    const { stores } = await rawContents(name);
    for (const value of stores['envelopes']!.values) {
      assertDeepEqual(Object.keys(value as object).sort(), ['ct', 'f', 'nonce'], 'an envelope is stored as a sealed record only');
    }
    assertDeepEqual(stores['envelopes']!.keys, [[group.id, 'alice', 1], [group.id, 'bob', 1]]);
  });

  it('keeps the wrapping key non-extractable and the storage key out of reach', async () => {
    const name = newName();
    const store = unwrap(await openHearthStore(name));
    await store.close();
    const { stores } = await rawContents(name);
    const wrapped = stores['keys']!.values[0] as { kind: string; wrappingKey: CryptoKey };
    assertEqual(wrapped.kind, 'webcrypto-aes-gcm');
    assert(wrapped.wrappingKey instanceof CryptoKey, 'the wrapping key is a CryptoKey');
    assertEqual(wrapped.wrappingKey.extractable, false);
    const exported = await crypto.subtle.exportKey('raw', wrapped.wrappingKey).then(
      () => 'exported',
      () => 'refused',
    );
    assertEqual(exported, 'refused');
  });

  it('wipes a group record, its envelopes and its legacy log on deleteGroup, drops its queued writes, and leaves other groups alone', async () => {
    const name = newName();
    const gone = groupRecord(new Uint8Array(16).fill(1));
    const kept = groupRecord(new Uint8Array(16).fill(2));
    const legacy = await openDB(name, 2, {
      upgrade(db) {
        for (const store of ['keys', 'device', 'groups', 'settings', 'log']) db.createObjectStore(store);
      },
    });
    await legacy.put('log', { f: 1, nonce: new Uint8Array(24), ct: new Uint8Array(40) }, [gone.id, 0]);
    await legacy.put('log', { f: 1, nonce: new Uint8Array(24), ct: new Uint8Array(40) }, [kept.id, 0]);
    legacy.close();

    const store = unwrap(await openHearthStore(name));
    unwrap(await store.saveGroup(gone));
    unwrap(await store.saveGroup(kept));
    unwrap(await store.envelopes(gone.id).commit([link('alice', 1), link('bob', 2)]));
    unwrap(await store.envelopes(kept.id).commit([link('alice', 1)]));
    store.envelopes(gone.id).queue([link('alice', 2)]); // queued, never to be written after the wipe
    unwrap(await store.deleteGroup(gone.id));

    assertDeepEqual(unwrap(await store.listGroups()).map((g) => g.id), [kept.id]);
    assertEqual(unwrap(await store.envelopes(gone.id).load()).length, 0);
    await new Promise((resolve) => setTimeout(resolve, 600)); // past any retry
    await store.close();

    const { stores } = await rawContents(name);
    assertDeepEqual(stores['groups']!.keys, [kept.id]);
    assertDeepEqual(stores['envelopes']!.keys, [[kept.id, 'alice', 1]]);
    assertDeepEqual(stores['log']!.keys, [[kept.id, 0]]);
  });

  it('skips a group record that does not open, reports it, and leaves it on disk', async () => {
    const name = newName();
    const store = unwrap(await openHearthStore(name));
    const good = groupRecord(new Uint8Array(16).fill(3));
    const moved = groupRecord(new Uint8Array(16).fill(4));
    unwrap(await store.saveGroup(good));
    await store.close();

    // A sealed record copied under another key must not open there.
    const raw = await openDB(name);
    const sealed: unknown = await raw.get('groups', good.id);
    await raw.put('groups', sealed, moved.id);
    raw.close();

    const reopened = unwrap(await openHearthStore(name));
    const errors: StoreError[] = [];
    reopened.on('error', (error) => errors.push(error));
    const groups = unwrap(await reopened.listGroups());
    assertEqual(groups.map((g) => g.id).join(), good.id);
    assertEqual(errors.length, 1);
    assertEqual(errors[0]!.code, 'corrupt');
    await reopened.close();
    assertEqual((await rawContents(name)).stores['groups']!.keys.length, 2);
  });

  it('reads a version 1 group record as a board still to migrate, and writes it back as version 2', async () => {
    const name = newName();
    const store = unwrap(await openHearthStore(name));
    await store.close();
    const group = groupRecord();
    const v1 = {
      v: 1,
      groupId: toBase64Url(group.groupId),
      name: GROUP_NAME,
      epochs: [{ epoch: 0, secret: toBase64Url(group.epochs[0]!.secret) }],
      joinedAt: group.joinedAt,
      counter: 42,
    };
    const raw = await openDB(name);
    const storageKey = await webCryptoKeyWrapper.unwrap(await raw.get('keys', 'storage'));
    await raw.put('groups', sealJson(storageKey!, 'group', group.id, v1), group.id);
    raw.close();

    const reopened = unwrap(await openHearthStore(name));
    const [read] = unwrap(await reopened.listGroups());
    assertEqual(read?.logVersion, 1);
    assertEqual(read?.creatorId, undefined);
    assertEqual(read?.name, GROUP_NAME);
    unwrap(await reopened.saveGroup({ ...read!, logVersion: 2, creatorId: group.creatorId! }));
    const [migrated] = unwrap(await reopened.listGroups());
    assertEqual(migrated?.logVersion, 2);
    assertEqual(migrated?.creatorId, group.creatorId);
    await reopened.close();
  });

  it('reports locked when the storage key was wrapped by another kind of key wrapper', async () => {
    const name = newName();
    await unwrap(await openHearthStore(name)).close();
    const passphraseWrapper = { ...webCryptoKeyWrapper, kind: 'passphrase-argon2id' };
    const opened = await openHearthStore(name, { keyWrapper: passphraseWrapper });
    assert(!opened.ok && opened.error.code === 'locked', 'a store wrapped another way opens as locked');
  });
});
