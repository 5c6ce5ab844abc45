import * as buffer from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import { createPublishDedupe } from './signalingDedupe.js';

/**
 * y-webrtc decrypts each signaling message in a promise chain with no error handler, and its
 * decrypt() creates a rejected promise and drops it when the algorithm name is wrong. So anyone
 * who knows the (opaque) room name can publish junk into it and make every member's page log
 * unhandled rejections, and a member-signed message of the wrong shape throws inside y-webrtc.
 * The guard sits in front of y-webrtc's handler: it decrypts each message for our room first and
 * passes on only those that decrypt under the room key and have the shape y-webrtc expects.
 * Nothing that fails is applied either way (AES-GCM); the guard makes failing quiet and counted.
 */

/** y-webrtc's signaling message inside the encryption (y-webrtc 10.3 `publishSignalingMessage`). */
export type SignalingMessage =
  | { type: 'announce'; from: string }
  | { type: 'signal'; from: string; to: string; token?: number; signal: { type: string } };

const SIGNAL_TYPES = new Set(['offer', 'answer', 'candidate', 'renegotiate', 'transceiverRequest']);
/** y-webrtc's peer ids are uuids; signaling frames are capped at 64 KiB by our server. */
const MAX_ID_LENGTH = 64;
const MAX_DATA_LENGTH = 64 * 1024;

/** What the guard needs of y-webrtc's Room. */
export interface GuardedRoom {
  peerId: string;
  webrtcConns: Map<string, unknown>;
}

/** y-webrtc's SignalingConn is a lib0 Observable; its handlers live in `_observers`. */
interface ObservableConn {
  _observers: Map<string, Set<(...args: unknown[]) => void>>;
  on(name: string, f: (...args: unknown[]) => void): void;
  off(name: string, f: (...args: unknown[]) => void): void;
}

/** Decrypts y-webrtc's encrypted signaling payload (crypto.js `encryptJson`); undefined on any failure. */
export async function decryptSignalingData(data: unknown, key: CryptoKey): Promise<unknown> {
  if (typeof data !== 'string' || data.length > MAX_DATA_LENGTH) return undefined;
  try {
    const decoder = decoding.createDecoder(buffer.fromBase64(data));
    if (decoding.readVarString(decoder) !== 'AES-GCM') return undefined;
    const iv = decoding.readVarUint8Array(decoder);
    const cipher = decoding.readVarUint8Array(decoder);
    const plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, cipher));
    return decoding.readAny(decoding.createDecoder(plain));
  } catch {
    return undefined;
  }
}

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;

/** True when y-webrtc can act on `message` without throwing. */
export function isSignalingMessage(message: unknown, room: GuardedRoom): message is SignalingMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  if (!isId(m.from)) return false;
  if (m.type === 'announce') return true;
  if (m.type !== 'signal' || !isId(m.to)) return false;
  if (m.token !== undefined && typeof m.token !== 'number') return false;
  const signal = m.signal as Record<string, unknown> | null;
  if (typeof signal !== 'object' || signal === null || typeof signal.type !== 'string') return false;
  if (!SIGNAL_TYPES.has(signal.type)) return false;
  // y-webrtc dereferences the pending connection of an answer addressed to us.
  if (signal.type === 'answer' && m.to === room.peerId && !room.webrtcConns.has(m.from)) return false;
  return true;
}

export type SignalingFilter = (data: unknown) => Promise<boolean>;

/** Per signaling connection: the filter of each guarded topic (room name). */
const guarded = new WeakMap<object, Map<string, SignalingFilter>>();
/** Shared by all connections of the page: copies of one publish arrive on different ones. */
const seenPublishes = createPublishDedupe();

/**
 * Makes `conn` pass messages published to `topic` to y-webrtc only when `filter` accepts their
 * data, in arrival order. Returns a function that removes this topic's filter.
 */
export function guardSignalingConn(conn: unknown, topic: string, filter: SignalingFilter): () => void {
  const observable = conn as ObservableConn;
  let filters = guarded.get(observable);
  if (!filters) {
    const topicFilters = new Map<string, SignalingFilter>();
    filters = topicFilters;
    guarded.set(observable, topicFilters);
    for (const handler of [...(observable._observers.get('message') ?? [])]) {
      observable.off('message', handler);
      observable.on('message', guardHandler(handler, topicFilters));
    }
  }
  filters.set(topic, filter);
  const own = filters;
  return () => {
    if (own.get(topic) === filter) own.delete(topic);
  };
}

function guardHandler(
  handler: (...args: unknown[]) => void,
  filters: Map<string, SignalingFilter>,
): (...args: unknown[]) => void {
  let queue: Promise<void> = Promise.resolve();
  return (message, ...rest) => {
    // A hostile server could send `null`, on which y-webrtc throws.
    if (typeof message !== 'object' || message === null) return;
    const { type, topic, data } = message as Record<string, unknown>;
    const filter = type === 'publish' && typeof topic === 'string' ? filters.get(topic) : undefined;
    if (!filter) {
      handler(message, ...rest);
      return;
    }
    queue = queue.then(async () => {
      try {
        if ((await filter(data)) && seenPublishes.firstSighting(topic as string, data)) handler(message, ...rest);
      } catch {
        // a filter or y-webrtc's synchronous part failed on this message: it is dropped
      }
    });
  };
}
