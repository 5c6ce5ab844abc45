import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ready, type DeviceIdentity } from '../../crypto/index.js';
import { EnvelopeSync, type EnvelopeSyncLimits, type EnvelopeSyncStatus } from '../../src/sync/envelopeSync.js';
import type { PeerLink } from '../../src/sync/peerTransport.js';
import { decodeSyncMessage, encodeEnvelopes, encodeHeads } from '../../src/sync/syncMessages.js';
import { GROUP_ID, identityFromSeed, keyring } from '../fixtures/group.js';
import { FakeLog } from './fakeLog.js';
import { MemoryNetwork } from './memoryTransport.js';

let alice: DeviceIdentity;
let bob: DeviceIdentity;
let carol: DeviceIdentity;
const ring = keyring();

beforeAll(async () => {
  await ready();
  [alice, bob, carol] = [identityFromSeed(1), identityFromSeed(2), identityFromSeed(3)];
});

afterEach(() => {
  vi.useRealTimers();
});

interface Device {
  log: FakeLog;
  sync: EnvelopeSync;
}

function devices(network: MemoryNetwork, names: string[], limits: Partial<EnvelopeSyncLimits> = {}): Record<string, Device> {
  return Object.fromEntries(
    names.map((name) => {
      const log = new FakeLog(GROUP_ID);
      return [name, { log, sync: new EnvelopeSync({ log, transport: network.transport(name), limits }) }];
    }),
  );
}

/** What a peer we drive by hand receives, decoded. */
function recorder(network: MemoryNetwork, name: string): { link: () => PeerLink; received: ReturnType<typeof decodeSyncMessage>[] } {
  const received: ReturnType<typeof decodeSyncMessage>[] = [];
  let current: PeerLink | undefined;
  network.transport(name).on('link', (link) => {
    current = link;
    link.on('message', (message) => received.push(decodeSyncMessage(message)));
  });
  return { link: () => current!, received };
}

const sortedHeads = (log: FakeLog) => log.heads().sort((x, y) => Buffer.compare(x.authorKey, y.authorKey));

const sentTypes = (received: ReturnType<typeof decodeSyncMessage>[]) => received.map((r) => (r.ok ? r.message.type : r.error));

describe('EnvelopeSync', () => {
  it('exchanges heads on connect and sends each side what it lacks', () => {
    const network = new MemoryNetwork(1);
    const { a, b } = devices(network, ['a', 'b']);
    for (let i = 0; i < 3; i += 1) a!.log.write(alice, ring, `a${i}`);
    for (let i = 0; i < 2; i += 1) b!.log.write(bob, ring, `b${i}`);
    network.connect('a', 'b');
    network.deliverAll();
    for (const device of [a!, b!]) {
      expect(device.log.seqs(alice)).toBe(3);
      expect(device.log.seqs(bob)).toBe(2);
      expect(device.sync.status).toEqual({ links: 1, synced: 1 });
    }
  });

  it('sends a new envelope to every connected peer, relays it once to a peer that lacks it, and never echoes it', () => {
    const network = new MemoryNetwork(2);
    const { a, b, c } = devices(network, ['a', 'b', 'c']);
    network.connect('a', 'c');
    network.connect('c', 'b');
    network.deliverAll();
    const before = a!.log.receiveCalls;
    a!.log.write(alice, ring, 'hello from a');
    network.deliverAll();
    expect(b!.log.seqs(alice)).toBe(1);
    expect(c!.log.seqs(alice)).toBe(1);
    expect(a!.log.receiveCalls).toBe(before); // nothing came back to the author
    expect(c!.sync.counters().envelopesSent).toBe(1); // relayed once, to b only
    expect(b!.sync.counters().envelopesSent).toBe(0);
  });

  it('fetches a gap: after envelopes the log cannot place yet, it sends HEADS to that link again', () => {
    const network = new MemoryNetwork(3);
    const { a } = devices(network, ['a']);
    const peer = recorder(network, 'peer');
    const source = new FakeLog(GROUP_ID);
    const [first, second] = [source.write(bob, ring, '1'), source.write(bob, ring, '2')];
    network.connect('a', 'peer');
    network.deliverAll();
    peer.link().send(encodeHeads(GROUP_ID, source.heads()));
    network.deliverAll();
    peer.received.length = 0;
    peer.link().send(encodeEnvelopes(GROUP_ID, [second!]));
    network.deliverAll();
    expect(a!.log.seqs(bob)).toBe(0);
    expect(sentTypes(peer.received)).toEqual(['heads']);
    peer.link().send(encodeEnvelopes(GROUP_ID, [first!]));
    network.deliverAll();
    expect(a!.log.seqs(bob)).toBe(2);
  });

  it('asks a link again at most once per interval, however many gapped messages it sends', () => {
    vi.useFakeTimers();
    const network = new MemoryNetwork(4);
    const { a } = devices(network, ['a'], { headsIntervalMs: 1000 });
    const peer = recorder(network, 'peer');
    const source = new FakeLog(GROUP_ID);
    const envelopes = Array.from({ length: 12 }, (_, i) => source.write(bob, ring, `${i}`));
    network.connect('a', 'peer');
    network.deliverAll();
    peer.received.length = 0;
    for (const envelope of envelopes.slice(2)) peer.link().send(encodeEnvelopes(GROUP_ID, [envelope]));
    network.deliverAll();
    expect(sentTypes(peer.received)).toEqual(['heads']);
    vi.advanceTimersByTime(1000);
    network.deliverAll();
    expect(sentTypes(peer.received)).toEqual(['heads', 'heads']);
    expect(a!.log.seqs(bob)).toBe(0);
  });

  it('sends its own envelope where a peer\'s head is another branch at the same seq, and both keep one branch', () => {
    const network = new MemoryNetwork(5);
    const { a, b } = devices(network, ['a', 'b']);
    // Carol signs two different envelopes at seq 1; a holds one, b the other.
    const forkA = new FakeLog(GROUP_ID);
    const forkB = new FakeLog(GROUP_ID);
    a!.log.receive([forkA.write(carol, ring, 'one story')]);
    b!.log.receive([forkB.write(carol, ring, 'another story')]);
    network.connect('a', 'b');
    network.deliverAll();
    expect(a!.log.forks + b!.log.forks).toBeGreaterThan(0);
    expect(sortedHeads(a!.log)).toEqual(sortedHeads(b!.log));
  });

  it('closes a link that sends a message over the cap, and counts it', () => {
    const network = new MemoryNetwork(6);
    const { a } = devices(network, ['a'], { maxMessageBytes: 1000 });
    const peer = recorder(network, 'peer');
    network.connect('a', 'peer');
    network.deliverAll();
    peer.link().send(new Uint8Array(1001));
    network.deliverAll();
    expect(network.connected('a', 'peer')).toBe(false);
    expect(a!.sync.counters().dropped).toEqual({ 'message-too-large': 1 });
    expect(a!.sync.status.links).toBe(0);
  });

  it('drops malformed, wrong-group and y-webrtc bytes with a code, keeps the link, and still syncs', () => {
    const network = new MemoryNetwork(7);
    const { a } = devices(network, ['a']);
    const peer = recorder(network, 'peer');
    const dropped: string[] = [];
    a!.sync.on('dropped', (code) => dropped.push(code));
    network.connect('a', 'peer');
    network.deliverAll();
    const other = new Uint8Array(16).fill(9);
    const source = new FakeLog(GROUP_ID);
    const envelope = source.write(bob, ring, 'real');
    for (const bytes of [
      new Uint8Array([0, 0, 1, 0]), // a y-webrtc sync message
      new Uint8Array([1]),
      new Uint8Array([1, 9, ...new Array(20).fill(0)]),
      encodeEnvelopes(other, [envelope]),
      encodeHeads(other, []),
      encodeEnvelopes(GROUP_ID, [envelope]),
    ]) {
      peer.link().send(bytes);
    }
    network.deliverAll();
    expect(dropped).toEqual(['unsupported-version', 'truncated', 'unknown-type', 'wrong-group', 'wrong-group']);
    expect(network.connected('a', 'peer')).toBe(true);
    expect(a!.log.seqs(bob)).toBe(1);
  });

  it('slows a link past its rate cap and processes every envelope later, dropping none', () => {
    vi.useFakeTimers();
    const network = new MemoryNetwork(8);
    const { a } = devices(network, ['a'], { bytesPerSecond: 2000, burstBytes: 2000 });
    const peer = recorder(network, 'peer');
    network.connect('a', 'peer');
    network.deliverAll();
    const source = new FakeLog(GROUP_ID);
    const envelopes = Array.from({ length: 20 }, (_, i) => source.write(bob, ring, `post ${i}`));
    for (const envelope of envelopes) peer.link().send(encodeEnvelopes(GROUP_ID, [envelope]));
    network.deliverAll();
    const early = a!.log.seqs(bob);
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(20);
    vi.advanceTimersByTime(10_000);
    expect(a!.log.seqs(bob)).toBe(20);
    expect(a!.sync.counters().dropped).toEqual({});
    expect(network.connected('a', 'peer')).toBe(true);
  });

  it('closes a link whose queue overflows while it is slowed; it resyncs on reconnect', () => {
    vi.useFakeTimers();
    const network = new MemoryNetwork(9);
    const { a } = devices(network, ['a'], { bytesPerSecond: 100, burstBytes: 100, maxQueuedBytes: 2000 });
    const peer = recorder(network, 'peer');
    network.connect('a', 'peer');
    network.deliverAll();
    const source = new FakeLog(GROUP_ID);
    for (let i = 0; i < 20; i += 1) peer.link().send(encodeEnvelopes(GROUP_ID, [source.write(bob, ring, `${i}`)]));
    network.deliverAll();
    expect(network.connected('a', 'peer')).toBe(false);
    expect(a!.sync.counters().dropped).toEqual({ 'queue-full': 1 });
  });

  it('charges a link for what it makes us send, so repeated HEADS cannot buy unlimited replies', () => {
    vi.useFakeTimers();
    const network = new MemoryNetwork(10);
    const { a } = devices(network, ['a'], { bytesPerSecond: 1000, burstBytes: 5000 });
    for (let i = 0; i < 10; i += 1) a!.log.write(alice, ring, `${i}`.repeat(100));
    const peer = recorder(network, 'peer');
    network.connect('a', 'peer');
    network.deliverAll();
    peer.received.length = 0;
    for (let i = 0; i < 10; i += 1) peer.link().send(encodeHeads(GROUP_ID, []));
    network.deliverAll();
    const answered = peer.received.length;
    expect(answered).toBeLessThan(10);
    vi.advanceTimersByTime(60_000);
    network.deliverAll();
    expect(peer.received.length).toBe(10);
  });

  it('is not fooled by HEADS claiming far-ahead chains: the claimant gets nothing new, other peers still get everything', () => {
    const network = new MemoryNetwork(12);
    const { a, b } = devices(network, ['a', 'b']);
    const liar = recorder(network, 'liar');
    a!.log.write(alice, ring, 'real');
    network.connect('a', 'liar');
    network.connect('a', 'b');
    network.deliverAll();
    liar.received.length = 0;
    liar.link().send(encodeHeads(GROUP_ID, [{ authorKey: alice.signPublicKey, seq: Number.MAX_SAFE_INTEGER, hash: new Uint8Array(32) }]));
    network.deliverAll();
    a!.log.write(alice, ring, 'next');
    network.deliverAll();
    expect(sentTypes(liar.received)).toEqual([]);
    expect(b!.log.seqs(alice)).toBe(2);
    expect(a!.sync.status).toEqual({ links: 2, synced: 1 }); // a does not hold what the liar claims
  });

  it('hands junk in ENVELOPES to the log, which refuses it, and relays none of it', () => {
    const network = new MemoryNetwork(13);
    const { a, b } = devices(network, ['a', 'b']);
    const peer = recorder(network, 'peer');
    network.connect('a', 'b');
    network.connect('a', 'peer');
    network.deliverAll();
    const junk = new Uint8Array(300).fill(9);
    const source = new FakeLog(GROUP_ID);
    const forged = source.write(bob, ring, 'forged').slice();
    forged[150]! ^= 1;
    peer.link().send(encodeEnvelopes(GROUP_ID, [junk, forged]));
    network.deliverAll();
    expect(a!.log.rejected).toEqual(['bad-version', 'bad-signature']);
    expect(b!.log.receiveCalls).toBe(0);
    expect(network.connected('a', 'peer')).toBe(true);
  });

  it('reports links and synced links as they change', () => {
    const network = new MemoryNetwork(11);
    const { a, b } = devices(network, ['a', 'b']);
    b!.log.write(bob, ring, 'x');
    const statuses: EnvelopeSyncStatus[] = [];
    a!.sync.on('status', (status) => statuses.push(status));
    network.connect('a', 'b');
    expect(a!.sync.status).toEqual({ links: 1, synced: 0 });
    network.deliverAll();
    expect(a!.sync.status).toEqual({ links: 1, synced: 1 });
    network.disconnect('a', 'b');
    expect(statuses.at(-1)).toEqual({ links: 0, synced: 0 });
  });

  for (const seed of [21, 22, 23]) {
    it(`converges under duplicated, reordered and delayed delivery with reconnects (seed ${seed})`, () => {
      const network = new MemoryNetwork(seed, { duplicate: 0.1, reorder: 0.3, delay: 0.2, drop: 0.05 });
      const names = ['a', 'b', 'c'];
      const all = devices(network, names);
      const writers = [alice, bob, carol];
      for (let round = 0; round < 10; round += 1) {
        network.connect('a', 'b');
        network.connect('b', 'c');
        for (let i = 0; i < 5; i += 1) {
          const index = (round + i) % 3;
          all[names[index]!]!.log.write(writers[index]!, ring, `${round}.${i}`);
          network.step();
        }
        network.deliverAll();
        network.disconnect('a', 'b');
        network.disconnect('b', 'c');
      }
      network.faults = {};
      network.connect('a', 'b');
      network.connect('b', 'c');
      network.deliverAll();
      for (const name of names) for (const writer of writers) expect(all[name]!.log.seqs(writer)).toBeGreaterThan(0);
      expect(sortedHeads(all.a!.log)).toEqual(sortedHeads(all.b!.log));
      expect(sortedHeads(all.b!.log)).toEqual(sortedHeads(all.c!.log));
      const total = writers.reduce((sum, writer) => sum + all.a!.log.seqs(writer), 0);
      expect(total).toBe(50);
    });
  }
});

describe('EnvelopeSync with a relay delay', () => {
  const settle = async (network: MemoryNetwork, ms: number) => {
    network.deliverAll();
    await new Promise((resolve) => setTimeout(resolve, ms));
    network.deliverAll();
  };

  it('relays nothing in a full mesh: each member says HAVE instead of sending the envelope on', async () => {
    const network = new MemoryNetwork(41);
    const names = ['a', 'b', 'c', 'd'];
    const mesh = devices(network, names, { relayDelayMs: 20 });
    for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) network.connect(names[i]!, names[j]!);
    network.deliverAll();
    mesh.a!.log.write(alice, ring, 'to everyone');
    await settle(network, 60);
    for (const name of ['b', 'c', 'd']) {
      expect(mesh[name]!.log.seqs(alice)).toBe(1);
      expect(mesh[name]!.sync.counters().envelopesSent).toBe(0);
    }
    expect(mesh.a!.sync.counters().envelopesSent).toBe(3);
  });

  it('still relays after the delay to a member who only reaches the author through it', async () => {
    const network = new MemoryNetwork(42);
    const { a, b, c } = devices(network, ['a', 'b', 'c'], { relayDelayMs: 20 });
    network.connect('a', 'c');
    network.connect('c', 'b');
    network.deliverAll();
    a!.log.write(alice, ring, 'through c');
    network.deliverAll();
    expect(b!.log.seqs(alice)).toBe(0);
    await settle(network, 60);
    expect(b!.log.seqs(alice)).toBe(1);
    expect(c!.sync.counters().envelopesSent).toBe(1);
  });

  it('takes a HAVE as a claim only: it answers nothing and sends nothing it would not anyway', () => {
    const network = new MemoryNetwork(43);
    const { a } = devices(network, ['a'], { relayDelayMs: 20 });
    const peer = recorder(network, 'peer');
    network.connect('a', 'peer');
    network.deliverAll();
    peer.link().send(encodeHeads(GROUP_ID, [{ authorKey: carol.signPublicKey, seq: 99, hash: new Uint8Array(32) }], 'have'));
    network.deliverAll();
    expect(sentTypes(peer.received)).toEqual(['heads']);
    expect(a!.sync.counters().dropped).toEqual({});
  });
});
