// Joins several signaling processes through Redis pub/sub (docs/PROTOCOL.md §9.3). A process
// listens to a topic's channel only while it has local subscribers; the channel is named by the
// topic (the opaque room id) and nothing else. Each message carries the sending process's random
// id, so a process drops its own echoes.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

const BRIDGE_VERSION = 1;

/**
 * @typedef {object} RedisBridgeOptions
 * @property {string} url redis:// or rediss:// URL
 * @property {(topic: string, data: unknown) => void} onMessage a publish from another process
 * @property {(message: string) => void} onProblem a message on a channel that is not of this protocol
 * @property {(ready: boolean) => void} onReadyChange both connections up, or one of them lost
 */

/** @param {RedisBridgeOptions} options */
export function createRedisBridge({ url, onMessage, onProblem, onReadyChange }) {
  const origin = randomBytes(12).toString('base64url');
  const retryStrategy = (/** @type {number} */ attempt) => Math.min(100 * attempt, 2000);
  // Publishing fails fast while Redis is away instead of queueing without bound; subscriptions
  // queue (there is one per topic at most) and ioredis renews them after a reconnect.
  const publisher = new Redis(url, { retryStrategy, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  const subscriber = new Redis(url, { retryStrategy, maxRetriesPerRequest: null });
  let ready = false;
  let failedPublishes = 0;
  /** Topics whose subscription Redis has not confirmed yet. @type {Map<string, Promise<void>>} */
  const pendingSubscriptions = new Map();

  const noteState = () => {
    const now = publisher.status === 'ready' && subscriber.status === 'ready';
    if (now === ready) return;
    ready = now;
    onReadyChange(now);
  };
  for (const connection of [publisher, subscriber]) {
    // ioredis reports each failed attempt; the state change is what gets logged.
    connection.on('error', () => {});
    for (const event of ['ready', 'close', 'end', 'reconnecting']) connection.on(event, noteState);
  }

  subscriber.on('message', (/** @type {string} */ topic, /** @type {string} */ message) => {
    const parsed = parseBridgeMessage(message);
    if (!parsed) onProblem(message);
    else if (parsed.origin !== origin) onMessage(topic, parsed.data);
  });

  return {
    get ready() {
      return ready;
    },
    get failedPublishes() {
      return failedPublishes;
    },
    /** @param {string} topic */
    subscribe(topic) {
      const confirmed = subscriber.subscribe(topic).then(
        () => {
          if (pendingSubscriptions.get(topic) === confirmed) pendingSubscriptions.delete(topic);
        },
        () => {},
      );
      pendingSubscriptions.set(topic, confirmed);
    },
    /** @param {string} topic */
    unsubscribe(topic) {
      pendingSubscriptions.delete(topic);
      subscriber.unsubscribe(topic).catch(() => {});
    },
    /**
     * Until this process listens to the topic, the answers to what it publishes there would be
     * lost: the publish waits for the subscription (only while Redis is up, so nothing piles up).
     * @param {string} topic
     * @param {unknown} data
     */
    publish(topic, data) {
      const send = () => {
        publisher.publish(topic, JSON.stringify([BRIDGE_VERSION, origin, data])).catch(() => failedPublishes++);
      };
      const pending = pendingSubscriptions.get(topic);
      if (pending && ready) void pending.then(send);
      else send();
    },
    /** Drops both connections at once (Redis forgets their subscriptions); QUIT would wait for a Redis that is away. */
    close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

/**
 * `[1, origin, data]`; anything else is not of this protocol.
 * @param {string} message
 * @returns {{ origin: string, data: unknown } | undefined}
 */
export function parseBridgeMessage(message) {
  try {
    const value = JSON.parse(message);
    if (!Array.isArray(value) || value.length !== 3 || value[0] !== BRIDGE_VERSION) return undefined;
    if (typeof value[1] !== 'string' || !isPublishData(value[2])) return undefined;
    return { origin: value[1], data: value[2] };
  } catch {
    return undefined;
  }
}

/**
 * y-webrtc's `data`: the encrypted message as base64 (with a room password, as Hearth always
 * has), or the plain signaling object without one.
 * @param {unknown} data
 */
export function isPublishData(data) {
  return typeof data === 'string' || (typeof data === 'object' && data !== null && !Array.isArray(data));
}
