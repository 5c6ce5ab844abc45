import * as Y from 'yjs';
import type { BoardView } from '../../src/model/index.js';
import { BenchDisk } from '../shared/benchDisk.js';
import { BENCH_GROUP, benchKeyring, hearthView, identityFromSeed, plainView } from '../shared/fixtures.js';
import { delay, freshStore, hearthPeer, hearthPost, now, plainLink, plainPost, type HearthPeer, type PlainLink } from './common.js';
import { authorIdOf, type NewPost } from '../../src/model/index.js';

/**
 * Propagation: a post made on peer A until it shows in peer B's board view, over real WebRTC
 * between two Chromium processes. Their clocks are not comparable, so it is measured as a
 * round trip on A's clock: A posts "ping i"; B, once the ping is in its view, posts "pong i";
 * A stops the clock once the pong is in its view. Both legs do the same work, so one way =
 * round trip / 2. Hearth writes as the app does (sealed, committed to IndexedDB, then sent);
 * the plain side sets the same signed record into a y-webrtc doc. A second Hearth group whose
 * log keeps its chain in memory only (no disk) tells the cost of the commit before sending.
 */

export type PropagationVariant = 'hearth' | 'hearth-memory' | 'plain';
export const PROPAGATION_VARIANTS: PropagationVariant[] = ['hearth', 'hearth-memory', 'plain'];

/** The Hearth groups of this figure: their own keys and rooms. */
const KEYRING_VARIANT = { hearth: 5, 'hearth-memory': 6 } as const;

interface Side {
  post(body: string): Promise<void>;
  /** Resolves once a post with this body is in the board view. */
  inView(body: string): Promise<void>;
  connected(): Promise<void>;
}

let sides: Record<PropagationVariant, Side> | undefined;

/** After every change, as a UI render would be: compute the view, look for awaited bodies and pings. */
function watch(view: () => BoardView, respond: boolean, post: (body: string) => Promise<void>): { inView(body: string): Promise<void>; check(): void } {
  const waiting = new Map<string, () => void>();
  const answered = new Set<string>();
  return {
    inView: (body) => new Promise((resolve) => waiting.set(body, resolve)),
    check: () => {
      if (waiting.size === 0 && !respond) return;
      for (const { record } of view().posts) {
        const resolve = waiting.get(record.body);
        if (resolve) {
          waiting.delete(record.body);
          resolve();
        }
        if (respond && record.body.startsWith('ping ') && !answered.has(record.body)) {
          answered.add(record.body);
          void post(`pong ${record.body.slice(5)}`);
        }
      }
    },
  };
}

function hearthSide(peer: HearthPeer, respond: boolean): Side {
  const post = (body: string) => hearthPost(peer, { kind: 'story', body });
  const watcher = watch(() => hearthView(peer.log, peer.viewerId), respond, post);
  peer.log.on('changed', watcher.check);
  return { post, inView: watcher.inView, connected: () => peer.linked(1) };
}

function plainSide(link: PlainLink, doc: Y.Doc, identity: ReturnType<typeof identityFromSeed>, otherId: string, respond: boolean): Side {
  const viewerId = authorIdOf(identity);
  const post = async (body: string): Promise<void> => plainPost(doc, identity, { kind: 'story', body } satisfies NewPost);
  // Both authors' records live in the one shared document.
  const watcher = watch(() => plainView(doc, otherId, viewerId), respond, post);
  doc.on('afterTransaction', watcher.check);
  return { post, inView: watcher.inView, connected: () => link.connected(1) };
}

/** Joins the three rooms: Hearth's groups (GroupSession; IndexedDB store, or memory) and a plain y-webrtc room. */
export async function propagationStart(options: { role: 'pinger' | 'responder'; signaling: string; plainRoom: string }): Promise<void> {
  const mine = options.role === 'pinger' ? 1 : 2;
  const identity = identityFromSeed(mine);
  const otherId = authorIdOf(identityFromSeed(3 - mine));
  const respond = options.role === 'responder';
  const store = await freshStore(`bench-propagation-${crypto.randomUUID()}`);
  const peer = await hearthPeer({ keyring: benchKeyring(KEYRING_VARIANT.hearth), identity, store: store.envelopes(BENCH_GROUP), signaling: options.signaling });
  const memoryPeer = await hearthPeer({ keyring: benchKeyring(KEYRING_VARIANT['hearth-memory']), identity, store: new BenchDisk(), signaling: options.signaling });
  const doc = new Y.Doc();
  sides = {
    hearth: hearthSide(peer, respond),
    'hearth-memory': hearthSide(memoryPeer, respond),
    plain: plainSide(plainLink(options.plainRoom, doc, options.signaling, false), doc, identity, otherId, respond),
  };
}

/** Resolves once every room has a connected peer. */
export async function propagationConnected(): Promise<void> {
  if (!sides) throw new Error('propagationStart first');
  await Promise.all(PROPAGATION_VARIANTS.map((variant) => sides![variant].connected()));
}

/**
 * `rounds` ping-pongs on each variant, interleaved (the order rotates each round), after
 * `warmup` unmeasured ones. Returns one-way times in ms (round trip / 2).
 */
export async function propagationRun(options: { rounds: number; warmup: number; gapMs: number; timeoutMs: number }): Promise<Record<PropagationVariant, number[]>> {
  if (!sides) throw new Error('propagationStart first');
  const result: Record<PropagationVariant, number[]> = { hearth: [], 'hearth-memory': [], plain: [] };
  const round = async (variant: PropagationVariant, tag: string): Promise<number> => {
    const side = sides![variant];
    const pong = side.inView(`pong ${tag}`);
    const start = now();
    await side.post(`ping ${tag}`);
    const timedOut = delay(options.timeoutMs).then(() => 'timeout' as const);
    if ((await Promise.race([pong, timedOut])) === 'timeout') throw new Error(`${variant} ping ${tag}: no pong within ${options.timeoutMs} ms`);
    return (now() - start) / 2;
  };
  for (let i = 0; i < options.warmup + options.rounds; i++) {
    const order = PROPAGATION_VARIANTS.map((_, k) => PROPAGATION_VARIANTS[(k + i) % PROPAGATION_VARIANTS.length]!);
    for (const variant of order) {
      const oneWay = await round(variant, `${i}`);
      if (i >= options.warmup) result[variant].push(oneWay);
      await delay(options.gapMs);
    }
  }
  return result;
}
