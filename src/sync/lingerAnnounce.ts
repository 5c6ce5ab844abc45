import * as buffer from 'lib0/buffer';
import * as encoding from 'lib0/encoding';
import { decryptSignalingData } from './signalingGuard.js';

/**
 * Devices lingering in a previous epoch's room (./lingerRoom.ts) mark their y-webrtc announce
 * (`"lingering": true` inside the encrypted signaling message) and ignore marked announces, so
 * they never connect to one another there; an unmarked announce (a member who missed the
 * rotation, or a removed device) they answer, and a device in its current room answers both
 * (y-webrtc reads only `type` and `from`). PROTOCOL.md §13.1.
 */

/** y-webrtc's signaling encryption (its crypto.js `encryptJson`), the inverse of decryptSignalingData. */
export async function encryptSignalingData(message: unknown, key: CryptoKey): Promise<string> {
  const plain = encoding.createEncoder();
  encoding.writeAny(plain, message as Parameters<typeof encoding.writeAny>[1]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoding.toUint8Array(plain)));
  const out = encoding.createEncoder();
  encoding.writeVarString(out, 'AES-GCM');
  encoding.writeVarUint8Array(out, iv);
  encoding.writeVarUint8Array(out, cipher);
  return buffer.toBase64(encoding.toUint8Array(out));
}

/** A decrypted signaling message that is the announce of a device lingering in the room. */
export function isLingeringAnnounce(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as Record<string, unknown>).type === 'announce' && (message as Record<string, unknown>).lingering === true;
}

/** What this device publishes in a room it lingers in: its announce marked, anything else as it was. */
export async function markLingering(data: unknown, key: CryptoKey): Promise<unknown> {
  const message = await decryptSignalingData(data, key);
  if (typeof message !== 'object' || message === null || (message as Record<string, unknown>).type !== 'announce') return data;
  return encryptSignalingData({ ...(message as Record<string, unknown>), lingering: true }, key);
}

type Rewrite = (data: unknown) => Promise<unknown>;

/** What is read of y-webrtc's SignalingConn (a lib0 WebsocketClient shared by every room of a URL). */
interface SendingConn {
  send(message: unknown): void;
}

/** Per signaling connection: the rewrite of each topic's publishes. */
const rewrites = new WeakMap<object, Map<string, Rewrite>>();

/**
 * Passes what this page publishes to `topic` on `conn` through `rewrite` first, in order (other
 * topics go out untouched, at once). Returns what removes the rewrite.
 */
export function rewritePublishes(conn: unknown, topic: string, rewrite: Rewrite): () => void {
  const sending = conn as SendingConn;
  let topics = rewrites.get(sending);
  if (!topics) {
    const own = new Map<string, Rewrite>();
    topics = own;
    rewrites.set(sending, own);
    const send = sending.send.bind(sending);
    let queue: Promise<void> = Promise.resolve();
    sending.send = (message: unknown): void => {
      const { type, topic: to, data } = (typeof message === 'object' && message !== null ? message : {}) as Record<string, unknown>;
      const apply = type === 'publish' && typeof to === 'string' ? own.get(to) : undefined;
      if (!apply) return send(message);
      queue = queue.then(async () => {
        try {
          send({ ...(message as Record<string, unknown>), data: await apply(data) });
        } catch {
          // the connection closed meanwhile: y-webrtc announces again when it reconnects
        }
      });
    };
  }
  topics.set(topic, rewrite);
  const own = topics;
  return () => {
    if (own.get(topic) === rewrite) own.delete(topic);
  };
}
