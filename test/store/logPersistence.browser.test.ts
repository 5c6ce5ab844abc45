import { openDB } from 'idb';
import * as Y from 'yjs';
import { Board } from '../../src/model/index.js';
import { openHearthStore, type HearthStore, type StoreError } from '../../src/store/index.js';
import { assert, assertEqual } from '../assert.js';
import { member } from '../fixtures/group.js';
import { boardViewOf, deviceOf, groupRecord, rawContents, reopenBoard, unwrap, useScratchDatabases, writeBoard } from './storeFixtures.js';

const GROUP = groupRecord();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function logEntryCount(name: string): Promise<number> {
  return (await rawContents(name)).stores['log']!.keys.length;
}

async function storeWithGroup(name: string, seed = 1): Promise<{ store: HearthStore; alice: ReturnType<typeof member> }> {
  const store = unwrap(await openHearthStore(name));
  const alice = member(seed);
  unwrap(await store.saveDevice(deviceOf(alice)));
  unwrap(await store.saveGroup(GROUP));
  return { store, alice };
}

describe('log persistence', () => {
  const newName = useScratchDatabases();

  it('batches a burst of changes into one stored entry after a quiet moment', async () => {
    const name = newName();
    const { store, alice } = await storeWithGroup(name);
    const persistence = store.persistLog(GROUP.id, alice.log, { debounceMs: 50 });
    writeBoard(alice);
    assert(persistence.queued > 3, 'several updates queued');
    await sleep(300);
    assertEqual(persistence.queued, 0);
    await store.close();
    assertEqual(await logEntryCount(name), 1);
  });

  it('compacts stored entries into one past the threshold and the board reads the same', async () => {
    const name = newName();
    const { store, alice } = await storeWithGroup(name);
    const persistence = store.persistLog(GROUP.id, alice.log, { compactAfter: 5 });
    const board = new Board(alice.board);
    for (let i = 0; i < 12; i++) {
      board.addPost(alice.identity, { kind: 'encouragement', body: `note ${i}` });
      unwrap(await persistence.flush());
    }
    alice.sync.compact(); // the log itself drops the envelopes its snapshot covers
    unwrap(await persistence.flush());
    await store.close();
    assert((await logEntryCount(name)) <= 5, 'never more entries than the threshold');

    const reopened = unwrap(await openHearthStore(name));
    assertEqual((await reopenBoard(reopened)).view, boardViewOf(alice));
    await reopened.close();
  });

  it('does not grow the stored log by opening it again and again', async () => {
    const name = newName();
    const { store, alice } = await storeWithGroup(name);
    const persistence = store.persistLog(GROUP.id, alice.log);
    writeBoard(alice);
    unwrap(await persistence.flush());
    await store.close();
    const before = await logEntryCount(name);

    for (let round = 0; round < 3; round++) {
      const reopened = unwrap(await openHearthStore(name));
      const log = new Y.Doc();
      const watching = reopened.persistLog(GROUP.id, log);
      unwrap(await reopened.loadLog(GROUP.id, log));
      assertEqual(watching.queued, 0, 'what was loaded is not queued to be written back');
      unwrap(await watching.flush());
      await reopened.close();
    }
    assertEqual(await logEntryCount(name), before);
  });

  it('saves changes that arrive from a peer, not only local ones', async () => {
    const name = newName();
    const { store, alice } = await storeWithGroup(name);
    const bob = member(2);
    writeBoard(bob);
    const persistence = store.persistLog(GROUP.id, alice.log);
    Y.applyUpdate(alice.log, Y.encodeStateAsUpdate(bob.log), 'peer');
    unwrap(await persistence.flush());
    await store.close();
    const reopened = unwrap(await openHearthStore(name));
    assertEqual((await reopenBoard(reopened)).view, boardViewOf(alice));
    await reopened.close();
  });

  it('skips a stored entry that does not open, reports it, and keeps it through compaction', async () => {
    const name = newName();
    const { store, alice } = await storeWithGroup(name);
    const persistence = store.persistLog(GROUP.id, alice.log, { compactAfter: 2 });
    writeBoard(alice);
    unwrap(await persistence.flush());
    await store.close();

    // An entry sealed for GROUP, copied into another group's range, does not open there.
    const raw = await openDB(name);
    const [firstKey] = await raw.getAllKeys('log');
    await raw.put('log', await raw.get('log', firstKey!), ['another-group', 0]);
    raw.close();

    const reopened = unwrap(await openHearthStore(name));
    const errors: StoreError[] = [];
    reopened.onError((error) => errors.push(error));
    const doc = new Y.Doc();
    unwrap(await reopened.loadLog('another-group', doc));
    assertEqual(errors[0]?.code, 'corrupt');
    assertEqual(doc.getArray('envelopes').length, 0);

    const anotherPersistence = reopened.persistLog('another-group', doc, { compactAfter: 1 });
    doc.getArray('envelopes').push([new Uint8Array([1])]);
    unwrap(await anotherPersistence.flush());
    doc.getArray('envelopes').push([new Uint8Array([2])]);
    unwrap(await anotherPersistence.flush());
    await reopened.close();
    const keys = (await rawContents(name)).stores['log']!.keys as [string, number][];
    const others = keys.filter(([id]) => id === 'another-group').map(([, seq]) => seq);
    assertEqual(others.join(), '0,3', 'the unreadable entry stays; the two readable ones became one');
  });
});
