import { openDB } from 'idb';
import * as Y from 'yjs';
import { toBase64Url } from '../../crypto/index.js';
import { openHearthStore, webCryptoKeyWrapper, type StoreError } from '../../src/store/index.js';
import { assert, assertEqual } from '../assert.js';
import { member } from '../fixtures/group.js';
import {
  BODY,
  DISPLAY_NAME,
  GROUP_NAME,
  GUIDELINES,
  REPLY,
  boardViewOf,
  deviceOf,
  groupRecord,
  rawContents,
  reopenBoard,
  useScratchDatabases,
  unwrap,
  writeBoard,
} from './storeFixtures.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
function utf16le(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    bytes[i * 2] = text.charCodeAt(i) & 0xff;
    bytes[i * 2 + 1] = text.charCodeAt(i) >> 8;
  }
  return bytes;
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Flattens any stored value into byte chunks: bytes as they are, strings in both encodings. */
function byteChunks(value: unknown, out: Uint8Array[] = []): Uint8Array[] {
  if (value instanceof Uint8Array) out.push(value);
  else if (value instanceof ArrayBuffer) out.push(new Uint8Array(value));
  else if (typeof value === 'string') out.push(utf8(value), utf16le(value));
  else if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) return out; // opaque by design
  else if (Array.isArray(value)) for (const item of value) byteChunks(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push(utf8(key));
      byteChunks(item, out);
    }
  } else if (value !== undefined) out.push(utf8(String(value)));
  return out;
}

describe('HearthStore', () => {
  const newName = useScratchDatabases();

  it('gives back the same board after closing and reopening into fresh docs', async () => {
    const name = newName();
    const alice = member(1);
    const store = unwrap(await openHearthStore(name));
    const persistence = store.persistLog(groupRecord().id, alice.log);
    writeBoard(alice);
    unwrap(await store.saveDevice(deviceOf(alice)));
    unwrap(await store.saveGroup(groupRecord()));
    unwrap(await persistence.flush());
    await store.close();

    const reopened = unwrap(await openHearthStore(name));
    const restored = await reopenBoard(reopened);
    assertEqual(restored.view, boardViewOf(alice));
    assert(restored.view.includes(BODY) && restored.view.includes(REPLY), 'the board holds the story and its reply');
    assertEqual(restored.device.displayName, DISPLAY_NAME);
    assertEqual(toBase64Url(restored.device.identity.signSecretKey), toBase64Url(alice.identity.signSecretKey));
    assertEqual(restored.group.name, GROUP_NAME);
    assertEqual(restored.group.guidelines, GUIDELINES);
    assertEqual(restored.group.counter, 42);
    await reopened.close();
  });

  it('answers undefined and an empty list on a new device', async () => {
    const store = unwrap(await openHearthStore(newName()));
    assertEqual(unwrap(await store.loadDevice()), undefined);
    assertEqual(unwrap(await store.listGroups()).length, 0);
    assertEqual(unwrap(await store.getSetting('theme')), undefined);
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

  it('stores no post body, display name, group name or guidelines readably anywhere in IndexedDB', async () => {
    const name = newName();
    const alice = member(1);
    const store = unwrap(await openHearthStore(name));
    const persistence = store.persistLog(groupRecord().id, alice.log);
    writeBoard(alice);
    unwrap(await store.saveDevice(deviceOf(alice)));
    unwrap(await store.saveGroup(groupRecord()));
    unwrap(await store.setSetting('lastGroupId', groupRecord().id));
    unwrap(await persistence.flush());
    await store.close();

    const planted = [DISPLAY_NAME, GROUP_NAME, GUIDELINES, BODY, REPLY, 'canal', 'Marigold', 'Lantern'];
    const needles = planted.flatMap((text) => [utf8(text), utf16le(text)]);
    // The scanner itself must find what is there.
    assert(byteChunks({ note: BODY }).some((chunk) => needles.some((needle) => contains(chunk, needle))), 'scanner sees plaintext');

    const { stores } = await rawContents(name);
    let scanned = 0;
    for (const [storeName, { keys, values }] of Object.entries(stores)) {
      for (const chunk of byteChunks([keys, values])) {
        scanned += chunk.length;
        for (const [index, needle] of needles.entries()) {
          assert(!contains(chunk, needle), `"${planted[index >> 1]}" is readable in store ${storeName}`);
        }
      }
    }
    assert(scanned > 2_000, `scanned ${scanned} bytes: the board was written`);
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

  it('wipes a group record and its whole log on deleteGroup and leaves other groups alone', async () => {
    const name = newName();
    const store = unwrap(await openHearthStore(name));
    const gone = groupRecord(new Uint8Array(16).fill(1));
    const kept = groupRecord(new Uint8Array(16).fill(2));
    const goneMember = member(1);
    const keptMember = member(2);
    const gonePersistence = store.persistLog(gone.id, goneMember.log);
    const keptPersistence = store.persistLog(kept.id, keptMember.log);
    writeBoard(goneMember);
    writeBoard(keptMember);
    unwrap(await store.saveGroup(gone));
    unwrap(await store.saveGroup(kept));
    unwrap(await gonePersistence.flush());
    unwrap(await keptPersistence.flush());

    writeBoard(goneMember); // queued, never to be written after the wipe
    unwrap(await store.deleteGroup(gone.id));
    assertEqual(gonePersistence.queued, 0);

    const groups = unwrap(await store.listGroups());
    assertEqual(groups.map((g) => g.id).join(), kept.id);
    const emptyLog = new Y.Doc();
    unwrap(await store.loadLog(gone.id, emptyLog));
    assertEqual(emptyLog.getArray('envelopes').length, 0);
    await new Promise((resolve) => setTimeout(resolve, 400)); // past the debounce
    await store.close();

    const { stores } = await rawContents(name);
    assertEqual(stores['groups']!.keys.join(), kept.id);
    const logKeys = stores['log']!.keys as [string, number][];
    assert(logKeys.length > 0, 'the other group keeps its log');
    assert(logKeys.every(([id]) => id === kept.id), 'no log entry of the deleted group is left');
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

  it('reports locked when the storage key was wrapped by another kind of key wrapper', async () => {
    const name = newName();
    await unwrap(await openHearthStore(name)).close();
    const passphraseWrapper = { ...webCryptoKeyWrapper, kind: 'passphrase-argon2id' };
    const opened = await openHearthStore(name, { keyWrapper: passphraseWrapper });
    assert(!opened.ok && opened.error.code === 'locked', 'a store wrapped another way opens as locked');
  });
});
