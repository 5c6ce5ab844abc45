// Which local connections subscribe to which topic (an opaque room id), with each topic's shared
// publish budget. The registry tells its owner when a topic gains its first subscriber and loses
// its last, so a Redis bridge listens to a channel only while someone here needs it.
import { createTokenBucket } from './signalingLimits.mjs';

/**
 * @template Subscriber
 * @typedef {object} Topic
 * @property {Set<Subscriber>} subscribers
 * @property {{ take(): boolean }} publishBudget one token per publish accepted into the topic
 */

/**
 * @template {{ topics: Set<string> }} Subscriber
 * @param {object} options
 * @param {number} options.publishesPerSecond sustained publishes into one topic, all senders together
 * @param {number} options.publishBurst publishes one topic accepts at once
 * @param {(topic: string) => void} [options.onOpened] the topic gained its first local subscriber
 * @param {(topic: string) => void} [options.onClosed] the topic lost its last local subscriber
 */
export function createTopicRegistry({ publishesPerSecond, publishBurst, onOpened, onClosed }) {
  /** @type {Map<string, Topic<Subscriber>>} */
  const topics = new Map();

  return {
    get size() {
      return topics.size;
    },

    /** @param {string} name @returns {Topic<Subscriber> | undefined} */
    get: (name) => topics.get(name),

    /** @param {Subscriber} subscriber @param {string} name */
    subscribe(subscriber, name) {
      let topic = topics.get(name);
      if (!topic) {
        topic = { subscribers: new Set(), publishBudget: createTokenBucket(publishesPerSecond, publishBurst) };
        topics.set(name, topic);
        onOpened?.(name);
      }
      topic.subscribers.add(subscriber);
      subscriber.topics.add(name);
    },

    /** @param {Subscriber} subscriber @param {string} name */
    unsubscribe(subscriber, name) {
      subscriber.topics.delete(name);
      const topic = topics.get(name);
      if (!topic?.subscribers.delete(subscriber) || topic.subscribers.size > 0) return;
      topics.delete(name);
      onClosed?.(name);
    },

    /** Drops every subscription of a subscriber that went away. @param {Subscriber} subscriber */
    forget(subscriber) {
      for (const name of [...subscriber.topics]) this.unsubscribe(subscriber, name);
    },
  };
}
