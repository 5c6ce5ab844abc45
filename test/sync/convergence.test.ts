import * as Y from 'yjs';
import { ready } from '../../crypto/index.js';
import { Board, REACTIONS, type PostKind } from '../../src/model/index.js';
import { assert, assertEqual } from '../assert.js';
import { member, type Member } from '../fixtures/group.js';

/** mulberry32: a small seeded PRNG, so a failing order can be replayed from its seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Message {
  to: number;
  update: Uint8Array;
}

/**
 * Carries each log update between in-memory peers through a queue the seeded random
 * source delivers out of order, duplicates and delays.
 */
class UnreliableNetwork {
  private queue: Message[] = [];

  constructor(
    readonly peers: Member[],
    private readonly random: () => number,
  ) {
    peers.forEach((peer, from) => {
      peer.log.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === this) return;
        peers.forEach((_, to) => to !== from && this.queue.push({ to, update }));
      });
    });
  }

  /** Delivers a random share of the queue: some twice, most in shuffled order, the rest later. */
  step(): void {
    const ready: Message[] = [];
    const delayed: Message[] = [];
    for (const message of this.queue) (this.random() < 0.3 ? delayed : ready).push(message);
    this.queue = delayed;
    for (let i = ready.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [ready[i], ready[j]] = [ready[j]!, ready[i]!];
    }
    for (const message of ready) {
      this.deliver(message);
      if (this.random() < 0.1) this.deliver(message);
    }
  }

  flush(): void {
    while (this.queue.length > 0) this.step();
  }

  private deliver({ to, update }: Message): void {
    Y.applyUpdate(this.peers[to]!.log, update, this);
  }
}

const KINDS: PostKind[] = ['story', 'encouragement', 'victory'];

function runScenario(seed: number, compaction: boolean): { peers: Member[]; posts: number } {
  const random = seeded(seed);
  const peers = [member(1), member(2), member(3)];
  const network = new UnreliableNetwork(peers, random);
  const boards = peers.map((p) => new Board(p.board));
  let posts = 0;
  for (let op = 0; op < 500; op++) {
    const who = Math.floor(random() * peers.length);
    const peer = peers[who]!;
    const board = boards[who]!;
    const known = board.view().posts;
    const roll = random();
    if (roll < 0.5 || known.length === 0) {
      const kind = KINDS[Math.floor(random() * KINDS.length)]!;
      board.addPost(peer.identity, {
        kind,
        body: `post ${op} by ${who}`,
        ...(kind === 'victory' ? { milestone: { value: op, unit: 'days' as const } } : {}),
      });
      posts++;
    } else {
      const target = known[Math.floor(random() * known.length)]!.record.id;
      if (roll < 0.75) board.addReply(peer.identity, target, `reply ${op} by ${who}`);
      else board.toggleReaction(peer.identity, target, REACTIONS[Math.floor(random() * REACTIONS.length)]!);
    }
    // Compaction races: any peer may compact while others' updates are still in flight.
    if (compaction && random() < 0.04) peers[Math.floor(random() * peers.length)]!.sync.compact();
    if (random() < 0.5) network.step();
  }
  network.flush();
  return { peers, posts };
}

describe('convergence of three peers over an unreliable network', () => {
  before(async () => {
    await ready();
  });

  for (const compaction of [false, true]) {
    for (const seed of [1, 2]) {
      it(`converges after 500 random posts, replies and reactions (seed ${seed}${compaction ? ', compaction racing' : ''})`, () => {
        const { peers, posts } = runScenario(seed, compaction);
        const views = peers.map((p) => JSON.stringify(new Board(p.board).view()));
        assertEqual(views[1], views[0], 'peer 1 differs from peer 0:');
        assertEqual(views[2], views[0], 'peer 2 differs from peer 0:');
        const view = new Board(peers[0]!.board).view();
        assertEqual(view.posts.length, posts, 'posts lost:');
        assert(view.posts.every((p) => p.verified && p.replies.every((r) => r.verified)));
        for (const peer of peers) assertEqual(peer.sync.getStats().rejected, 0, 'rejected entries:');
        if (compaction) {
          const lengths = peers.map((p) => p.sync.length);
          assert(lengths.every((n) => n === lengths[0]), `log lengths differ: ${lengths.join(',')}`);
        }
      });
    }
  }
});
