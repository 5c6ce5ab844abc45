import * as Y from 'yjs';
import { ready } from '../../crypto/index.js';
import { LAST_GROUP_KEY } from '../../src/app/controller.js';
import { openHearthStore } from '../../src/store/index.js';
import { BENCH_GROUP, benchKeyring, decodeBase64Url } from '../shared/fixtures.js';
import { storeWriter } from './common.js';
import { storePlain } from './yIndexeddbBaseline.js';

/**
 * The phone-class figures' seeding page, built into the production bundle beside the app (same
 * origin, so the app opens what it writes): the writer's device as the app keeps it — device,
 * group, envelopes, "open this group next" — and the plain baseline's y-indexeddb database.
 */

declare global {
  interface Window {
    hearthPhone: typeof api;
  }
}

const api = {
  async seedApp(options: { packed: string; keyringVariant: number }): Promise<number> {
    await ready();
    const opened = await openHearthStore();
    if (!opened.ok) throw new Error(`store: ${opened.error.code}`);
    return storeWriter(opened.value, benchKeyring(options.keyringVariant), options.packed, async (store) => {
      const last = await store.setSetting(LAST_GROUP_KEY, BENCH_GROUP);
      if (!last.ok) throw new Error(`seed: ${last.error.code}`);
    });
  },

  async seedPlain(options: { database: string; update: string }): Promise<number> {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, decodeBase64Url(options.update));
    return storePlain(options.database, doc);
  },
};

window.hearthPhone = api;
