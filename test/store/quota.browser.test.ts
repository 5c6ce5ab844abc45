import { openHearthStore, type StoreError } from '../../src/store/index.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { fillTheDisk } from './fullDisk.js';
import { BODY, device, groupRecord, link, linkText, unwrap, useScratchDatabases } from './storeFixtures.js';

describe('store on a full disk', () => {
  const newName = useScratchDatabases();

  it('reports quota-exceeded, keeps what was saved and the queued envelopes, and saves them once space is back', async () => {
    const name = newName();
    const group = groupRecord();
    const store = unwrap(await openHearthStore(name));
    unwrap(await store.saveDevice(device()));
    unwrap(await store.saveGroup(group));
    const envelopes = store.envelopes(group.id);
    const errors: StoreError[] = [];
    envelopes.on('error', (error) => errors.push(error));
    unwrap(await envelopes.commit([link('alice', 1)]));

    const freeSpace = fillTheDisk();
    let restored = false;
    try {
      envelopes.queue([link('bob', 1, BODY)]);
      const own = await envelopes.commit([link('alice', 2, 'Written while the disk was full.')]);
      assert(!own.ok, 'an own envelope is not reported as saved');
      assertEqual(own.error.code, 'quota-exceeded');
      assert(/space/.test(own.error.message), `a plain message: ${own.error.message}`);
      assertDeepEqual(errors.map((e) => e.code), ['quota-exceeded']);

      const renamed = await store.saveGroup({ ...group, name: 'A new name' });
      assert(!renamed.ok && renamed.error.code === 'quota-exceeded', 'record writes report it too');
      const setting = await store.setSetting('theme', 'dark');
      assert(!setting.ok && setting.error.code === 'quota-exceeded', 'and settings');
      assertEqual(unwrap(await store.listGroups())[0]?.name, group.name, 'what was saved before is still there');
      freeSpace();
      restored = true;
    } finally {
      if (!restored) freeSpace();
    }

    unwrap(await envelopes.flush());
    await store.close();
    const reopened = unwrap(await openHearthStore(name));
    const texts = unwrap(await reopened.envelopes(group.id).load()).map(linkText);
    assertDeepEqual(texts, [linkText(link('alice', 1)), 'Written while the disk was full.', BODY]);
    await reopened.close();
  });
});
