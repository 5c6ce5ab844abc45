import * as prng from 'lib0/prng';
import { ready } from '../../crypto/index.js';
import { addReply, toggleReaction, REACTIONS } from '../../src/model/index.js';
import { EnvelopeSync } from '../../src/sync/envelopeSync.js';
import { encodeEnvelopes, encodeHeads } from '../../src/sync/syncMessages.js';
import { assert, assertDeepEqual } from '../assert.js';
import { GROUP_ID, member, post, view, visible, type Member } from '../fixtures/group.js';
import { craftLink, craftUpdate, setRecord, signedPost } from '../log/craft.js';
import { MemoryNetwork } from './memoryTransport.js';

type Device = Member & { name: string; sync: EnvelopeSync };

/**
 * Three honest members and one hostile one, each with their own log and envelope sync, on an
 * in-memory network whose seeded randomness drops, duplicates, reorders and delays messages and
 * cuts links. 500 operations, then the network heals: every honest board must be identical and
 * hold everything any honest member wrote.
 */
describe('seeded multi-peer convergence (log v2)', () => {
  before(async () => {
    await ready();
  });

  for (const [seed, relayDelayMs] of [[1, 0], [2, 0], [3, 0], [4, 5]] as const) {
    it(`three honest peers and a hostile one converge, losing nothing (seed ${seed}, relay delay ${relayDelayMs} ms)`, async () => {
      const network = new MemoryNetwork(seed, { drop: 0.05, duplicate: 0.05, reorder: 0.2, delay: 0.2 });
      const random = prng.create(seed * 7919);
      const honest: Device[] = [];
      for (const [name, key] of [['ana', 1], ['bo', 2], ['cy', 3]] as const) {
        const m = await member(key);
        honest.push({ ...m, name, sync: new EnvelopeSync({ log: m.log, transport: network.transport(name), limits: { relayDelayMs } }) });
      }
      const hostileMember = await member(66);
      const names = ['ana', 'bo', 'cy', 'mal'];
      for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) network.connect(names[i]!, names[j]!);
      const written = new Set<string>();
      let hostileSeq = 1;

      for (let op = 0; op < 500; op++) {
        const choice = prng.uint32(random, 0, 99);
        const actor = honest[prng.uint32(random, 0, honest.length - 1)]!;
        if (choice < 35) {
          written.add(await post(actor, `post ${op} by ${actor.name}`));
        } else if (choice < 50) {
          const posts = view(actor).posts;
          if (posts.length > 0) await actor.log.write((c) => addReply(c, posts[prng.uint32(random, 0, posts.length - 1)]!.record.id, `reply ${op}`));
        } else if (choice < 60) {
          const posts = view(actor).posts;
          const reaction = REACTIONS[prng.uint32(random, 0, REACTIONS.length - 1)]!;
          if (posts.length > 0) await actor.log.write((c) => toggleReaction(c, posts[0]!.record.id, reaction));
        } else if (choice < 75) {
          // The hostile member sends crafted bytes: forks, forgeries, junk roots, heads lies.
          const link = network.transport('mal').links()[prng.uint32(random, 0, Math.max(0, network.transport('mal').links().length - 1))];
          const kind = prng.uint32(random, 0, 3);
          const envelope =
            kind === 0
              ? craftLink(hostileMember, craftUpdate((d) => setRecord(d, 'posts', signedPost(hostileMember, { suffix: `m${op}`, body: `mal ${op}` }))), { seq: hostileSeq })
              : kind === 1
                ? craftLink(hostileMember, craftUpdate((d) => d.getArray('junk').push([op])), { seq: hostileSeq })
                : kind === 2
                  ? craftLink(hostileMember, craftUpdate((d) => setRecord(d, 'posts', { ...signedPost(hostileMember), id: `${honest[0]!.id}/x${op}`, authorId: honest[0]!.id })), { seq: hostileSeq })
                  : craftLink(hostileMember, craftUpdate((d) => setRecord(d, 'posts', signedPost(hostileMember, { suffix: `f${op}`, body: `fork ${op}` }))), { seq: Math.max(1, hostileSeq - 1) });
          if (kind === 0 && prng.bool(random)) hostileSeq++;
          link?.send(encodeEnvelopes(GROUP_ID, [envelope]));
          if (prng.uint32(random, 0, 9) === 0) link?.send(encodeHeads(GROUP_ID, [{ authorKey: honest[1]!.identity.signPublicKey, seq: 10_000, hash: new Uint8Array(32) }]));
        } else if (choice < 80) {
          const [a, b] = [names[prng.uint32(random, 0, 3)]!, names[prng.uint32(random, 0, 3)]!];
          if (a !== b) network.disconnect(a, b);
        } else if (choice < 85) {
          const [a, b] = [names[prng.uint32(random, 0, 3)]!, names[prng.uint32(random, 0, 3)]!];
          if (a !== b) network.connect(a, b);
        }
        for (let steps = prng.uint32(random, 0, 20); steps > 0; steps--) network.step();
        await Promise.resolve();
      }

      // The network heals: faults stop, every honest pair reconnects, everything is delivered.
      network.faults = {};
      for (const a of honest) for (const b of honest) if (a !== b) network.disconnect(a.name, b.name);
      for (const a of honest) for (const b of honest) if (a.name < b.name) network.connect(a.name, b.name);
      for (let round = 0; round < 20; round++) {
        await new Promise((resolve) => setTimeout(resolve, relayDelayMs * 2));
        network.deliverAll();
      }

      const boards = honest.map((d) => visible(d));
      assertDeepEqual(boards[1], boards[0], 'Bo and Ana differ');
      assertDeepEqual(boards[2], boards[0], 'Cy and Ana differ');
      const shown = new Set(view(honest[0]!).posts.map((p) => p.record.id));
      for (const id of written) assert(shown.has(id), `post ${id} was lost`);
      const honestIds = new Set(honest.map((d) => d.id));
      for (const p of view(honest[0]!).posts) {
        if (honestIds.has(p.record.authorId)) assert(written.has(p.record.id), `${p.record.id} was forged in an honest member's name`);
        else assert(p.record.authorId === hostileMember.id, 'only members who signed them author posts');
      }
    });
  }
});
