import { Board } from '../../src/model/index.js';
import { openHearthStore, type StoreError } from '../../src/store/index.js';
import { assert, assertEqual } from '../assert.js';
import { member } from '../fixtures/group.js';
import { boardViewOf, deviceOf, groupRecord, reopenBoard, unwrap, useScratchDatabases, writeBoard } from './storeFixtures.js';

/** Makes every IndexedDB put fail the way a full disk does, until the returned function is called. */
function fillTheDisk(): () => void {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function quotaExceeded(): IDBRequest<IDBValidKey> {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  return () => {
    IDBObjectStore.prototype.put = put;
  };
}

describe('store on a full disk', () => {
  const name = useScratchDatabases()();

  it('reports quota-exceeded, keeps what was saved and the queued changes, and saves them once space is back', async () => {
    const alice = member(1);
    const store = unwrap(await openHearthStore(name));
    const persistence = store.persistLog(groupRecord().id, alice.log, { debounceMs: 10_000 });
    const persistenceErrors: StoreError[] = [];
    persistence.on('error', (error) => persistenceErrors.push(error));
    writeBoard(alice);
    unwrap(await store.saveDevice(deviceOf(alice)));
    unwrap(await store.saveGroup(groupRecord()));
    unwrap(await persistence.flush());

    const freeSpace = fillTheDisk();
    let restored = false;
    try {
      new Board(alice.board).addPost(alice.identity, { kind: 'story', body: 'Written while the disk was full.' });
      const flushed = await persistence.flush();
      assert(!flushed.ok, 'the write fails');
      assertEqual(flushed.error.code, 'quota-exceeded');
      assert(/space/.test(flushed.error.message), `a plain message: ${flushed.error.message}`);
      assertEqual(persistenceErrors.map((e) => e.code).join(), 'quota-exceeded');
      assert(persistence.queued > 0, 'the failed batch stays queued');

      const renamed = await store.saveGroup({ ...groupRecord(), name: 'A new name' });
      assert(!renamed.ok && renamed.error.code === 'quota-exceeded', 'record writes report it too');
      const setting = await store.setSetting('theme', 'dark');
      assert(!setting.ok && setting.error.code === 'quota-exceeded', 'and settings');

      // What was saved before is still there and readable.
      assertEqual(unwrap(await store.listGroups())[0]?.name, groupRecord().name);
      freeSpace();
      restored = true;
    } finally {
      if (!restored) freeSpace();
    }

    unwrap(await persistence.flush());
    assertEqual(persistence.queued, 0);
    await store.close();
    const reopened = unwrap(await openHearthStore(name));
    const view = (await reopenBoard(reopened)).view;
    assertEqual(view, boardViewOf(alice));
    assert(view.includes('Written while the disk was full.'), 'the queued post was saved');
    await reopened.close();
  });
});
