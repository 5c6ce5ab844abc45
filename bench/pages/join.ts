import * as Y from 'yjs';
import { Board, authorIdOf } from '../../src/model/index.js';
import { CiphertextLog } from '../../src/sync/ciphertextLog.js';
import { benchKeyring, copyDoc, hearthBoardWithPosts, identityFromSeed } from '../shared/fixtures.js';
import { delay, hearthLink, now, plainLink, postCounter, renderFirstScreen, type Link } from './common.js';

/**
 * Join: a new member syncs an N-post board from one peer, from starting its sync to the full
 * board view. The host serves four rooms at once, so every variant meets the same host:
 * Hearth's log as written (one envelope per post), Hearth's log after compact() (one
 * snapshot), and the plain board over chunked and over stock y-webrtc.
 */

export type JoinVariant = 'hearth-written' | 'hearth-compacted' | 'plain-chunked' | 'plain-stock';

/** Each Hearth variant is its own group, hence its own room. */
const KEYRING_VARIANT = { 'hearth-written': 1, 'hearth-compacted': 2 } as const;

const hostLinks: Link[] = [];

export interface JoinHostInfo {
  posts: number;
  /** Bytes of what a joiner is sent (Y.encodeStateAsUpdate of each doc). */
  writtenLogBytes: number;
  compactedLogBytes: number;
  plainBytes: number;
}

export async function joinHostStart(options: { signaling: string; posts: number; rooms: { chunked: string; stock: string } }): Promise<JoinHostInfo> {
  const written = hearthBoardWithPosts(options.posts, 1, benchKeyring(KEYRING_VARIANT['hearth-written']));
  const compacted = hearthBoardWithPosts(options.posts, 1, benchKeyring(KEYRING_VARIANT['hearth-compacted']));
  compacted.sync.compact();
  // The plain rooms carry the very records of the written board, unencrypted.
  const plainChunked = copyDoc(written.board);
  const plainStock = copyDoc(written.board);
  hostLinks.push(
    hearthLink(written.sync, written.identity, options.signaling),
    hearthLink(compacted.sync, compacted.identity, options.signaling),
    plainLink(options.rooms.chunked, plainChunked, options.signaling, true),
    plainLink(options.rooms.stock, plainStock, options.signaling, false),
  );
  return {
    posts: options.posts,
    writtenLogBytes: Y.encodeStateAsUpdate(written.log).byteLength,
    compactedLogBytes: Y.encodeStateAsUpdate(compacted.log).byteLength,
    plainBytes: Y.encodeStateAsUpdate(plainChunked).byteLength,
  };
}

export interface JoinResult {
  variant: JoinVariant;
  complete: boolean;
  /** Posts in the joiner's board when it finished or gave up. */
  received: number;
  /** From starting the sync: first WebRTC peer connected, all N posts in the board doc, board view computed and its first screen rendered. */
  connectedMs: number | null;
  dataMs: number | null;
  viewMs: number | null;
}

/** Runs once per fresh page: a joiner's first sync is what is measured. */
export async function joinRun(options: { variant: JoinVariant; signaling: string; posts: number; rooms: { chunked: string; stock: string }; timeoutMs: number }): Promise<JoinResult> {
  const { variant, posts } = options;
  const identity = identityFromSeed(3);
  const start = now();
  const board = new Y.Doc();
  const counter = postCounter(board);
  let link: Link;
  if (variant === 'hearth-written' || variant === 'hearth-compacted') {
    const log = new CiphertextLog({ board, log: new Y.Doc(), keyring: benchKeyring(KEYRING_VARIANT[variant]), identity });
    link = hearthLink(log, identity, options.signaling);
  } else {
    const room = variant === 'plain-chunked' ? options.rooms.chunked : options.rooms.stock;
    link = plainLink(room, board, options.signaling, variant === 'plain-chunked');
  }
  let connectedMs: number | null = null;
  void link.connected.then(() => (connectedMs = now() - start));
  const outcome = await Promise.race([counter.reached(posts), delay(options.timeoutMs).then(() => 'timeout' as const)]);
  if (outcome === 'timeout') {
    link.destroy();
    return { variant, complete: false, received: counter.count(), connectedMs, dataMs: null, viewMs: null };
  }
  const dataMs = outcome - start;
  const view = new Board(board).view(authorIdOf(identity));
  renderFirstScreen(view);
  const viewMs = now() - start;
  link.destroy();
  return { variant, complete: view.posts.length === posts, received: view.posts.length, connectedMs, dataMs, viewMs };
}
