#!/usr/bin/env node
// Hearth's signaling server: the WebSocket pub/sub protocol of y-webrtc 10.3 (bin/server.js),
// with every client treated as hostile (docs/PROTOCOL.md §9). It binds to loopback by default;
// only subscribers may publish to a topic; it caps frames, topics, connections and message rates
// per connection and per topic; it relays only y-webrtc's fields; a slow receiver loses frames
// (counted) rather than its connection; and it logs counters only: topics (room ids), payloads
// (SDP) and addresses never reach the log. With a Redis URL, several processes serve one network.
import http from 'node:http';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocket, WebSocketServer } from 'ws';
import { createRedisBridge, isPublishData } from './redisBridge.mjs';
import { answerHttp, formatMetrics } from './signalingHttp.mjs';
import { createAddressCounter, createTokenBucket, isTopicName, resolveLimits } from './signalingLimits.mjs';
import { createTopicRegistry } from './topicRegistry.mjs';

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
 * @property {number} topics topics with at least one local subscriber
 * @property {number} relayed frames sent to subscribers since start
 * @property {number} dropped frames not sent to a receiver whose queue was full, since start
 * @property {number} refused incoming frames refused in whole or in part since start (malformed,
 *   bad topic, publish without subscription, over a rate or topic cap)
 * @property {number} refusedConnections connections refused by the connection caps since start
 * @property {'off' | 'ready' | 'down'} redis state of the Redis bridge
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
 * @property {string} [label] names this process in its log lines
 * @property {string} [redisUrl] joins the processes that share this Redis server
 * @property {string} [metricsToken] serves /metrics on the public port to `Authorization: Bearer <token>`
 * @property {number} [metricsPort] serves /metrics and /healthz on a second port, without a token
 * @property {string} [metricsHost] interface of that port; loopback unless deliberately exposed
 * @property {boolean} [trustProxy] behind a TLS proxy on this machine: count connections per the
 *   address the proxy appended to X-Forwarded-For, not per the proxy's own loopback address
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
  log: writeLine = console.log,
  label = `pid-${process.pid}`,
  redisUrl,
  metricsToken,
  metricsPort,
  metricsHost = '127.0.0.1',
  trustProxy = false,
  onFrame: captureFrame,
} = {}) {
  const limits = resolveLimits(limitOverrides);
  const counters = { relayed: 0, dropped: 0, refused: 0, refusedConnections: 0 };
  /** Timestamped and labelled; callers pass counts and states only. @param {string} text */
  const log = (text) => writeLine(`${new Date().toISOString()} signaling[${label}] ${text}`);
  const bridge = redisUrl
    ? createRedisBridge({
        url: redisUrl,
        onMessage: relayFromBridge,
        onProblem: () => counters.refused++,
        onReadyChange: (ready) => log(`redis ${ready ? 'ready' : 'down'}`),
      })
    : undefined;
  /** @type {ReturnType<typeof createTopicRegistry<Client>>} */
  const registry = createTopicRegistry({
    publishesPerSecond: limits.publishesPerTopicPerSecond,
    publishBurst: limits.publishBurstPerTopic,
    onOpened: (topic) => bridge?.subscribe(topic),
    onClosed: (topic) => bridge?.unsubscribe(topic),
  });
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
  const health = () => !bridge || bridge.ready;
  const metrics = () => formatMetrics(stats());
  const server = http.createServer({ headersTimeout: HANDSHAKE_TIMEOUT_MS }, (request, response) =>
    answerHttp(request, response, { health, metrics, metricsToken }),
  );
  server.on('upgrade', onUpgrade);
  const metricsServer =
    metricsPort === undefined
      ? undefined
      : http.createServer({ headersTimeout: HANDSHAKE_TIMEOUT_MS }, (request, response) =>
          answerHttp(request, response, { health, metrics, metricsOpen: true }),
        );

  /**
   * @param {http.IncomingMessage} request
   * @param {import('node:stream').Duplex} socket
   * @param {Buffer} head
   */
  function onUpgrade(request, socket, head) {
    socket.on('error', ignore); // a reset during the handshake must not crash the server
    const address = clientAddress(request, trustProxy);
    const refusal = refusalStatus(address);
    if (refusal) {
      counters.refusedConnections++;
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
      refuseForRate(client);
      return;
    }
    const message = isBinary ? undefined : parseMessage(data);
    if (!message || !handleMessage(client, message)) counters.refused++;
  }

  /** @param {Client} client */
  function refuseForRate(client) {
    counters.refused++;
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
        return publish(client, message);
      case 'ping':
        // Never dropped: it answers the client's own (rate-limited) frame, and tells it the queue drained.
        client.socket.send(PONG);
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
        isTopicName(topic, limits) &&
        (client.topics.has(topic) || client.topics.size < limits.maxTopicsPerConnection);
      if (acceptable) registry.subscribe(client, topic);
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
      if (typeof topic === 'string') registry.unsubscribe(client, topic);
      else complete = false;
    }
    return complete;
  }

  /**
   * Relays a publish from one of the topic's own subscribers to the others, here and through
   * Redis. A client that is not subscribed cannot publish: y-webrtc always subscribes first, so
   * only someone injecting into a room without listening to it is refused.
   * @param {Client} client
   * @param {Record<string, unknown>} message
   */
  function publish(client, message) {
    const { topic, data } = message;
    if (typeof topic !== 'string' || !client.topics.has(topic) || !isPublishData(data)) return false;
    const entry = registry.get(topic);
    if (!entry?.publishBudget.take()) return false;
    relayLocally(topic, data, client);
    bridge?.publish(topic, data);
    return true;
  }

  /** @param {string} topic @param {unknown} data */
  function relayFromBridge(topic, data) {
    if (registry.get(topic)) relayLocally(topic, data, undefined);
  }

  /**
   * Sends y-webrtc's three fields and nothing else: no subscriber count, nothing a sender added.
   * @param {string} topic
   * @param {unknown} data
   * @param {Client | undefined} sender not sent its own publish back
   */
  function relayLocally(topic, data, sender) {
    const subscribers = registry.get(topic)?.subscribers;
    if (!subscribers) return;
    const frame = JSON.stringify({ type: 'publish', topic, data });
    for (const subscriber of subscribers) {
      if (subscriber !== sender && deliver(subscriber, frame)) counters.relayed++;
    }
  }

  /**
   * Sends a frame unless the receiver's queue is full: that receiver misses this frame (counted)
   * and keeps its connection, so a flood elsewhere cannot get honest members disconnected. A
   * receiver that stopped reading altogether fails the heartbeat.
   * @param {Client} client
   * @param {string} frame
   * @returns {boolean} whether the frame was sent
   */
  function deliver(client, frame) {
    if (client.socket.readyState !== WebSocket.OPEN) return false;
    if (client.socket.bufferedAmount > limits.maxBufferedBytes) {
      counters.dropped++;
      return false;
    }
    client.socket.send(frame);
    return true;
  }

  /** @param {Client} client */
  function forget(client) {
    clients.delete(client);
    registry.forget(client);
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
      topics: registry.size,
      ...counters,
      redis: bridge ? (bridge.ready ? 'ready' : 'down') : 'off',
      memory: process.memoryUsage().heapUsed,
    };
  }

  function logStats() {
    const { connections, topics, relayed, dropped, refused, refusedConnections } = stats();
    log(
      `stats connections=${connections} topics=${topics} relayed=${relayed} dropped=${dropped} ` +
        `refused=${refused} refusedConnections=${refusedConnections}`,
    );
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
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    const forceClose = setTimeout(() => {
      for (const client of clients) client.socket.terminate();
    }, SHUTDOWN_GRACE_MS);
    await serverClosed;
    clearTimeout(forceClose);
    bridge?.close();
  }

  await listen(server, port, host);
  if (metricsServer) await listen(metricsServer, metricsPort ?? 0, metricsHost);
  const heartbeatTimer = setInterval(checkHeartbeats, heartbeatIntervalMs);
  const statsTimer = statsIntervalMs > 0 ? setInterval(logStats, statsIntervalMs) : undefined;
  const boundPort = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const boundMetricsPort = metricsServer
    ? /** @type {import('node:net').AddressInfo} */ (metricsServer.address()).port
    : undefined;
  return {
    url: `ws://${urlHost(host)}:${boundPort}`,
    port: boundPort,
    metricsUrl: boundMetricsPort === undefined ? undefined : `http://${urlHost(metricsHost)}:${boundMetricsPort}`,
    close,
    stats,
  };
}

/**
 * The address the per-address cap counts. Only a proxy on loopback is believed, and only the
 * entry it appended itself (the last): earlier entries are whatever the client claimed.
 * @param {http.IncomingMessage} request
 * @param {boolean} trustProxy
 */
function clientAddress(request, trustProxy) {
  const peer = request.socket.remoteAddress ?? 'unknown';
  const forwarded = request.headers['x-forwarded-for'];
  if (!trustProxy || typeof forwarded !== 'string' || !isLoopback(peer)) return peer;
  return forwarded.split(',').at(-1)?.trim() || peer;
}

/** @param {string} address */
function isLoopback(address) {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
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

/**
 * Options from the command line and the environment; secrets (the metrics token, a Redis
 * password inside REDIS_URL) come from the environment only, so they do not show in `ps`.
 */
/**
 * SIGNALING_LIMITS: a JSON object of limit overrides, e.g. {"maxConnections":4096}; startSignalingServer checks the values.
 * @param {string | undefined} text
 * @returns {Partial<SignalingLimits> | undefined}
 */
function parseLimits(text) {
  if (!text) return undefined;
  const value = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('SIGNALING_LIMITS must be a JSON object');
  return value;
}

async function runFromCommandLine() {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      label: { type: 'string' },
      'metrics-port': { type: 'string' },
    },
  });
  const env = process.env;
  const host = values.host ?? env.HOST ?? '127.0.0.1';
  const port = parsePort(values.port ?? env.SIGNALING_PORT ?? env.PORT ?? '4444');
  const metricsPortText = values['metrics-port'] ?? env.SIGNALING_METRICS_PORT;
  const signaling = await startSignalingServer({
    host,
    port,
    label: values.label ?? env.SIGNALING_LABEL,
    redisUrl: env.REDIS_URL || undefined,
    metricsToken: env.SIGNALING_METRICS_TOKEN || undefined,
    metricsPort: metricsPortText === undefined ? undefined : parsePort(metricsPortText),
    limits: parseLimits(env.SIGNALING_LIMITS),
    trustProxy: env.SIGNALING_TRUST_PROXY === '1',
  });
  console.log(`Signaling server listening on ${signaling.url}`);
  if (signaling.metricsUrl) console.log(`Metrics on ${signaling.metricsUrl}/metrics`);
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
