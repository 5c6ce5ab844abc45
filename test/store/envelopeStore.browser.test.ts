import { openDB } from 'idb';
import type { EnvelopeStorePort } from '../../src/log/ports.js';
import { openHearthStore, type HearthStore, type StoreError } from '../../src/store/index.js';
import { assertDeepEqual, assertEqual } from '../assert.js';
import { describeLinks, envelopeStoreContract, link as chainLink, type EnvelopeStoreHarness } from './envelopeStoreContract.js';
import { fillTheDisk } from './fullDisk.js';
import { groupRecord, link, linkText, rawContents, unwrap, useScratchDatabases } from './storeFixtures.js';

const GROUP = groupRecord().id;

/** What a fresh page load would read: a second connection, its own store instance. */
async function linksOnDisk(name: string, groupId: string): Promise<string[]> {
  const reader = unwrap(await openHearthStore(name));
  const links = unwrap(await reader.envelopes(groupId).load());
  await reader.close();
  return describeLinks(links);
}

/**
 * From now on no transaction may write, as once the page is gone: only what was already
 * handed to IndexedDB still lands. Returns the undo.
 */
function endThePage(): () => void {
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function afterUnload(this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>): IDBTransaction {
    if (args[1] === 'readwrite') throw new DOMException('The page has unloaded.', 'InvalidStateError');
    return transaction.apply(this, args);
  };
  return () => {
    IDBDatabase.prototype.transaction = transaction;
  };
}

async function idbHarness(name: string): Promise<EnvelopeStoreHarness> {
  let hearth = unwrap(await openHearthStore(name));
  let opened = new Set<EnvelopeStorePort>();
  const end = async (): Promise<void> => {
    for (const store of opened) await store.close({ discard: true });
    opened = new Set();
    await hearth.close();
  };
  return {
    open(groupId) {
      const store = hearth.envelopes(groupId);
      opened.add(store);
      return store;
    },
    onDisk: (groupId) => linksOnDisk(name, groupId),
    async crash() {
      await end();
      hearth = unwrap(await openHearthStore(name));
    },
    fillDisk: fillTheDisk,
    dispose: end,
  };
}

describe('envelope store on IndexedDB', () => {
  const newName = useScratchDatabases();
  envelopeStoreContract('IndexedDB', () => idbHarness(newName()));

  /**
   * Runs `prepare`, then `lastMoment` (queueing and maybe hiding the page) and ends the page in
   * the same task, before any microtask: only a write started synchronously can have landed.
   */
  async function unloadRightAfter(
    name: string,
    prepare: (store: EnvelopeStorePort) => Promise<void>,
    lastMoment: (store: EnvelopeStorePort) => void,
  ): Promise<string[]> {
    const hearth: HearthStore = unwrap(await openHearthStore(name));
    const store = hearth.envelopes(GROUP);
    await prepare(store);
    lastMoment(store);
    const restore = endThePage();
    try {
      await store.close({ discard: true });
      await hearth.close();
    } finally {
      restore();
    }
    return linksOnDisk(name, GROUP);
  }

  const nothingBefore = async (): Promise<void> => undefined;
  const pagehide = (): void => void window.dispatchEvent(new Event('pagehide'));

  it('keeps envelopes queued just before a reload: pagehide writes them with no await', async () => {
    const onDisk = await unloadRightAfter(newName(), nothingBefore, (store) => {
      for (let seq = 1; seq <= 20; seq++) store.queue([chainLink('bob', seq)]);
      pagehide();
    });
    assertDeepEqual(onDisk, Array.from({ length: 20 }, (_, i) => `bob/${i + 1}:v1`));
  });

  it('writes the same way when the page becomes hidden', async () => {
    const onDisk = await unloadRightAfter(newName(), nothingBefore, (store) => {
      store.queue([chainLink('bob', 1)]);
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      try {
        document.dispatchEvent(new Event('visibilitychange'));
      } finally {
        delete (document as { visibilityState?: unknown }).visibilityState;
      }
    });
    assertDeepEqual(onDisk, ['bob/1:v1']);
  });

  it('keeps the queued order of removals and puts in the pagehide write, with a batch in flight', async () => {
    const onDisk = await unloadRightAfter(
      newName(),
      async (store) => {
        unwrap(await store.commit([1, 2, 3].map((seq) => chainLink('alice', seq, 'losing'))));
        store.queue([chainLink('dave', 1)]); // its write-through batch starts before pagehide
        await Promise.resolve();
      },
      (store) => {
        store.truncateAfter('alice', 1);
        store.queue([chainLink('alice', 2, 'winning')]);
        store.queue([chainLink('carol', 1, 'old')]);
        store.supersede('carol', 2);
        pagehide();
      },
    );
    assertDeepEqual(onDisk, ['alice/1:losing', 'alice/2:winning', 'dave/1:v1']);
  });

  it('loses what was only queued when the page ends without pagehide, and keeps what commit settled', async () => {
    const onDisk = await unloadRightAfter(
      newName(),
      async (store) => void unwrap(await store.commit([chainLink('alice', 1)])),
      (store) => store.queue([chainLink('bob', 1)]), // a killed process: no event at all
    );
    assertDeepEqual(onDisk, ['alice/1:v1'], 'the control: only the committed envelope is there');
  });

  it('skips a link that does not open, reports it as corrupt, and leaves it on disk', async () => {
    const name = newName();
    const store = unwrap(await openHearthStore(name));
    unwrap(await store.envelopes(GROUP).commit([link('alice', 1), link('alice', 2)]));
    await store.close();

    // A sealed link copied to another seq, author or group must not open there.
    const raw = await openDB(name);
    const sealed: unknown = await raw.get('envelopes', [GROUP, 'alice', 1]);
    await raw.put('envelopes', sealed, [GROUP, 'alice', 5]);
    await raw.put('envelopes', sealed, [GROUP, 'mallory', 1]);
    await raw.put('envelopes', sealed, ['another-group', 'alice', 1]);
    raw.close();

    const reopened = unwrap(await openHearthStore(name));
    const envelopes = reopened.envelopes(GROUP);
    const errors: StoreError[] = [];
    envelopes.on('error', (error) => errors.push(error));
    const links = unwrap(await envelopes.load());
    assertDeepEqual(links.map((l) => [l.authorId, l.seq]), [['alice', 1], ['alice', 2]]);
    assertEqual(linkText(links[0]!), linkText(link('alice', 1)));
    assertDeepEqual(errors.map((e) => e.code), ['corrupt']);
    assertEqual(unwrap(await reopened.envelopes('another-group').load()).length, 0);
    await reopened.close();
    assertEqual((await rawContents(name)).stores['envelopes']!.keys.length, 5, 'nothing was deleted');
  });
});
