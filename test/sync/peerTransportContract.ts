import { describe, expect, it } from 'vitest';
import type { PeerLink, PeerTransport } from '../../src/sync/peerTransport.js';

/** Two transports that can reach each other; `settle` lets in-flight work happen. */
export interface TransportPair {
  a: PeerTransport;
  b: PeerTransport;
  /** Makes the two meet (a no-op where meeting is automatic). */
  connect(): void;
  settle(): Promise<void>;
  cleanup(): void;
}

async function until(pair: TransportPair, condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (condition()) return;
    await pair.settle();
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The behaviour every PeerTransport promises the envelope sync (automerge-repo's adapter-test pattern). */
export function peerTransportContract(name: string, makePair: () => TransportPair): void {
  describe(`PeerTransport contract: ${name}`, () => {
    async function linked(): Promise<{ pair: TransportPair; la: PeerLink; lb: PeerLink }> {
      const pair = makePair();
      const seen: { a?: PeerLink; b?: PeerLink } = {};
      pair.a.on('link', (link) => (seen.a = link));
      pair.b.on('link', (link) => (seen.b = link));
      pair.connect();
      await until(pair, () => seen.a !== undefined && seen.b !== undefined, 'a link on each side');
      return { pair, la: seen.a!, lb: seen.b! };
    }

    it('announces one open link on each side, listed by links()', async () => {
      const { pair, la, lb } = await linked();
      expect(la.open && lb.open).toBe(true);
      expect(pair.a.links()).toEqual([la]);
      expect(pair.b.links()).toEqual([lb]);
      pair.cleanup();
    });

    it('delivers whole messages in order, both ways, as sent', async () => {
      const { pair, la, lb } = await linked();
      const atB: Uint8Array[] = [];
      const atA: Uint8Array[] = [];
      lb.on('message', (message) => atB.push(message));
      la.on('message', (message) => atA.push(message));
      const sent = [new Uint8Array([1, 2, 3]), new Uint8Array(20_000).fill(7), new Uint8Array([9])];
      for (const message of sent) la.send(message);
      lb.send(new Uint8Array([4]));
      await until(pair, () => atB.length === 3 && atA.length === 1, 'all messages');
      expect(atB).toEqual(sent);
      expect(atA).toEqual([new Uint8Array([4])]);
      pair.cleanup();
    });

    it('delivers what either side sends the moment its link appears', async () => {
      const pair = makePair();
      const got = { a: [] as Uint8Array[], b: [] as Uint8Array[] };
      pair.a.on('link', (link) => {
        link.on('message', (message) => got.a.push(message));
        link.send(new Uint8Array([1]));
      });
      pair.b.on('link', (link) => {
        link.on('message', (message) => got.b.push(message));
        link.send(new Uint8Array([2]));
      });
      pair.connect();
      await until(pair, () => got.a.length === 1 && got.b.length === 1, 'the first messages');
      expect(got).toEqual({ a: [new Uint8Array([2])], b: [new Uint8Array([1])] });
      pair.cleanup();
    });

    it('closes both ends when one closes, once each, and forgets the link', async () => {
      const { pair, la, lb } = await linked();
      let closes = 0;
      la.on('close', () => (closes += 1));
      lb.on('close', () => (closes += 1));
      const late: Uint8Array[] = [];
      lb.on('message', (message) => late.push(message));
      la.close();
      la.close();
      la.send(new Uint8Array([1]));
      await until(pair, () => !lb.open, 'the far end to close');
      await pair.settle();
      expect(closes).toBe(2);
      expect(late).toEqual([]);
      expect(pair.a.links()).toEqual([]);
      expect(pair.b.links()).toEqual([]);
      pair.cleanup();
    });
  });
}
