import { beforeAll, describe, expect, it } from 'vitest';
import { createGroupSecret, ready, sign, toBase64Url } from '../../crypto/index.js';
import { GroupKeyring } from '../../src/log/keyring.js';
import { removeMember } from '../../src/log/membershipOps.js';
import { EnvelopeSync } from '../../src/sync/envelopeSync.js';
import { previousEpochs } from '../../src/sync/lingerRoom.js';
import type { PeerLink } from '../../src/sync/peerTransport.js';
import { decodeRoomProof, encodeRoomProof, isRoomProofMessage, signRoomProof } from '../../src/sync/roomProof.js';
import { AnsweringLinks, ProvenLinks } from '../../src/sync/roomProofLinks.js';
import { decodeSyncMessage, encodeEnvelopes } from '../../src/sync/syncMessages.js';
import { GROUP_ID, everything, post, type Member } from '../fixtures/group.js';
import { admit, deliver, founder, posts, summary } from '../log/membershipFixtures.js';
import { MemoryNetwork } from './memoryTransport.js';

beforeAll(async () => {
  await ready();
});

/** Own writes are appended after their disk commit: let it settle, then deliver. */
async function settle(network: MemoryNetwork): Promise<void> {
  for (let i = 0; i < 6; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    network.deliverAll();
  }
}

const isMemberOf = (m: Member) => (key: Uint8Array) => m.log.membership.members.has(toBase64Url(key));

/** A device lingering in a previous epoch's room: it syncs only over links proven by a current member. */
function lingering(network: MemoryNetwork, name: string, m: Member): { links: ProvenLinks; sync: EnvelopeSync } {
  const links = new ProvenLinks({ inner: network.transport(name), groupId: GROUP_ID, identity: m.identity, isMember: isMemberOf(m) });
  return { links, sync: new EnvelopeSync({ log: m.log, transport: links }) };
}

/** A device in what it takes for the current room: it answers room challenges and syncs with everyone. */
function present(network: MemoryNetwork, name: string, m: Member): EnvelopeSync {
  return new EnvelopeSync({ log: m.log, transport: new AnsweringLinks({ inner: network.transport(name), groupId: GROUP_ID, identity: m.identity }) });
}

/** Every message that reaches `name`'s end of its links, from the moment of the call. */
function recordArrivals(network: MemoryNetwork, name: string): Uint8Array[] {
  const arrived: Uint8Array[] = [];
  network.transport(name).on('link', (link) => link.on('message', (message) => arrived.push(message)));
  return arrived;
}

/** Alice (facilitator), Bob, Carol and Dan, each holding everything; then Alice removes Dan, and the group is in epoch 1. */
async function groupAfterRemoval(): Promise<{ alice: Member; bob: Member; carol: Member; dan: Member }> {
  const alice = await founder();
  const bob = (await admit(alice, 2))!;
  const carol = (await admit(alice, 3))!;
  const dan = (await admit(alice, 4))!;
  for (const m of [bob, carol, dan]) deliver(alice, m);
  await post(alice, 'before anyone left');
  for (const m of [bob, carol, dan]) deliver(alice, m);
  expect((await removeMember(alice.log, dan.id)).ok).toBe(true);
  await post(alice, 'after Dan left');
  deliver(alice, bob);
  return { alice, bob, carol, dan };
}

/** Carol comes back into the old room, where Alice lingers, and they sync. */
async function carolReturns(alice: Member, carol: Member, seed: number): Promise<void> {
  const network = new MemoryNetwork(seed);
  lingering(network, 'alice', alice);
  present(network, 'carol', carol);
  network.connect('carol', 'alice');
  await settle(network);
}

describe('lingering in the previous epoch’s room', () => {
  it('brings a member offline through a rotation, who knows only the old room, into the new epoch with the board synced', async () => {
    const { alice, carol } = await groupAfterRemoval();
    await post(carol, 'written while offline');
    expect(carol.log.keyringEpoch.epoch).toBe(0);
    await carolReturns(alice, carol, 1);
    expect(carol.log.keyringEpoch.epoch).toBe(1);
    expect(summary(carol)).toBe(summary(alice));
    expect(posts(carol)).toEqual(posts(alice));
    expect(posts(alice)).toContain('written while offline');
    expect(posts(carol)).toContain('after Dan left');
  });

  it('brings a member offline through two rotations into the newest epoch', async () => {
    const { alice, bob, carol } = await groupAfterRemoval();
    expect((await removeMember(alice.log, bob.id)).ok).toBe(true);
    await post(alice, 'after Bob left too');
    expect(alice.log.keyringEpoch.epoch).toBe(2);
    await carolReturns(alice, carol, 2);
    expect(carol.log.keyringEpoch.epoch).toBe(2);
    expect(summary(carol)).toBe(summary(alice));
    expect(posts(carol)).toEqual(expect.arrayContaining(['after Dan left', 'after Bob left too']));
  });

  it('sends a removed device nothing but its challenge, and applies nothing it sends', async () => {
    const { alice, dan } = await groupAfterRemoval();
    await post(dan, 'Dan, after his removal');
    const network = new MemoryNetwork(3);
    const { links } = lingering(network, 'alice', alice);
    present(network, 'dan', dan);
    const arrived = recordArrivals(network, 'dan');
    network.connect('alice', 'dan');
    await settle(network);
    expect(arrived).toHaveLength(1);
    expect(decodeRoomProof(arrived[0]!)).toMatchObject({ ok: true, message: { type: 'challenge' } });
    expect(links.refused).toEqual({ 'not-a-member': 1 });
    expect(links.links()).toHaveLength(0);
    expect(posts(alice)).not.toContain('Dan, after his removal');
    expect(dan.log.keyringEpoch.epoch).toBe(0);
    expect(posts(dan)).not.toContain('after Dan left');

    // Everything Dan sends afterwards, even whole envelopes, stays unread.
    network.transport('dan').links()[0]!.send(encodeEnvelopes(GROUP_ID, everything(dan)));
    await settle(network);
    expect(posts(alice)).not.toContain('Dan, after his removal');
  });

  it("refuses another member's proof replayed on a removed device's connection", async () => {
    const { alice, carol } = await groupAfterRemoval();
    const network = new MemoryNetwork(4);
    const { links } = lingering(network, 'alice', alice);
    present(network, 'carol', carol);
    const fromCarol: Uint8Array[] = [];
    network.transport('alice').on('link', (link) => link.on('message', (m) => isRoomProofMessage(m) && fromCarol.push(m)));
    network.connect('alice', 'carol');
    await settle(network);
    expect(fromCarol).toHaveLength(1);

    const arrived = recordArrivals(network, 'dan');
    network.connect('alice', 'dan');
    network.transport('dan').links()[0]!.send(fromCarol[0]!);
    await settle(network);
    expect(links.refused).toEqual({ 'bad-proof': 1 });
    expect(arrived.filter((m) => !isRoomProofMessage(m))).toHaveLength(0);
  });

  it('refuses crafted proofs: truncated, over-long, of an unknown type, over another nonce, or by a removed key', async () => {
    const { alice, bob, dan } = await groupAfterRemoval();
    const network = new MemoryNetwork(5);
    const { links } = lingering(network, 'alice', alice);
    const nonces = new Map<string, Uint8Array>();
    const attack = async (name: string, craft: (link: PeerLink, nonce: Uint8Array) => Uint8Array): Promise<void> => {
      network.transport(name).on('link', (link) =>
        link.on('message', (m) => {
          const decoded = decodeRoomProof(m);
          if (decoded.ok && decoded.message.type === 'challenge') nonces.set(name, decoded.message.nonce);
        }),
      );
      network.connect('alice', name);
      await settle(network);
      const link = network.transport(name).links()[0]!;
      link.send(craft(link, nonces.get(name)!));
      await settle(network);
    };
    const proofOf = (signer: Member, link: PeerLink, nonce: Uint8Array) =>
      encodeRoomProof({ type: 'proof', key: signer.identity.signPublicKey, signature: signRoomProof({ groupId: GROUP_ID, binding: link.binding!()!, nonce, signSecretKey: signer.identity.signSecretKey }) });

    await attack('truncated', (link, nonce) => proofOf(bob, link, nonce).slice(0, 97));
    await attack('over-long', (link, nonce) => Uint8Array.from([...proofOf(bob, link, nonce), 0]));
    await attack('unknown-type', (link, nonce) => Uint8Array.from([0xa1, 7, ...proofOf(bob, link, nonce).slice(2)]));
    await attack('other-nonce', (link) => proofOf(bob, link, new Uint8Array(32)));
    await attack('other-group', (link, nonce) => {
      const bytes = proofOf(bob, link, nonce);
      const signed = signRoomProof({ groupId: new Uint8Array(16), binding: link.binding!()!, nonce, signSecretKey: bob.identity.signSecretKey });
      bytes.set(signed, 34);
      return bytes;
    });
    await attack('key-swapped', (link, nonce) => {
      const bytes = proofOf(dan, link, nonce);
      bytes.set(bob.identity.signPublicKey, 2);
      return bytes;
    });
    await attack('removed-key', (link, nonce) => proofOf(dan, link, nonce));
    await attack('raw-signature', (link, nonce) => encodeRoomProof({ type: 'proof', key: bob.identity.signPublicKey, signature: sign(nonce, bob.identity.signSecretKey) }));
    expect(links.refused).toEqual({ 'bad-proof': 7, 'not-a-member': 1 });
    expect(links.links()).toHaveLength(0);

    // The same crafting with a member's key, correctly signed, passes: the refusals above are the attacks'.
    await attack('bob', (link, nonce) => proofOf(bob, link, nonce));
    expect(links.links()).toHaveLength(1);
  });

  it('stops listening to a peer that sends more than a HEADS before proving, even if it proves later', async () => {
    const { alice, bob } = await groupAfterRemoval();
    const network = new MemoryNetwork(6);
    const { links } = lingering(network, 'alice', alice);
    const flood = new EnvelopeSync({ log: bob.log, transport: network.transport('bob') });
    network.connect('alice', 'bob');
    const link = network.transport('bob').links()[0]!;
    for (let i = 0; i < 16; i += 1) link.send(encodeEnvelopes(GROUP_ID, []));
    await settle(network);
    expect(links.refused).toEqual({ 'too-much-before-proof': 1 });
    flood.destroy();
  });

  it('leaves two devices that both linger without a link between them (both are in the current room)', async () => {
    const { alice, bob } = await groupAfterRemoval();
    const network = new MemoryNetwork(7);
    const a = lingering(network, 'alice', alice);
    const b = lingering(network, 'bob', bob);
    const arrived = recordArrivals(network, 'bob');
    network.connect('alice', 'bob');
    await settle(network);
    expect(a.links.refused).toEqual({ lingering: 1 });
    expect(b.links.refused).toEqual({ lingering: 1 });
    expect(arrived.every((m) => decodeSyncMessage(m).ok === false)).toBe(true);
  });

  it('lingers for the newest previous epochs only, never the one it seals under', () => {
    const secrets = [0, 1, 2, 3, 4].map((epoch) => ({ epoch, secret: createGroupSecret() }));
    const keyring = new GroupKeyring(GROUP_ID, secrets);
    expect(keyring.currentEpoch).toBe(4);
    expect(previousEpochs(keyring).map(({ epoch }) => epoch)).toEqual([3, 2, 1]);
    expect(previousEpochs(new GroupKeyring(GROUP_ID, [secrets[0]!]))).toEqual([]);
  });
});
