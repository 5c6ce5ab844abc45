import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../crypto/index.js';
import { EnvelopeSync } from '../../src/sync/envelopeSync.js';
import { SYNC_MESSAGE_TYPES, encodeCatchUp } from '../../src/sync/syncMessages.js';
import { GROUP_ID, member, post, visible, type Member } from '../fixtures/group.js';
import { MemoryNetwork } from './memoryTransport.js';

beforeAll(async () => {
  await ready();
});

const PAGE = new Uint8Array([1, 2, 3, 4]);

/** Delivers until quiet, waiting out the pause a catch-up page puts on its link. */
async function settle(network: MemoryNetwork, waitMs = 80): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    network.deliverAll();
  }
}

/** A device whose app offers PAGE and records the pages it is handed. */
async function device(network: MemoryNetwork, name: string, seed: number) {
  const m: Member = await member(seed);
  const received: Uint8Array[] = [];
  m.log.catchUp = { page: () => PAGE, receive: (page) => void received.push(page) };
  // Listened to before the sync's own listener: the message types in the order they arrive.
  const arrived: number[] = [];
  network.transport(name).on('link', (link) => link.on('message', (message: Uint8Array) => void arrived.push(message[1]!)));
  const sync = new EnvelopeSync({ log: m.log, transport: network.transport(name), limits: { catchUpAfterLinks: 3 } });
  return { ...m, sync, received, arrived };
}

describe('the catch-up page in the envelope sync', () => {
  it('sends a far-behind peer the page before the envelopes, once', async () => {
    const network = new MemoryNetwork(41);
    const a = await device(network, 'a', 1);
    for (let i = 0; i < 4; i++) await post(a, `post ${i}`);
    const d = await device(network, 'd', 4);
    network.connect('a', 'd');
    await settle(network);
    const { heads, envelopes } = SYNC_MESSAGE_TYPES;
    expect(d.arrived.slice(0, 3)).toEqual([heads, SYNC_MESSAGE_TYPES['catch-up'], envelopes]);
    expect(d.received).toEqual([PAGE]);
    expect(visible(d)).toEqual(visible(a));
    // d was never far behind a chain a holds: a got no page.
    expect(a.received).toEqual([]);
  });

  it('holds the envelopes after a page a moment, so the page reaches the screen first', async () => {
    const network = new MemoryNetwork(44);
    const a = await device(network, 'a', 1);
    for (let i = 0; i < 4; i++) await post(a, `post ${i}`);
    const d = await device(network, 'd', 4);
    network.connect('a', 'd');
    await settle(network, 0);
    expect(d.received).toEqual([PAGE]);
    expect(visible(d)).toEqual([]);
    await settle(network);
    expect(visible(d)).toEqual(visible(a));
  });

  it('sends no page to a peer only a few links behind', async () => {
    const network = new MemoryNetwork(42);
    const a = await device(network, 'a', 1);
    const c = await device(network, 'c', 3);
    network.connect('a', 'c');
    await settle(network);
    for (let i = 0; i < 4; i++) await post(a, `post ${i}`);
    await settle(network);
    network.disconnect('a', 'c');
    await post(a, 'one more');
    network.connect('a', 'c');
    await settle(network);
    expect(c.arrived).not.toContain(SYNC_MESSAGE_TYPES['catch-up']);
    expect(c.received).toEqual([]);
  });

  it('hands the app one page per link: a peer repeating pages is not heard again', async () => {
    const network = new MemoryNetwork(43);
    const d = await device(network, 'd', 4);
    network.connect('hostile', 'd');
    await settle(network);
    const link = network.transport('hostile').links()[0]!;
    link.send(encodeCatchUp(GROUP_ID, new Uint8Array([9])));
    link.send(encodeCatchUp(GROUP_ID, new Uint8Array([8])));
    await settle(network);
    expect(d.received).toEqual([new Uint8Array([9])]);
  });
});
