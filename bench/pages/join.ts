import * as Y from 'yjs';
import { benchKeyring, decodeBase64Url, identityFromSeed, openWriter, unpackLinks, BENCH_GROUP, WRITER_SEED } from '../shared/fixtures.js';
import { authorIdOf } from '../../src/model/index.js';
import { closeStore, delay, freshStore, hearthPeer, hearthSession, hearthViewHolds, now, plainLink, plainViewHolds, type HearthPeer, type PlainLink } from './common.js';

/**
 * Join: a new member receives an N-post board from one peer, from starting its sync to the full
 * board view. The host serves four rooms at once, so every variant meets the same host: Hearth
 * with the chain as GroupLog.write left it (its checkpoints), Hearth with a chain written without
 * checkpoints (one envelope per post), and the plain board over chunked and over stock y-webrtc.
 */

export type JoinVariant = 'hearth-checkpointed' | 'hearth-written' | 'plain-chunked' | 'plain-stock';

/** Each Hearth variant is its own group (its own chain, keys and room). */
export const KEYRING_VARIANT = { 'hearth-checkpointed': 1, 'hearth-written': 2 } as const;

export interface JoinHostInput {
  signaling: string;
  rooms: { chunked: string; stock: string };
  /** packLinks() of the writer's stored chains. */
  chains: { checkpointed: string; written: string };
  /** base64url Y.encodeStateAsUpdate of the writer's own document: the plain board. */
  plainUpdate: string;
}

const hostLinks: { destroy(): void }[] = [];

/** Opens the writer's device on both chains and the plain board in both plain rooms. */
export async function joinHostStart(input: JoinHostInput): Promise<{ posts: number }> {
  for (const variant of ['hearth-checkpointed', 'hearth-written'] as const) {
    const keyring = benchKeyring(KEYRING_VARIANT[variant]);
    const { log, identity } = await openWriter(unpackLinks(variant === 'hearth-checkpointed' ? input.chains.checkpointed : input.chains.written), keyring);
    const session = hearthSession(log, keyring, identity, input.signaling);
    hostLinks.push({ destroy: () => (session.destroy(), log.destroy()) });
  }
  const update = decodeBase64Url(input.plainUpdate);
  let posts = 0;
  for (const [room, chunked] of [[input.rooms.chunked, true], [input.rooms.stock, false]] as const) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    posts = doc.getMap('posts').size;
    hostLinks.push(plainLink(room, doc, input.signaling, chunked));
  }
  return { posts };
}

export interface JoinResult {
  variant: JoinVariant;
  complete: boolean;
  /** Posts in the joiner's board when it finished or gave up. */
  received: number;
  /** From starting the sync: first peer linked (Hearth's envelope sync; polled for plain), all N posts in the board view. */
  connectedMs: number | null;
  viewMs: number | null;
}

/**
 * Runs once per fresh page: a new member's first sync is what is measured. The Hearth joiner
 * keeps what it receives in a fresh IndexedDB store (opened before the clock starts, as the app
 * has it open), as the app does; libsodium is loaded before the clock starts too.
 */
export async function joinRun(options: { variant: JoinVariant; signaling: string; posts: number; rooms: { chunked: string; stock: string }; timeoutMs: number }): Promise<JoinResult> {
  const { variant, posts } = options;
  const identity = identityFromSeed(3);
  const writerId = authorIdOf(identityFromSeed(WRITER_SEED));
  const isHearth = variant === 'hearth-checkpointed' || variant === 'hearth-written';
  const storeName = `bench-join-${crypto.randomUUID()}`;
  const store = isHearth ? await freshStore(storeName) : undefined;

  const start = now();
  let link: HearthPeer | PlainLink;
  let done: Promise<number>;
  let connected: Promise<void>;
  let received: () => number;
  if (store) {
    const peer = await hearthPeer({ keyring: benchKeyring(KEYRING_VARIANT[variant as keyof typeof KEYRING_VARIANT]), identity, store: store.envelopes(BENCH_GROUP), signaling: options.signaling });
    link = peer;
    done = hearthViewHolds(peer, posts);
    connected = peer.linked(1);
    received = () => [...peer.log.authors()].reduce((sum, [, doc]) => sum + doc.getMap('posts').size, 0);
  } else {
    const doc = new Y.Doc();
    const plain = plainLink(variant === 'plain-chunked' ? options.rooms.chunked : options.rooms.stock, doc, options.signaling, variant === 'plain-chunked');
    link = plain;
    done = plainViewHolds(doc, writerId, authorIdOf(identity), posts);
    connected = plain.connected(1);
    received = () => doc.getMap('posts').size;
  }
  let connectedMs: number | null = null;
  void connected.then(() => (connectedMs = now() - start));
  const outcome = await Promise.race([done, delay(options.timeoutMs).then(() => 'timeout' as const)]);
  const result: JoinResult =
    outcome === 'timeout'
      ? { variant, complete: false, received: received(), connectedMs, viewMs: null }
      : { variant, complete: true, received: received(), connectedMs, viewMs: outcome - start };
  link.destroy();
  if (store) await closeStore(store, storeName, true);
  return result;
}
