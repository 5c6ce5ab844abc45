import * as prng from 'lib0/prng';
import { LinkRegistry, TransportLink } from '../../src/sync/peerTransport.js';

/**
 * Probabilities, each per delivery step, of what an unreliable network does to a message.
 * Real links are ordered and reliable; these faults stand for what reconnects, duplicate relays
 * and slow peers look like to the sync.
 */
export interface NetworkFaults {
  drop?: number;
  duplicate?: number;
  /** Deliver some other waiting message of the link before the oldest. */
  reorder?: number;
  /** Leave the chosen message waiting for a later step. */
  delay?: number;
}

interface Wire {
  from: string;
  to: string;
  /** The receiving end: messages put on this wire come out of it. */
  receiver: TransportLink;
  queue: Uint8Array[];
}

/**
 * An in-memory network of named devices for unit tests, driven step by step by a seeded PRNG,
 * so that a failing seed replays exactly (yjs's TestConnector pattern). Nothing is delivered
 * until `step` or `deliverAll` is called.
 */
export class MemoryNetwork {
  readonly random: prng.PRNG;
  private readonly transports = new Map<string, LinkRegistry>();
  private readonly wires = new Map<string, Wire>();
  private nextLinkId = 0;

  constructor(
    seed: number,
    public faults: NetworkFaults = {},
  ) {
    this.random = prng.create(seed);
  }

  /** The transport of device `name` (made on first use). */
  transport(name: string): LinkRegistry {
    let transport = this.transports.get(name);
    if (!transport) {
      transport = new LinkRegistry();
      this.transports.set(name, transport);
    }
    return transport;
  }

  /** Opens a link between two devices: each side's transport announces it. */
  connect(a: string, b: string): void {
    if (this.connected(a, b)) return;
    const id = this.nextLinkId++;
    const close = () => this.disconnect(a, b);
    // Each end stands for a WebRTC connection's certificate, as a room proof binds to (§13.1).
    const [aCert, bCert] = [this.fingerprint(), this.fingerprint()];
    const aEnd = new TransportLink(`${a}->${b}#${id}`, { send: (m) => this.put(a, b, m), close, binding: () => ({ role: 'offer', localFingerprint: aCert, remoteFingerprint: bCert }) });
    const bEnd = new TransportLink(`${b}->${a}#${id}`, { send: (m) => this.put(b, a, m), close, binding: () => ({ role: 'answer', localFingerprint: bCert, remoteFingerprint: aCert }) });
    this.wires.set(wireKey(a, b), { from: a, to: b, receiver: bEnd, queue: [] });
    this.wires.set(wireKey(b, a), { from: b, to: a, receiver: aEnd, queue: [] });
    this.transport(a).add(aEnd);
    this.transport(b).add(bEnd);
  }

  /** Closes the link between two devices, both ends; messages in flight are lost. */
  disconnect(a: string, b: string): void {
    const there = this.wires.get(wireKey(a, b));
    const back = this.wires.get(wireKey(b, a));
    this.wires.delete(wireKey(a, b));
    this.wires.delete(wireKey(b, a));
    there?.receiver.closed();
    back?.receiver.closed();
  }

  connected(a: string, b: string): boolean {
    return this.wires.has(wireKey(a, b));
  }

  /** Messages in flight. */
  pending(): number {
    let count = 0;
    for (const wire of this.wires.values()) count += wire.queue.length;
    return count;
  }

  /** Delivers (or drops, duplicates, delays) one message; false when none is waiting. */
  step(): boolean {
    const busy = [...this.wires.values()].filter((wire) => wire.queue.length > 0);
    if (busy.length === 0) return false;
    const wire = busy[prng.uint32(this.random, 0, busy.length - 1)]!;
    if (this.chance(this.faults.delay)) return true;
    const index = this.chance(this.faults.reorder) ? prng.uint32(this.random, 0, wire.queue.length - 1) : 0;
    const message = wire.queue[index]!;
    if (!this.chance(this.faults.duplicate)) wire.queue.splice(index, 1);
    if (!this.chance(this.faults.drop)) wire.receiver.deliver(message);
    return true;
  }

  /** Steps until nothing is in flight; returns the number of steps. */
  deliverAll(maxSteps = 1_000_000): number {
    let steps = 0;
    while (steps < maxSteps && this.step()) steps += 1;
    if (steps === maxSteps) throw new Error(`network still busy after ${maxSteps} steps`);
    return steps;
  }

  private put(from: string, to: string, message: Uint8Array): void {
    // A copy, as a real network makes: the sender may reuse its buffer.
    this.wires.get(wireKey(from, to))?.queue.push(message.slice());
  }

  private fingerprint(): Uint8Array {
    return Uint8Array.from({ length: 32 }, () => prng.uint32(this.random, 0, 255));
  }

  private chance(probability = 0): boolean {
    return probability > 0 && prng.real53(this.random) < probability;
  }
}

function wireKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}
