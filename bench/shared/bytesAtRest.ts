import * as Y from 'yjs';
import { randomBytes } from '../../crypto/index.js';
import { sealRecord } from '../../src/store/sealedRecord.js';
import { hearthBoardWithPosts } from './fixtures.js';

export interface BytesAtRest {
  posts: number;
  /** Y.encodeStateAsUpdate of the plaintext board: what plain Yjs would store. */
  plainBytes: number;
  /** The ciphertext log's state, one sealed update per post. */
  logBytes: number;
  /** The ciphertext log's state after `compact()`: one snapshot plus tombstones of what it replaced. */
  compactedLogBytes: number;
  /** What the store writes for each (src/store/sealedRecord.ts: padded, sealed under the storage key). */
  storedLogBytes: number;
  storedCompactedBytes: number;
  /** Envelopes in the log before and after compaction. */
  envelopesBefore: number;
  envelopesAfter: number;
}

/** Bytes of a record as the store writes it: nonce and ciphertext (structured-clone framing aside). */
function storedSize(storageKey: Uint8Array, update: Uint8Array): number {
  const record = sealRecord(storageKey, 'log', 'bench', update);
  return record.nonce.byteLength + record.ct.byteLength;
}

/** Sizes of one N-post board, plain and as Hearth's ciphertext log, before and after compaction. */
export function measureBytesAtRest(posts: number): BytesAtRest {
  const storageKey = randomBytes(32);
  const member = hearthBoardWithPosts(posts);
  const plainBytes = Y.encodeStateAsUpdate(member.board).byteLength;
  const log = Y.encodeStateAsUpdate(member.log);
  const envelopesBefore = member.sync.length;
  member.sync.compact();
  const compacted = Y.encodeStateAsUpdate(member.log);
  const result: BytesAtRest = {
    posts,
    plainBytes,
    logBytes: log.byteLength,
    compactedLogBytes: compacted.byteLength,
    storedLogBytes: storedSize(storageKey, log),
    storedCompactedBytes: storedSize(storageKey, compacted),
    envelopesBefore,
    envelopesAfter: member.sync.length,
  };
  member.sync.destroy();
  return result;
}
