#!/usr/bin/env node
// Hearth's signaling server: the WebSocket pub/sub protocol of y-webrtc 10.3 (bin/server.js),
// with every client treated as hostile. It binds to loopback by default, caps frames, topics,
// connections and message rates, drops malformed input without closing honest connections,
// and logs counters only: topics (room ids), payloads (SDP) and addresses never reach the log.
import http from 'node:http';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocket, WebSocketServer } from 'ws';
import { createAddressCounter, createTokenBucket, resolveLimits } from './signalingLimits.mjs';

/** @typedef {import('./signalingLimits.mjs').SignalingLimits} SignalingLimits */

/**
 * @typedef {object} Client
 * @property {WebSocket} socket
 * @property {Set<string>} topics the topics this client is subscribed to
 * @property {boolean} answeredPing whether a pong arrived since the last heartbeat ping
 * @property {{ take(): boolean }} messageBudget one token per accepted frame
 * @property {{ take(): boolean }} dropAllowance one token per rate-limited frame; empty means flooding
 */

/**
 * @typedef {object} SignalingStats
 * @property {number} connections connections currently admitted (including handshakes in progress)
 * @property {number} topics topics with at least one subscriber
 * @property {number} relayed frames sent to subscribers since start
 * @property {number} dropped incoming frames ignored in whole or in part since start
 * @property {number} refused connections refused by the connection caps since start
 * @property {number} memory `process.memoryUsage().heapUsed`, in bytes
 */

/**
 * @typedef {object} SignalingServerOptions
 * @property {string} [host] interface to bind; loopback unless deliberately exposed
 * @property {number} [port] 0 picks a free port
 * @property {Partial<SignalingLimits>} [limits]
 * @property {number} [heartbeatIntervalMs] ping period; a client silent for a whole period is terminated
 * @property {number} [statsIntervalMs] period of the counters log line; 0 disables it
 * @property {(line: string) => void} [log]
 * @property {(data: Buffer | string) => void} [onFrame] test-only: every raw frame received, before any check
 */

const PONG = JSON.stringify({ type: 'pong' });
const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_GOING_AWAY = 1001;
// Clients get this long to answer the shutdown close frame before their sockets are destroyed.
const SHUTDOWN_GRACE_MS = 1000;
// A client gets this long (Node checks every 30 s) to send its handshake headers, so slow-loris
// sockets are not held open.
const HANDSHAKE_TIMEOUT_MS = 10_000;

const ignore = () => {};

/**
 * Starts the signaling server and resolves once it is listening.
 * @param {SignalingServerOptions} [options]
 */
export async function startSignalingServer({
  host = '127.0.0.1',
  port = 4444,
  limits: limitOverrides,
  heartbeatIntervalMs = 30_000,
  statsIntervalMs = 60_000,
  log = console.log,
  onFrame: captureFrame,
} = {}) {
  const limits = resolveLimits(limitOverrides);
  const counters = { relayed: 0, dropped: 0, refused: 0 };
  /** @type {Map<string, Set<Client>>} */
  const subscribersByTopic = new Map();
  /** @type {Set<Client>} */
  const clients = new Set();
  const connectionsByAddress = createAddressCounter();
  let connections = 0;

  // perMessageDeflate stays off: a zlib context per connection costs memory and CPU that a hostile
  // client can multiply, and signaling frames are small.
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: limits.maxPayload,
  });
  const server = http.createServer({ headersTimeout: HANDSHAKE_TIMEOUT_MS }, answerPlainRequest);
  server.on('upgrade', onUpgrade);

  /**
   * @param {http.IncomingMessage} request
   * @param {import('node:stream').Duplex} socket
   * @param {Buffer} head
   */
  function onUpgrade(request, socket, head) {
    socket.on('error', ignore); // a reset during the handshake must not crash the server
    const address = request.socket.remoteAddress ?? 'unknown';
    const refusal = refusalStatus(address);
    if (refusal) {
      counters.refused++;
      refuseHandshake(socket, refusal);
      return;
    }
    admit(socket, address);
    wss.handleUpgrade(request, socket, head, onConnection);
  }

  /** @param {string} address */
  function refusalStatus(address) {
    if (connections >= limits.maxConnections) return 503;
    if (connectionsByAddress.count(address) >= limits.maxConnectionsPerIp) return 429;
    return 0;
  }

  /**
   * Counts the raw socket from now until it closes, so failed handshakes free their slot too.
   * @param {import('node:stream').Duplex} socket
   * @param {string} address
   */
  function admit(socket, address) {
    connections++;
    connectionsByAddress.add(address);
    socket.once('close', () => {
      connections--;
      connectionsByAddress.remove(address);
    });
  }

  /** @param {WebSocket} socket */
  function onConnection(socket) {
    /** @type {Client} */
    const client = {
      socket,
      topics: new Set(),
      answeredPing: true,
      messageBudget: createTokenBucket(limits.messagesPerSecond, limits.messageBurst),
      dropAllowance: createTokenBucket(limits.messagesPerSecond, limits.dropsBeforeClose),
    };
    clients.add(client);
    socket.on('message', (data, isBinary) => {
      captureFrame?.(/** @type {Buffer} */ (data));
      onFrame(client, data, isBinary);
    });
    socket.on('pong', () => {
      client.answeredPing = true;
    });
    // Oversized or invalid frames: ws emits an error and closes that socket itself.
    socket.on('error', ignore);
    socket.on('close', () => forget(client));
  }

  /**
   * @param {Client} client
   * @param {import('ws').RawData} data
   * @param {boolean} isBinary
   */
  function onFrame(client, data, isBinary) {
    // ws still delivers frames that arrive after we sent a close frame.
    if (client.socket.readyState !== WebSocket.OPEN) return;
    if (!client.messageBudget.take()) {
      dropForRate(client);
      return;
    }
    const message = isBinary ? undefined : parseMessage(data);
    if (!message || !handleMessage(client, message)) counters.dropped++;
  }

  /** @param {Client} client */
  function dropForRate(client) {
    counters.dropped++;
    if (!client.dropAllowance.take()) client.socket.close(CLOSE_POLICY_VIOLATION, 'rate limit exceeded');
  }

  /**
   * Acts on one message of y-webrtc's protocol.
   * @param {Client} client
   * @param {Record<string, unknown>} message
   * @returns {boolean} false if the message was ignored in whole or in part
   */
  function handleMessage(client, message) {
    switch (message.type) {
      case 'subscribe':
        return subscribeAll(client, message.topics);
      case 'unsubscribe':
        return unsubscribeAll(client, message.topics);
      case 'publish':
        return publish(message);
      case 'ping':
        deliver(client, PONG);
        return true;
      default:
        return false;
    }
  }

  /**
   * Subscribes to every acceptable topic; names that are invalid or over the cap are skipped.
   * @param {Client} client
   * @param {unknown} topics
   */
  function subscribeAll(client, topics) {
    if (!Array.isArray(topics)) return false;
    let complete = true;
    for (const topic of topics) {
      const acceptable =
        isTopicName(topic) && (client.topics.has(topic) || client.topics.size < limits.maxTopicsPerConnection);
      if (acceptable) subscribe(client, topic);
      else complete = false;
    }
    return complete;
  }

  /**
   * @param {Client} client
   * @param {unknown} topics
   */
  function unsubscribeAll(client, topics) {
    if (!Array.isArray(topics)) return false;
    let complete = true;
    for (const topic of topics) {
      if (typeof topic === 'string') unsubscribe(client, topic);
      else complete = false;
    }
    return complete;
  }

  /**
   * Relays to every subscriber of the topic, the sender included when subscribed, with the
   * subscriber count added, as upstream does. Anyone may publish to any topic: y-webrtc
   * announces itself that way.
   * @param {Record<string, unknown>} message
   */
  function publish(message) {
    const { topic } = message;
    if (!isTopicName(topic)) return false;
    const subscribers = subscribersByTopic.get(topic);
    if (!subscribers) return true;
    const frame = JSON.stringify({ ...message, clients: subscribers.size });
    for (const subscriber of subscribers) {
      if (deliver(subscriber, frame)) counters.relayed++;
    }
    return true;
  }

  /**
   * Sends a frame unless the receiver stopped reading: its queue would otherwise grow without bound.
   * @param {Client} client
   * @param {string} frame
   * @returns {boolean} whether the frame was sent
   */
  function deliver(client, frame) {
    if (client.socket.readyState !== WebSocket.OPEN) return false;
    if (client.socket.bufferedAmount > limits.maxBufferedBytes) {
      client.socket.terminate();
      return false;
    }
    client.socket.send(frame);
    return true;
  }

  /** @param {unknown} topic @returns {topic is string} */
  function isTopicName(topic) {
    return typeof topic === 'string' && topic.length > 0 && topic.length <= limits.maxTopicLength;
  }

  /** @param {Client} client @param {string} topic */
  function subscribe(client, topic) {
    let subscribers = subscribersByTopic.get(topic);
    if (!subscribers) {
      subscribers = new Set();
      subscribersByTopic.set(topic, subscribers);
    }
    subscribers.add(client);
    client.topics.add(topic);
  }

  /** @param {Client} client @param {string} topic */
  function unsubscribe(client, topic) {
    client.topics.delete(topic);
    const subscribers = subscribersByTopic.get(topic);
    if (!subscribers) return;
    subscribers.delete(client);
    if (subscribers.size === 0) subscribersByTopic.delete(topic);
  }

  /** @param {Client} client */
  function forget(client) {
    clients.delete(client);
    for (const topic of client.topics) unsubscribe(client, topic);
  }

  // One timer for all clients: those that did not answer the previous ping are dead.
  function checkHeartbeats() {
    for (const client of clients) {
      if (!client.answeredPing) {
        client.socket.terminate();
        continue;
      }
      client.answeredPing = false;
      client.socket.ping();
    }
  }

  /** @returns {SignalingStats} */
  function stats() {
    return {
      connections,
      topics: subscribersByTopic.size,
      ...counters,
      memory: process.memoryUsage().heapUsed,
    };
  }

  function logStats() {
    const { connections, topics, relayed, dropped, refused } = stats();
    log(`connections=${connections} topics=${topics} relayed=${relayed} dropped=${dropped} refused=${refused}`);
  }

  /** @type {Promise<void> | undefined} */
  let closing;
  function close() {
    closing ??= shutDown();
    return closing;
  }

  async function shutDown() {
    clearInterval(heartbeatTimer);
    clearInterval(statsTimer);
    const serverClosed = new Promise((resolve) => server.close(resolve));
    for (const client of clients) client.socket.close(CLOSE_GOING_AWAY, 'server shutting down');
    server.closeAllConnections(); // idle HTTP keep-alive sockets
    const forceClose = setTimeout(() => {
      for (const client of clients) client.socket.terminate();
    }, SHUTDOWN_GRACE_MS);
    await serverClosed;
    clearTimeout(forceClose);
  }

  await listen(server, port, host);
  const heartbeatTimer = setInterval(checkHeartbeats, heartbeatIntervalMs);
  const statsTimer = statsIntervalMs > 0 ? setInterval(logStats, statsIntervalMs) : undefined;
  const boundPort = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return { url: `ws://${urlHost(host)}:${boundPort}`, port: boundPort, close, stats };
}

/**
 * Answers plain HTTP like upstream, so the endpoint can serve as a health check.
 * @param {http.IncomingMessage} _request
 * @param {http.ServerResponse} response
 */
function answerPlainRequest(_request, response) {
  response.writeHead(200, { 'Content-Type': 'text/plain' });
  response.end('okay');
}

/**
 * @param {import('node:stream').Duplex} socket
 * @param {number} status
 */
function refuseHandshake(socket, status) {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Parses a text frame; anything but a JSON object is no message of this protocol.
 * @param {import('ws').RawData} data
 * @returns {Record<string, unknown> | undefined}
 */
function parseMessage(data) {
  try {
    const value = JSON.parse(data.toString());
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @param {http.Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<void>}
 */
function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** @param {string} host */
function urlHost(host) {
  return host.includes(':') ? `[${host}]` : host;
}

/** @param {string} text */
function parsePort(text) {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new Error(`Invalid port: ${text}`);
  return port;
}

async function runFromCommandLine() {
  const { values } = parseArgs({ options: { host: { type: 'string' }, port: { type: 'string' } } });
  const host = values.host ?? process.env.HOST ?? '127.0.0.1';
  const port = parsePort(values.port ?? process.env.SIGNALING_PORT ?? process.env.PORT ?? '4444');
  const signaling = await startSignalingServer({ host, port });
  console.log(`Signaling server listening on ${signaling.url}`);
  const stop = () => signaling.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function isRunAsScript() {
  try {
    return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isRunAsScript()) {
  runFromCommandLine().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
