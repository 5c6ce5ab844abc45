import * as Y from 'yjs';
import { fromHex, type DeviceIdentity } from '../../crypto/index.js';
import { Board, POST_KINDS } from '../../src/model/index.js';
import { CiphertextLog } from '../../src/sync/ciphertextLog.js';
import { GroupKeyring } from '../../src/log/keyring.js';
import { identityFromSeed } from '../../test/fixtures/group.js';

export { identityFromSeed };

/**
 * The board every figure measures: N posts of realistic length, one author, fixed keys, so
 * Hearth and its plain-Yjs baseline hold the very same records. Call after `await ready()`.
 */

export const BENCH_GROUP_ID = fromHex('b0b1b2b3b4b5b6b7b8b9babbbcbdbebf');
export const BENCH_SECRET = fromHex('c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf');


/** The bench group; another `variant` gives another group (its own room), same shape. */
export function benchKeyring(variant = 0): GroupKeyring {
  const secret = BENCH_SECRET.slice();
  secret[0] = variant;
  return new GroupKeyring(BENCH_GROUP_ID, [{ epoch: 0, secret }]);
}

const WORDS = (
  'today was hard but I called my sponsor and we talked for an hour about the week ' +
  'thank you all for listening last tuesday it helped more than I can say ' +
  'ninety days clean this morning I walked past the old place and kept walking ' +
  'sending strength to everyone who is struggling tonight you are not alone here'
).split(' ');

/** A deterministic body of 80 to ~600 characters: the length of a typical story or reply. */
export function postBody(index: number): string {
  let state = (index * 2654435761) >>> 0;
  const next = (): number => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state;
  };
  const target = 80 + (next() % 520);
  const words: string[] = [];
  let length = 0;
  while (length < target) {
    const word = WORDS[next() % WORDS.length]!;
    words.push(word);
    length += word.length + 1;
  }
  return `#${index} ${words.join(' ')}`;
}

/** Adds posts `from` .. `from + count - 1`, one transaction each, as a member would. */
export function addPosts(board: Board, author: DeviceIdentity, from: number, count: number): void {
  const t0 = Date.UTC(2025, 0, 1);
  for (let i = from; i < from + count; i++) {
    board.addPost(author, { kind: POST_KINDS[i % POST_KINDS.length]!, body: postBody(i) }, t0 + i * 60_000);
  }
}

export interface HearthBoard {
  identity: DeviceIdentity;
  board: Y.Doc;
  log: Y.Doc;
  sync: CiphertextLog;
}

/** A member's device holding N posts: the plaintext board and its log of N sealed updates. */
export function hearthBoardWithPosts(posts: number, seed = 1, keyring = benchKeyring()): HearthBoard {
  const identity = identityFromSeed(seed);
  const board = new Y.Doc();
  const log = new Y.Doc();
  const sync = new CiphertextLog({ board, log, keyring, identity });
  addPosts(new Board(board), identity, 0, posts);
  return { identity, board, log, sync };
}

/** An independent copy of a doc's whole state: same clients, same items. */
export function copyDoc(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}
