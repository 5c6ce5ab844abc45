import * as Y from 'yjs';
import { fromBase64Url, fromHex, toBase64Url, type DeviceIdentity } from '../../crypto/index.js';
import { GroupLog } from '../../src/log/groupLog.js';
import { GroupKeyring } from '../../src/log/keyring.js';
import type { StoredEnvelope } from '../../src/log/ports.js';
import { POST_KINDS, addPost, boardView, parseRecord, type BoardView } from '../../src/model/index.js';
import { identityFromSeed } from '../../test/fixtures/group.js';
import { BenchDisk } from './benchDisk.js';

export { identityFromSeed };

/**
 * The board every figure measures: N posts of realistic length, one author, fixed keys, written
 * through GroupLog.write as a member would, so Hearth and its plain-Yjs baseline hold the very
 * same records. Call after `await ready()`.
 */

export const BENCH_GROUP_ID = fromHex('b0b1b2b3b4b5b6b7b8b9babbbcbdbebf');
export const BENCH_SECRET = fromHex('c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf');
export const BENCH_GROUP = toBase64Url(BENCH_GROUP_ID);
/** Seed of the identity that writes the bench board. */
export const WRITER_SEED = 1;

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

export const postKind = (index: number) => POST_KINDS[index % POST_KINDS.length]!;

/** A chain as its writer's disk holds it once N posts were written. */
export interface BenchChain {
  posts: number;
  /** What the writer's envelope store holds: from its latest checkpoint on. */
  links: StoredEnvelope[];
  /** Y.encodeStateAsUpdate of the writer's own document: the plain board with the same records. */
  plainUpdate: Uint8Array;
  /** Wall time GroupLog.write took for all N posts, in ms. */
  writeMs: number;
}

/**
 * Writes N posts through GroupLog.write (seal, sign, commit, and a checkpoint every
 * `checkpointAfter` links as the log decides), on an in-memory disk.
 */
export async function writeChain(posts: number, options: { checkpointAfter?: number; seed?: number; keyring?: GroupKeyring } = {}): Promise<BenchChain> {
  const identity = identityFromSeed(options.seed ?? WRITER_SEED);
  const disk = new BenchDisk();
  const log = await GroupLog.open({
    keyring: options.keyring ?? benchKeyring(),
    identity,
    store: disk,
    creatorId: undefined,
    ...(options.checkpointAfter !== undefined ? { checkpointAfter: options.checkpointAfter } : {}),
  });
  const start = performance.now();
  for (let i = 0; i < posts; i++) {
    const written = await log.write((context) => addPost(context, { kind: postKind(i), body: postBody(i) }));
    if (!written.ok) throw new Error(`bench post ${i} refused: ${written.problem}`);
  }
  const writeMs = performance.now() - start;
  const plainUpdate = Y.encodeStateAsUpdate(log.ownDoc);
  log.destroy();
  return { posts, links: disk.links(), plainUpdate, writeMs };
}

/** A writer's links as one string, to hand a chain to a page through playwright. */
export function packLinks(links: StoredEnvelope[]): string {
  return JSON.stringify(links.map((link) => [link.authorId, link.seq, toBase64Url(link.envelope)]));
}

export function unpackLinks(packed: string): StoredEnvelope[] {
  return (JSON.parse(packed) as [string, number, string][]).map(([authorId, seq, envelope]) => ({ authorId, seq, envelope: decodeBase64Url(envelope) }));
}

/** Bytes of a base64url string the bench itself encoded. */
export function decodeBase64Url(text: string): Uint8Array {
  const decoded = fromBase64Url(text);
  if (!decoded.ok) throw new Error('bench fixture: bad base64url');
  return decoded.bytes;
}

/** The writer's device, reopened from its disk: what a member who wrote the chain holds. */
export function openWriter(links: StoredEnvelope[], keyring: GroupKeyring): Promise<{ log: GroupLog; identity: DeviceIdentity }> {
  const identity = identityFromSeed(WRITER_SEED);
  return GroupLog.open({ keyring, identity, store: new BenchDisk(links), creatorId: undefined }).then((log) => ({ log, identity }));
}

/** The board view of a Hearth log, as the app computes it. */
export function hearthView(log: GroupLog, viewerId: string): BoardView {
  return boardView({ authors: () => log.authors(), creatorId: log.creatorId }, viewerId);
}

/** The board view of a plain Yjs board: one document holding the same records. */
export function plainView(doc: Y.Doc, authorId: string, viewerId: string): BoardView {
  return boardView({ authors: () => [[authorId, doc]], creatorId: undefined }, viewerId);
}

/** Posts across a Hearth log's documents, counted without computing the view. */
export function hearthPostCount(log: GroupLog): number {
  let count = 0;
  for (const [, doc] of log.authors()) count += doc.getMap('posts').size;
  return count;
}

/** Posts a plain shared board (every member's records in one doc) shows: parsed, then sorted as the view sorts them. */
export function sharedBoardPosts(doc: Y.Doc): number {
  const posts: { createdAt: number; id: string }[] = [];
  doc.getMap('posts').forEach((value, key) => {
    const record = parseRecord('posts', key, value);
    if (record) posts.push(record);
  });
  posts.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  return posts.length;
}
