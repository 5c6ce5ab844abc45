import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../crypto/index.js';
import { EnvelopeSync } from '../../src/sync/envelopeSync.js';
import { encodeEnvelopes } from '../../src/sync/syncMessages.js';
import { GROUP_ID, chainKey, member, post, visible, type Member } from '../fixtures/group.js';
import { MemoryNetwork } from './memoryTransport.js';

beforeAll(async () => {
  await ready();
});

/** Own writes are appended after their disk commit: let it settle, then deliver. */
async function settle(network: MemoryNetwork): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    network.deliverAll();
  }
}

async function device(network: MemoryNetwork, name: string, seed: number): Promise<Member & { sync: EnvelopeSync }> {
  const m = await member(seed);
  return { ...m, sync: new EnvelopeSync({ log: m.log, transport: network.transport(name) }) };
}

describe('EnvelopeSync with the real GroupLog', () => {
  it('converges members in a line A–C–B, and a newcomer gets everything from C while A is away', async () => {
    const network = new MemoryNetwork(31);
    const a = await device(network, 'a', 1);
    const b = await device(network, 'b', 2);
    const c = await device(network, 'c', 3);
    network.connect('a', 'c');
    network.connect('c', 'b');
    await post(a, 'I made it to the meeting.');
    await post(b, 'Proud of everyone tonight.');
    await settle(network);
    expect(visible(a)).toHaveLength(2);
    expect(visible(b)).toEqual(visible(a));
    expect(visible(c)).toEqual(visible(a));

    network.disconnect('a', 'c');
    const d = await device(network, 'd', 4);
    network.connect('c', 'd');
    await settle(network);
    expect(visible(d)).toEqual(visible(a));
    expect(d.sync.status).toEqual({ links: 1, synced: 1 });
  });

  it('relays nothing a hostile peer forged: a third member never receives it', async () => {
    const network = new MemoryNetwork(32);
    const a = await device(network, 'a', 1);
    const c = await device(network, 'c', 3);
    network.connect('a', 'c');
    network.connect('hostile', 'a');
    await settle(network);
    const link = network.transport('hostile').links()[0]!;
    await post(c, 'a real post');
    await settle(network);
    const real = a.log.envelopesAfter(chainKey(c), 0)[0]!;
    const forged = real.slice();
    forged[forged.length - 100]! ^= 1; // ciphertext changed, signature kept
    const sentBefore = a.sync.counters().envelopesSent;
    link.send(encodeEnvelopes(GROUP_ID, [forged]));
    await settle(network);
    expect(a.log.getStats().rejected).toBeGreaterThan(0);
    expect(a.sync.counters().envelopesSent).toBe(sentBefore);
    expect(visible(c)).toEqual(visible(a));
  });
});
