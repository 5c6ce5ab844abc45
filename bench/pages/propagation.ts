import * as Y from 'yjs';
import type { DeviceIdentity } from '../../crypto/index.js';
import { Board, authorIdOf } from '../../src/model/index.js';
import { CiphertextLog } from '../../src/sync/ciphertextLog.js';
import { benchKeyring, identityFromSeed } from '../shared/fixtures.js';
import { delay, hearthLink, now, plainLink, type Link } from './common.js';

/**
 * Propagation: a post made on peer A until it shows in peer B's board view, over real WebRTC
 * between two Chromium processes. Their clocks are not comparable, so it is measured as a
 * round trip on A's clock: A posts "ping i"; B, once the ping is in its view, posts "pong i";
 * A stops the clock once the pong is in its view. Both legs do the same work, so one way =
 * round trip / 2.
 */

export type PropagationVariant = 'hearth' | 'plain';

interface Side {
  board: Board;
  link: Link;
  /** Resolves once a post with this body is in the board view. */
  inView(body: string): Promise<void>;
}

interface PropagationPeer {
  identity: DeviceIdentity;
  sides: Record<PropagationVariant, Side>;
}

let peer: PropagationPeer | undefined;

function side(board: Board, link: Link, identity: DeviceIdentity, respond: boolean): Side {
  const viewerId = authorIdOf(identity);
  const posts = board.doc.getMap('posts');
  const waiting = new Map<string, () => void>();
  posts.observe((event) => {
    for (const key of event.keysChanged) {
      const body = (posts.get(key) as { body?: unknown } | undefined)?.body;
      if (typeof body !== 'string') continue;
      const resolve = waiting.get(body);
      const isPing = respond && body.startsWith('ping ');
      if (!resolve && !isPing) continue;
      // After the transaction, as a UI render would be: compute the view and find the post in it.
      queueMicrotask(() => {
        const post = board.view(viewerId).posts.find((candidate) => candidate.record.id === key);
        if (!post?.verified) return;
        if (resolve) {
          waiting.delete(body);
          resolve();
        }
        if (isPing) board.addPost(identity, { kind: 'encouragement', body: `pong ${body.slice(5)}` });
      });
    }
  });
  return {
    board,
    link,
    inView: (body) => new Promise((resolve) => waiting.set(body, resolve)),
  };
}

/** Joins both rooms: Hearth's group (GroupSession) and a plain y-webrtc room on an unencrypted doc. */
export async function propagationStart(options: { role: 'pinger' | 'responder'; signaling: string; plainRoom: string }): Promise<void> {
  const identity = identityFromSeed(options.role === 'pinger' ? 1 : 2);
  const respond = options.role === 'responder';
  const hearthBoard = new Y.Doc();
  const log = new CiphertextLog({ board: hearthBoard, log: new Y.Doc(), keyring: benchKeyring(), identity });
  const plainDoc = new Y.Doc();
  peer = {
    identity,
    sides: {
      hearth: side(new Board(hearthBoard), hearthLink(log, identity, options.signaling), identity, respond),
      plain: side(new Board(plainDoc), plainLink(options.plainRoom, plainDoc, options.signaling, false), identity, respond),
    },
  };
}

/** Resolves once both rooms have a connected peer. */
export async function propagationConnected(): Promise<void> {
  if (!peer) throw new Error('propagationStart first');
  await Promise.all([peer.sides.hearth.link.connected, peer.sides.plain.link.connected]);
}

/**
 * `rounds` ping-pongs on each variant, interleaved (the order alternates per round), after
 * `warmup` unmeasured ones. Returns one-way times in ms (round trip / 2).
 */
export async function propagationRun(options: { rounds: number; warmup: number; gapMs: number; timeoutMs: number }): Promise<Record<PropagationVariant, number[]>> {
  if (!peer) throw new Error('propagationStart first');
  const { identity, sides } = peer;
  const result: Record<PropagationVariant, number[]> = { hearth: [], plain: [] };
  const round = async (variant: PropagationVariant, tag: string): Promise<number> => {
    const target = sides[variant];
    const pong = target.inView(`pong ${tag}`);
    const start = now();
    target.board.addPost(identity, { kind: 'story', body: `ping ${tag}` });
    const timedOut = delay(options.timeoutMs).then(() => 'timeout' as const);
    if ((await Promise.race([pong, timedOut])) === 'timeout') throw new Error(`${variant} ping ${tag}: no pong within ${options.timeoutMs} ms`);
    return (now() - start) / 2;
  };
  for (let i = 0; i < options.warmup + options.rounds; i++) {
    const order: PropagationVariant[] = i % 2 === 0 ? ['hearth', 'plain'] : ['plain', 'hearth'];
    for (const variant of order) {
      const oneWay = await round(variant, `${i}`);
      if (i >= options.warmup) result[variant].push(oneWay);
      await delay(options.gapMs);
    }
  }
  return result;
}
