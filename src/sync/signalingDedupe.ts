import * as buffer from 'lib0/buffer';
import { digest } from 'lib0/hash/sha256';
import * as string from 'lib0/string';

/**
 * y-webrtc connects to every signaling server in the config. When those servers are joined
 * through Redis, a client connected to two of them receives each publish once from each, and
 * y-webrtc would act on both copies: a repeated offer or answer breaks the WebRTC negotiation
 * (simple-peer throws "Called in wrong state" and drops the peer). y-webrtc encrypts every
 * publish under a fresh random IV, so equal ciphertexts in a room are copies of one message.
 * Only messages that already passed the guard (decrypted under the room key) are recorded, so
 * an outsider cannot pre-mark bytes as seen.
 */
export interface PublishDedupe {
  /** True the first time this room's `data` is seen; false for a copy. */
  firstSighting(topic: string, data: unknown): boolean;
}

/** A page's signaling traffic is a few messages per peer, so 1,024 fingerprints span many meetings. */
const DEFAULT_CAPACITY = 1024;

export function createPublishDedupe(capacity = DEFAULT_CAPACITY): PublishDedupe {
  // A Set iterates in insertion order: the first entry is the oldest.
  const seen = new Set<string>();
  return {
    firstSighting(topic, data) {
      // Unencrypted rooms send objects; Hearth never does, and there is nothing stable to compare.
      if (typeof data !== 'string') return true;
      const key = `${topic}\n${buffer.toBase64(digest(string.encodeUtf8(data)))}`;
      if (seen.has(key)) return false;
      seen.add(key);
      if (seen.size > capacity) seen.delete(seen.values().next().value as string);
      return true;
    },
  };
}
