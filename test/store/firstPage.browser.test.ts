import sodium from 'libsodium-wrappers-sumo';
import { openDB } from 'idb';
import * as Y from 'yjs';
import { OWASP_PARAMS, derivePassphraseKey } from '../../crypto/pwhash.js';
import { firstPageOf } from '../../src/app/firstPage.js';
import { firstScreen } from '../../src/app/firstScreen.js';
import { recentPageOf } from '../../src/app/recentPage.js';
import { addPost, authorIdOf, boardView, setGroupInfo, type WriteContext } from '../../src/model/index.js';
import {
  FIRST_PAGE_SETTING,
  PASSPHRASE_KIND,
  openHearthStore,
  passphraseKeyWrapper,
  readEarly,
  webCryptoKeyWrapper,
  type DerivePassphraseKey,
} from '../../src/store/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { assertNothingReadable } from './diskScan.js';
import { BODY, GROUP_NAME, GUIDELINES, device, rawContents, unwrap, useScratchDatabases } from './storeFixtures.js';

const derive: DerivePassphraseKey = async (passphrase, salt, params) => {
  await sodium.ready;
  return derivePassphraseKey(sodium, passphrase, salt, params);
};
const locked = () => passphraseKeyWrapper('lanterns over the quiet canal', derive, OWASP_PARAMS);

/** A first page as the app keeps it: one group, one post, the group's details, written by `me`. */
function aFirstPage() {
  const me = device();
  const doc = new Y.Doc();
  const context: WriteContext = { doc, author: me.identity, now: 1_700_000_000_000, creatorId: authorIdOf(me.identity) };
  assert(setGroupInfo(context, { name: GROUP_NAME, focus: 'gambling', guidelines: GUIDELINES }).ok);
  assert(addPost({ ...context, now: context.now + 1 }, { kind: 'story', body: BODY }).ok);
  const viewerId = authorIdOf(me.identity);
  const view = boardView({ authors: () => new Map([[viewerId, doc]]).entries(), creatorId: viewerId }, viewerId);
  return firstPageOf({ id: 'group-1', name: GROUP_NAME }, viewerId, recentPageOf(view));
}

async function rawFirstPage(name: string): Promise<{ f: string; iv: Uint8Array; ct: Uint8Array } | undefined> {
  const db = await openDB(name);
  const value = await db.get('settings', FIRST_PAGE_SETTING);
  db.close();
  return value;
}

describe('the first page', () => {
  const newName = useScratchDatabases();

  it('opens with WebCrypto alone into the last board, its focus left out, and keeps nothing of it readable on disk', async () => {
    const name = newName();
    const page = aFirstPage();
    const store = unwrap(await openHearthStore(name));
    unwrap(await store.saveFirstPage(page));
    await store.close();

    assertDeepEqual((await readEarly(name)).firstPage, JSON.parse(JSON.stringify(page)));
    const screen = await firstScreen({ hash: '' }, { database: name });
    assertEqual(screen?.route.name, 'board');
    assertEqual(screen?.board?.posts[0]?.record.body, BODY);
    assertEqual(screen?.board?.group.name, GROUP_NAME);
    assertEqual(screen?.board?.group.focus, undefined, 'the discreet setting is not known yet: no focus');

    await assertNothingReadable(name, [BODY, GROUP_NAME, GUIDELINES, 'canal', 'Lantern', 'gambling']);
    const sealed = (await rawFirstPage(name))!;
    assertDeepEqual(Object.keys(sealed).sort(), ['ct', 'f', 'iv']);
    assertEqual((sealed.ct.length - 16) % 4096, 0, 'padded to 4 KiB, so its size says little');
  });

  it('shows nothing from a first page whose bytes were edited, or one copied from another device', async () => {
    const name = newName();
    const other = newName();
    for (const db of [name, other]) {
      const store = unwrap(await openHearthStore(db));
      unwrap(await store.saveFirstPage(aFirstPage()));
      await store.close();
    }
    const sealed = (await rawFirstPage(name))!;
    const edited = { ...sealed, ct: sealed.ct.slice() };
    edited.ct[40]! ^= 0x01;
    const db = await openDB(name);
    await db.put('settings', edited, FIRST_PAGE_SETTING);
    db.close();
    assertDeepEqual(await readEarly(name), { keyKind: webCryptoKeyWrapper.kind });
    assertEqual(await firstScreen({ hash: '' }, { database: name }), undefined, 'the app decides, as before');

    const copy = await openDB(other);
    await copy.put('settings', sealed, FIRST_PAGE_SETTING);
    copy.close();
    assertEqual((await readEarly(other)).firstPage, undefined, "another device's storage key does not open it");
  });

  it('keeps no first page under the app lock: turning the lock on deletes it, and the lock screen shows, not the board', async () => {
    const name = newName();
    const store = unwrap(await openHearthStore(name));
    unwrap(await store.setSetting('theme', 'dark'));
    unwrap(await store.saveFirstPage(aFirstPage()));
    unwrap(await store.rotateStorageKey(locked()));
    assertEqual(await rawFirstPage(name), undefined, 'deleted with the old key');
    unwrap(await store.saveFirstPage(aFirstPage()));
    assertEqual(await rawFirstPage(name), undefined, 'never written under the lock');
    assertEqual(unwrap(await store.getSetting('theme')), 'dark', 'other settings re-sealed');
    await store.close();

    assertDeepEqual(await readEarly(name), { keyKind: PASSPHRASE_KIND });
    const screen = await firstScreen({ hash: '' }, { database: name });
    assertEqual(screen?.status, 'locked');
    assertEqual(screen?.board, undefined);
    const { stores } = await rawContents(name);
    assertEqual(stores['settings']!.keys.includes(FIRST_PAGE_SETTING), false);
  });

  it('decides from a list of databases asked for earlier: the welcome screen when it names none of Hearth\'s, the app when it could not be read', async () => {
    const name = newName();
    const store = unwrap(await openHearthStore(name));
    unwrap(await store.saveFirstPage(aFirstPage()));
    await store.close();

    const welcome = await firstScreen({ hash: '' }, { database: name, databases: Promise.resolve([{ name: 'another-app', version: 1 }]) });
    assertEqual(welcome?.status, 'ready');
    assertEqual(welcome?.route.name, 'welcome', 'the list handed in is the one used');
    assertEqual(await firstScreen({ hash: '' }, { database: name, databases: Promise.resolve(undefined) }), undefined, 'the app decides');
    let returning = 0;
    const board = await firstScreen({ hash: '' }, { database: name, databases: indexedDB.databases(), onReturning: () => void returning++ });
    assertEqual(board?.route.name, 'board');
    assertEqual(returning, 1, 'told once that this device has run Hearth');
  });
});
