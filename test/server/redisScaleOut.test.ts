import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { startRedis } from '../../scripts/redis.mjs';
import { startSignalingServer, type SignalingServer } from '../../server/signaling.mjs';

/**
 * Several signaling servers joined through a real redis-server (Debian's, started here on a free
 * loopback port). Each server is a separate bridge with its own process id, as separate
 * processes would be; the end-to-end suite runs them as real processes.
 */

type Message = Record<string, unknown>;

let redis: Awaited<ReturnType<typeof startRedis>>;
let inspector: Redis;
const servers: SignalingServer[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  redis = await startRedis();
  inspector = new Redis(redis.url);
});

afterAll(async () => {
  inspector.disconnect();
  await redis.close();
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startBridged(label: string, redisUrl = redis.url): Promise<SignalingServer> {
  const server = await startSignalingServer({ port: 0, statsIntervalMs: 0, label, redisUrl, log: () => {} });
  servers.push(server);
  await vi.waitFor(() => expect(server.stats().redis).toBe('ready'));
  return server;
}

interface Client {
  socket: WebSocket;
  received: Message[];
  send(message: Message): void;
  roundTrip(): Promise<void>;
  publishes(): Message[];
}

async function connect(url: string): Promise<Client> {
  const socket = new WebSocket(url);
  sockets.push(socket);
  const received: Message[] = [];
  socket.on('message', (data) => received.push(JSON.parse(data.toString()) as Message));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const pongs = () => received.filter((message) => message.type === 'pong').length;
  const client: Client = {
    socket,
    received,
    send: (message) => socket.send(JSON.stringify(message)),
    async roundTrip() {
      const before = pongs();
      client.send({ type: 'ping' });
      await vi.waitFor(() => expect(pongs()).toBeGreaterThan(before), { timeout: 2000, interval: 2 });
    },
    publishes: () => received.filter((message) => message.type === 'publish'),
  };
  return client;
}

async function subscribed(url: string, topic: string): Promise<Client> {
  const client = await connect(url);
  client.send({ type: 'subscribe', topics: [topic] });
  await client.roundTrip();
  return client;
}

const channels = () => inspector.pubsub('CHANNELS') as Promise<string[]>;

describe('signaling servers joined through Redis', () => {
  it('relays a publish to subscribers on another server exactly once, and once on its own', async () => {
    const [east, west] = await Promise.all([startBridged('east'), startBridged('west')]);
    const ana = await subscribed(east.url, 'hearth-room');
    const cy = await subscribed(east.url, 'hearth-room');
    const bo = await subscribed(west.url, 'hearth-room');
    const outsider = await subscribed(west.url, 'hearth-other');

    ana.send({ type: 'publish', topic: 'hearth-room', data: 'offer-1' });

    const expected = [{ type: 'publish', topic: 'hearth-room', data: 'offer-1' }];
    await vi.waitFor(() => expect(bo.publishes()).toEqual(expected));
    await vi.waitFor(() => expect(cy.publishes()).toEqual(expected));
    // Anything still on its way (an echo, a second copy) would have arrived with these.
    bo.send({ type: 'publish', topic: 'hearth-room', data: 'answer-1' });
    await vi.waitFor(() => expect(ana.publishes()).toEqual([{ type: 'publish', topic: 'hearth-room', data: 'answer-1' }]));
    await Promise.all([bo.roundTrip(), cy.roundTrip(), outsider.roundTrip()]);
    expect(bo.publishes()).toEqual(expected);
    expect(cy.publishes()).toHaveLength(2);
    expect(outsider.publishes()).toEqual([]);
  });

  it('listens to a channel per topic only while it has local subscribers, named by the room id alone', async () => {
    const [east, west] = await Promise.all([startBridged('east'), startBridged('west')]);
    const ana = await subscribed(east.url, 'hearth-AbC_1');
    await subscribed(west.url, 'hearth-AbC_1');
    const bo = await subscribed(west.url, 'hearth-XyZ_2');

    await vi.waitFor(async () => expect((await channels()).sort()).toEqual(['hearth-AbC_1', 'hearth-XyZ_2']));
    expect(await inspector.pubsub('NUMSUB', 'hearth-AbC_1', 'hearth-XyZ_2')).toEqual(['hearth-AbC_1', 2, 'hearth-XyZ_2', 1]);

    bo.send({ type: 'unsubscribe', topics: ['hearth-XyZ_2'] });
    ana.socket.close();
    await vi.waitFor(async () => expect(await inspector.pubsub('NUMSUB', 'hearth-AbC_1', 'hearth-XyZ_2')).toEqual(['hearth-AbC_1', 1, 'hearth-XyZ_2', 0]));
    expect(await channels()).toEqual(['hearth-AbC_1']);
  });

  it('sends to Redis nothing but the room id as channel and the sender-process id beside the data', async () => {
    const east = await startBridged('east');
    const spy = new Redis(redis.url);
    const seen: [string, string][] = [];
    spy.on('message', (channel: string, message: string) => seen.push([channel, message]));
    await spy.subscribe('hearth-room');
    const ana = await subscribed(east.url, 'hearth-room');

    ana.send({ type: 'publish', topic: 'hearth-room', data: 'c2VhbGVk', clients: 7, from: 'me' });

    await vi.waitFor(() => expect(seen).toHaveLength(1));
    const [channel, message] = seen[0]!;
    const [version, origin, data, ...rest] = JSON.parse(message) as unknown[];
    expect([channel, version, data, rest]).toEqual(['hearth-room', 1, 'c2VhbGVk', []]);
    expect(origin).toMatch(/^[A-Za-z0-9_-]{16}$/);
    spy.disconnect();
  });

  it('does not relay across servers what a non-subscriber publishes, nor junk put on a channel', async () => {
    const [east, west] = await Promise.all([startBridged('east'), startBridged('west')]);
    const bo = await subscribed(west.url, 'hearth-room');
    const injector = await connect(east.url);
    await vi.waitFor(async () => expect(await channels()).toEqual(['hearth-room']));

    injector.send({ type: 'publish', topic: 'hearth-room', data: 'forged' });
    await injector.roundTrip();
    for (const junk of ['not json', '[2,"x","data"]', '[1,5,"data"]', '[1,"x",42]', '{"data":"x"}', '[1,"x","d","extra"]']) {
      await inspector.publish('hearth-room', junk);
    }
    await inspector.publish('hearth-room', JSON.stringify([1, 'another-process', 'genuine']));

    await vi.waitFor(() => expect(bo.publishes()).toEqual([{ type: 'publish', topic: 'hearth-room', data: 'genuine' }]));
    expect(east.stats().refused).toBe(1);
    expect(west.stats().refused).toBe(6);
  });

  it('keeps relaying between its own clients and says so on /healthz while Redis is down', async () => {
    const spare = await startRedis();
    const east = await startBridged('east', spare.url);
    const health = () => fetch(`${east.url.replace('ws://', 'http://')}/healthz`).then((response) => response.status);
    expect(await health()).toBe(200);

    await spare.close();

    await vi.waitFor(() => expect(east.stats().redis).toBe('down'));
    expect(await health()).toBe(503);
    const ana = await subscribed(east.url, 'hearth-room');
    const cy = await subscribed(east.url, 'hearth-room');
    ana.send({ type: 'publish', topic: 'hearth-room', data: 'still local' });
    await vi.waitFor(() => expect(cy.publishes()).toEqual([{ type: 'publish', topic: 'hearth-room', data: 'still local' }]));
  });
});
