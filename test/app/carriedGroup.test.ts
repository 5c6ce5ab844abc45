import * as Y from 'yjs';
import { createGroupSecret, ready, toBase64Url } from '../../crypto/index.js';
import type { GroupRecord } from '../../src/app/ports.js';
import { GroupKeyring } from '../../src/log/keyring.js';
import { signRecord, type GroupInfoRecord } from '../../src/model/index.js';
import { sealEnvelopeV1 } from '../fixtures/envelopeV1.js';
import { identityFromSeed } from '../fixtures/group.js';
import { assert, assertEqual } from '../assert.js';
import { send, started } from './drive.js';
import { MemoryStore, testDeps } from './fakes.js';
import { REPAIR_STEP_MS } from '../../src/log/membershipOps.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const highestEpoch = (record: GroupRecord | undefined): number => Math.max(...(record?.epochs ?? []).map((e) => e.epoch));

/** A v1 group on Ana's device, which she created: its only secret sits in old invite links. */
function v1GroupOfAna(): { store: MemoryStore; id: string } {
  const store = new MemoryStore();
  const ana = identityFromSeed(1);
  store.device = { identity: ana, displayName: 'Ana', createdAt: 1 };
  const groupId = new Uint8Array(16).fill(7);
  const secret = createGroupSecret();
  const keyring = new GroupKeyring(groupId, [{ epoch: 0, secret }]);
  const board = new Y.Doc();
  const log = new Y.Doc();
  board.on('update', (update: Uint8Array) => {
    const envelope = sealEnvelopeV1({ kind: 'update', groupId, epoch: 0, counter: log.getArray('envelopes').length + 1, authorKey: ana.signPublicKey, authorSecretKey: ana.signSecretKey, key: keyring.keyFor(0, 'update')!, plaintext: update });
    log.getArray('envelopes').push([{ e: envelope }]);
  });
  const authorId = toBase64Url(ana.signPublicKey);
  const info = signRecord<GroupInfoRecord>({ v: 1, type: 'group-info', id: `${authorId}/group`, authorId, createdAt: 1000, name: 'Old circle' }, ana.signSecretKey);
  board.getMap('group').set(info.id, info);
  const id = toBase64Url(groupId);
  store.groups.set(id, { id, groupId, name: 'Old circle', epochs: [{ epoch: 0, secret }], joinedAt: 1, counter: 0, logVersion: 1 });
  store.legacyLogs.set(id, Y.encodeStateAsUpdate(log));
  return { store, id };
}

describe('a group carried over from v1', () => {
  before(async () => {
    await ready();
  });

  it('rotates once to a new epoch when its creator opens it, and not again', async () => {
    const { store, id } = v1GroupOfAna();
    const controller = await started(testDeps({ store }));
    const opened = await send(controller, { type: 'navigate', route: { name: 'board', groupId: id } });
    assert(opened.board?.membership.managed, 'the creator stated the group');
    assertEqual(highestEpoch(store.groups.get(id)), 0);

    for (let i = 0; i < 200 && highestEpoch(store.groups.get(id)) === 0; i++) await sleep(50);
    assertEqual(highestEpoch(store.groups.get(id)), 1, 'a new epoch, whose secret no old link holds');
    const secretsAfter = store.groups.get(id)!.epochs.length;

    await sleep(2 * REPAIR_STEP_MS + 500);
    assertEqual(highestEpoch(store.groups.get(id)), 1, 'no second rotation');
    assertEqual(store.groups.get(id)!.epochs.length, secretsAfter);

    const again = await started(testDeps({ store }));
    await send(again, { type: 'navigate', route: { name: 'board', groupId: id } });
    await sleep(REPAIR_STEP_MS + 500);
    assertEqual(highestEpoch(store.groups.get(id)), 1, 'opening it again does not rotate it again');
  });
});
