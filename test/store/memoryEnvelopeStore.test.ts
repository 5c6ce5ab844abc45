import { MemoryDisk, type MemoryEnvelopeStore } from '../fakes/memoryEnvelopeStore.js';
import { describeLinks, envelopeStoreContract } from './envelopeStoreContract.js';

envelopeStoreContract('in-memory fake', async () => {
  let disk = new MemoryDisk();
  let stores = new Map<string, MemoryEnvelopeStore>();
  return {
    open(groupId) {
      let store = stores.get(groupId);
      if (!store) stores.set(groupId, (store = disk.open(groupId)));
      return store;
    },
    onDisk: async (groupId) => describeLinks(disk.links(groupId)),
    async crash() {
      for (const store of stores.values()) store.kill();
      stores = new Map();
    },
    fillDisk() {
      disk.full = true;
      return () => {
        disk.full = false;
      };
    },
    async dispose() {
      for (const store of stores.values()) store.kill();
      disk = new MemoryDisk();
    },
  };
});
