// The limits of the signaling server and the small mechanisms that enforce them.

/**
 * @typedef {object} SignalingLimits
 * @property {number} maxPayload largest accepted frame in bytes; a bigger one closes its connection (1009)
 * @property {number} maxTopicsPerConnection subscriptions one connection may hold; extra topics are ignored
 * @property {number} maxTopicLength longest accepted topic name, in UTF-16 code units
 * @property {number} maxConnectionsPerIp concurrent connections from one remote address
 * @property {number} maxConnections concurrent connections in total
 * @property {number} messagesPerSecond sustained frame rate per connection (token bucket refill)
 * @property {number} messageBurst frames a connection may send at once (token bucket size)
 * @property {number} dropsBeforeClose rate-limited frames tolerated (allowance refilling at
 *   messagesPerSecond) before the connection is closed with 1008
 * @property {number} publishesPerTopicPerSecond sustained publishes into one topic from all its local senders
 * @property {number} publishBurstPerTopic publishes one topic accepts at once
 * @property {number} maxBufferedBytes bytes queued towards one receiver; beyond, frames for it are dropped (counted)
 */

/** @type {Readonly<SignalingLimits>} */
export const DEFAULT_LIMITS = Object.freeze({
  // y-webrtc's SDP offers, encrypted with a room password and base64'd, are a few KiB.
  maxPayload: 64 * 1024,
  maxTopicsPerConnection: 64,
  maxTopicLength: 128,
  maxConnectionsPerIp: 32,
  maxConnections: 1024,
  messagesPerSecond: 50,
  messageBurst: 100,
  dropsBeforeClose: 100,
  // Well above one connection's rate, so one flooding member cannot starve a room's honest signaling.
  publishesPerTopicPerSecond: 200,
  publishBurstPerTopic: 400,
  maxBufferedBytes: 1024 * 1024,
});

/**
 * Fills in defaults and rejects values that would silently disable a limit.
 * @param {Partial<SignalingLimits>} [overrides]
 * @returns {SignalingLimits}
 */
/** Topic names are opaque room ids: y-webrtc's room name, 'hearth-' + base64url for Hearth. */
const TOPIC_NAME = /^[A-Za-z0-9_.:-]+$/;

/**
 * @param {unknown} topic
 * @param {SignalingLimits} limits
 * @returns {topic is string}
 */
export function isTopicName(topic, limits) {
  return typeof topic === 'string' && topic.length <= limits.maxTopicLength && TOPIC_NAME.test(topic);
}

export function resolveLimits(overrides = {}) {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!(name in DEFAULT_LIMITS)) throw new TypeError(`Unknown signaling limit: ${name}`);
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
      throw new TypeError(`Signaling limit ${name} must be a positive finite number`);
    }
  }
  return limits;
}

/**
 * A token bucket: starts full, refills continuously, `take()` spends one token if there is one.
 * @param {number} ratePerSecond
 * @param {number} capacity
 */
export function createTokenBucket(ratePerSecond, capacity) {
  let tokens = capacity;
  let refilledAt = performance.now();
  return {
    /** @returns {boolean} whether a token was available */
    take() {
      const now = performance.now();
      tokens = Math.min(capacity, tokens + ((now - refilledAt) * ratePerSecond) / 1000);
      refilledAt = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

/**
 * Counts live connections per remote address; an address with none is forgotten.
 */
export function createAddressCounter() {
  /** @type {Map<string, number>} */
  const counts = new Map();
  return {
    /** @param {string} address */
    count: (address) => counts.get(address) ?? 0,
    /** @param {string} address */
    add(address) {
      counts.set(address, (counts.get(address) ?? 0) + 1);
    },
    /** @param {string} address */
    remove(address) {
      const remaining = (counts.get(address) ?? 0) - 1;
      if (remaining > 0) counts.set(address, remaining);
      else counts.delete(address);
    },
  };
}
