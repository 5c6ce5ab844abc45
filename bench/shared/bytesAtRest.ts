import { randomBytes } from '../../crypto/index.js';
import type { StoredEnvelope } from '../../src/log/ports.js';
import { sealEnvelope } from '../../src/store/envelopeOperations.js';
import type { BenchChain } from './fixtures.js';

export interface StoredBytes {
  /** Links the envelopes store holds for the group. */
  links: number;
  /** The envelopes themselves (header, ciphertext, signature). */
  envelopeBytes: number;
  /** What the store writes: each link sealed under the storage key (padded), nonce + ciphertext. */
  storedBytes: number;
}

/** Sizes of what the envelopes store holds for a chain (IndexedDB keys and structured-clone framing aside). */
export function storedBytes(links: StoredEnvelope[], groupId: string): StoredBytes {
  const storageKey = randomBytes(32);
  let envelopeBytes = 0;
  let stored = 0;
  for (const link of links) {
    const operation = sealEnvelope(storageKey, groupId, link);
    if (operation.kind !== 'put') throw new Error('sealEnvelope returned no record');
    envelopeBytes += link.envelope.byteLength;
    stored += operation.sealed.nonce.byteLength + operation.sealed.ct.byteLength;
  }
  return { links: links.length, envelopeBytes, storedBytes: stored };
}

/** Bytes at rest of both chains, and of the plain board with the same records. */
export function measureBytesAtRest(chains: { checkpointed: BenchChain; written: BenchChain }, groupId: string) {
  return {
    plainBytes: chains.checkpointed.plainUpdate.byteLength,
    checkpointed: storedBytes(chains.checkpointed.links, groupId),
    written: storedBytes(chains.written.links, groupId),
  };
}
