// Figure 7: the signaling server under many simulated y-webrtc clients (plain WebSockets in this
// process, `--signaling-clients` spread over `--signaling-rooms`), one server process against two
// processes joined through a real redis-server, all in one run: relayed messages per second,
// fan-out latency (publish until each other member of the room has it, one clock), and the
// memory one idle connection costs a fresh process.
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { startRedis } from '../../scripts/redis.mjs';
import { startSignalingProcess } from '../../scripts/signalingProcess.mjs';
import { percentile } from '../lib/stats.mjs';

// The bench connects every client from 127.0.0.1; the rates stay the production defaults.
const LIMITS = JSON.stringify({ maxConnectionsPerIp: 100_000, maxConnections: 100_000 });
const CONNECT_BATCH = 100;
const LATENCY_ROUNDS = 10;
const LATENCY_ROUND_MS = 200;
const THROUGHPUT_PUBLISHES_PER_CLIENT = 20;
const QUIET_MS = 2000;

export async function signaling(ctx) {
  const { args, log } = ctx;
  const shape = { clients: args.signalingClients, rooms: args.signalingRooms };
  const redis = await startRedis();
  try {
    log(`signaling: one process, ${shape.clients} clients in ${shape.rooms} rooms`);
    const one = await measureSetup(['solo'], {}, shape);
    log('signaling: two processes behind Redis');
    const two = await measureSetup(['east', 'west'], { REDIS_URL: redis.url }, shape);
    log('signaling: memory per idle connection');
    const memory = await measureIdleMemory(shape);
    return rows(shape, one, two, memory);
  } finally {
    await redis.close();
  }
}

/** Starts the processes, connects and subscribes every client, measures, and stops everything. */
async function measureSetup(labels, env, shape) {
  const servers = await Promise.all(labels.map((label) => startSignalingProcess(label, { ...env, SIGNALING_LIMITS: LIMITS })));
  const clients = [];
  try {
    // Client i joins room i % rooms on server ⌊i / rooms⌋ % servers, so every room spans them all.
    for (let start = 0; start < shape.clients; start += CONNECT_BATCH) {
      const batch = [];
      for (let i = start; i < Math.min(start + CONNECT_BATCH, shape.clients); i++) {
        const room = i % shape.rooms;
        batch.push(connectClient(servers[Math.floor(i / shape.rooms) % servers.length].url, `bench-room-${room}`));
      }
      clients.push(...(await Promise.all(batch)));
    }
    // Publishes wait for their own process's Redis subscription; give the others' time to land.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rooms = groupByRoom(clients);
    const latencies = await measureLatency(rooms);
    const throughput = await measureThroughput(rooms, clients);
    return { latencies, ...throughput };
  } finally {
    for (const client of clients) client.socket.terminate();
    await Promise.all(servers.map((server) => server.stop()));
  }
}

/** A subscribed client; `onPublish` sees each relayed frame's data with its arrival time. */
function connectClient(url, topic) {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  const client = { socket, topic, onPublish: () => {} };
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => {
      socket.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
      socket.send(JSON.stringify({ type: 'ping' }));
    });
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString());
      if (message.type === 'pong') resolve(client);
      else if (message.type === 'publish') client.onPublish(message.data, performance.now());
    });
  });
}

function groupByRoom(clients) {
  const rooms = new Map();
  for (const client of clients) rooms.set(client.topic, [...(rooms.get(client.topic) ?? []), client]);
  return [...rooms.values()];
}

/** Resolves once `expected` deliveries arrived, or when none arrived for QUIET_MS. */
function deliveries(clients, expected, onDelivery) {
  let received = 0;
  let last = performance.now();
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (performance.now() - last > QUIET_MS) finish();
    }, 100);
    const finish = () => {
      clearInterval(timer);
      for (const client of clients) client.onPublish = () => {};
      resolve({ received, lastAt: last });
    };
    for (const client of clients) {
      client.onPublish = (data, at) => {
        onDelivery(data, at);
        received++;
        last = at;
        if (received === expected) finish();
      };
    }
  });
}

/** Paced load: every LATENCY_ROUND_MS, one member of each room publishes, spread over the round. */
async function measureLatency(rooms) {
  const clients = rooms.flat();
  const sentAt = new Map();
  const latencies = [];
  const expected = LATENCY_ROUNDS * rooms.reduce((sum, room) => sum + room.length - 1, 0);
  const done = deliveries(clients, expected, (data, at) => latencies.push(at - sentAt.get(data)));
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    const roundStart = performance.now();
    for (const [index, room] of rooms.entries()) {
      const delay = roundStart + (index * LATENCY_ROUND_MS) / rooms.length - performance.now();
      if (delay >= 1) await new Promise((resolve) => setTimeout(resolve, delay));
      const sender = room[round % room.length];
      const data = `latency-${round}-${index}`;
      sentAt.set(data, performance.now());
      sender.socket.send(JSON.stringify({ type: 'publish', topic: sender.topic, data }));
    }
    const rest = roundStart + LATENCY_ROUND_MS - performance.now();
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
  }
  const { received } = await done;
  return { values: latencies, expected, received };
}

/** Everyone publishes at once, within the per-connection burst; deliveries per second until the last. */
async function measureThroughput(rooms, clients) {
  const expected = rooms.reduce((sum, room) => sum + room.length * (room.length - 1), 0) * THROUGHPUT_PUBLISHES_PER_CLIENT;
  const done = deliveries(clients, expected, () => {});
  const start = performance.now();
  for (let n = 0; n < THROUGHPUT_PUBLISHES_PER_CLIENT; n++) {
    for (const client of clients) client.socket.send(JSON.stringify({ type: 'publish', topic: client.topic, data: `load-${n}` }));
  }
  const { received, lastAt } = await done;
  return { relayedPerSecond: received / ((lastAt - start) / 1000), throughputExpected: expected, throughputReceived: received };
}

/** RSS and heap of a fresh process before and after `clients` idle, subscribed connections. */
async function measureIdleMemory(shape) {
  const server = await startSignalingProcess('memory', { SIGNALING_LIMITS: LIMITS, SIGNALING_METRICS_TOKEN: 'bench' });
  const clients = [];
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = await sample(server);
    for (let start = 0; start < shape.clients; start += CONNECT_BATCH) {
      const batch = [];
      for (let i = start; i < Math.min(start + CONNECT_BATCH, shape.clients); i++) batch.push(connectClient(server.url, `bench-room-${i % shape.rooms}`));
      clients.push(...(await Promise.all(batch)));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = await sample(server);
    return {
      rssPerConnection: (after.rss - before.rss) / shape.clients,
      heapPerConnection: (after.heap - before.heap) / shape.clients,
    };
  } finally {
    for (const client of clients) client.socket.terminate();
    await server.stop();
  }
}

/** RSS from /proc (Linux), heap in use from the process's own /metrics. */
async function sample(server) {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const rss = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]) * 1024;
  const metrics = await fetch(`${server.url.replace('ws://', 'http://')}/metrics`, { headers: { Authorization: 'Bearer bench' } }).then((r) => r.text());
  const heap = Number(/^hearth_signaling_memory (\d+)$/m.exec(metrics)?.[1]);
  return { rss, heap };
}

function rows(shape, one, two, memory) {
  const scale = `${shape.clients} clients in ${shape.rooms} rooms`;
  const lost = (setup) => setup.latencies.expected - setup.latencies.received + setup.throughputExpected - setup.throughputReceived;
  const note = `Hearth column: two processes behind Redis, every room spread over both. Clients are plain WebSockets in the bench process (its CPU counts too); deliveries missing: ${lost(two)} (two), ${lost(one)} (one)`;
  const rate = (value) => `${Math.round(value).toLocaleString('en')} msg/s`;
  const ms = (values, p) => percentile(values, p);
  return [
    {
      id: 'signaling-relayed',
      figure: `Signaling relayed messages/s, ${scale}`,
      unit: 'msg/s',
      hearth: two.relayedPerSecond,
      baseline: one.relayedPerSecond,
      display: { hearth: rate(two.relayedPerSecond), baseline: rate(one.relayedPerSecond) },
      goal: null,
      baselineName: 'one process',
      note: `${THROUGHPUT_PUBLISHES_PER_CLIENT} publishes from every client at once, each delivered to the other members of its room. ${note}`,
    },
    ...[50, 99].map((p) => ({
      id: `signaling-fanout-p${p}`,
      figure: `Signaling fan-out latency p${p}, ${scale}`,
      unit: 'ms',
      hearth: ms(two.latencies.values, p),
      baseline: ms(one.latencies.values, p),
      goal: null,
      baselineName: 'one process',
      note: `one publish per room every ${LATENCY_ROUND_MS} ms for ${LATENCY_ROUNDS} rounds, until each other member has it`,
    })),
    {
      id: 'signaling-idle-connection',
      figure: 'Signaling memory per idle connection (RSS)',
      unit: 'bytes',
      hearth: memory.rssPerConnection,
      baseline: null,
      display: { hearth: `${(memory.rssPerConnection / 1024).toFixed(1)} KiB`, baseline: '–' },
      goal: null,
      note: `a fresh process, ${shape.clients} subscribed connections; heap ${(memory.heapPerConnection / 1024).toFixed(1)} KiB of it`,
    },
  ];
}
