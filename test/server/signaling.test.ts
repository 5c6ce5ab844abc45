import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, type ClientOptions } from 'ws';
import {
  startSignalingServer,
  type SignalingServer,
  type SignalingServerOptions,
} from '../../server/signaling.mjs';

type Message = Record<string, unknown>;

interface TestClient {
  socket: WebSocket;
  received: Message[];
  closed: Promise<number>;
  send(message: unknown): void;
  /** Resolves once the server has answered a ping, so it has processed everything sent before. */
  roundTrip(): Promise<void>;
  publishes(): Message[];
}

const servers: SignalingServer[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startServer(options: SignalingServerOptions = {}): Promise<SignalingServer> {
  const server = await startSignalingServer({ port: 0, statsIntervalMs: 0, ...options });
  servers.push(server);
  return server;
}

function connect(url: string, options: ClientOptions = {}): Promise<TestClient> {
  const socket = new WebSocket(url, options);
  sockets.push(socket);
  const received: Message[] = [];
  const closed = new Promise<number>((resolve) => socket.on('close', resolve));
  socket.on('message', (data) => received.push(JSON.parse(data.toString()) as Message));
  const pongs = () => received.filter((message) => message.type === 'pong').length;
  const client: TestClient = {
    socket,
    received,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    async roundTrip() {
      const before = pongs();
      client.send({ type: 'ping' });
      await vi.waitFor(() => expect(pongs()).toBeGreaterThan(before), { timeout: 2000, interval: 2 });
    },
    publishes: () => received.filter((message) => message.type === 'publish'),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('error', reject);
  });
}

async function subscribedClient(url: string, topic: string): Promise<TestClient> {
  const client = await connect(url);
  client.send({ type: 'subscribe', topics: [topic] });
  await client.roundTrip();
  return client;
}

/** Two fresh clients on a fresh topic can still reach each other. */
async function expectRelayWorks(url: string): Promise<void> {
  const topic = `honest-${Math.random()}`;
  const alice = await subscribedClient(url, topic);
  const bob = await subscribedClient(url, topic);
  alice.send({ type: 'publish', topic, data: 'hello' });
  await vi.waitFor(() => expect(bob.publishes()).toEqual([{ type: 'publish', topic, data: 'hello' }]));
  alice.socket.close();
  bob.socket.close();
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('signaling server protocol (y-webrtc 10.3)', () => {
  it('relays a publish to the other subscribers of its topic, not back to the sender', async () => {
    const server = await startServer();
    const alice = await subscribedClient(server.url, 'room-a');
    const bob = await subscribedClient(server.url, 'room-a');
    const carol = await subscribedClient(server.url, 'room-a');
    const outsider = await subscribedClient(server.url, 'room-b');

    alice.send({ type: 'publish', topic: 'room-a', data: 'c2RwLW9mZmVy' });

    const expected = { type: 'publish', topic: 'room-a', data: 'c2RwLW9mZmVy' };
    await vi.waitFor(() => expect(bob.publishes()).toEqual([expected]));
    await vi.waitFor(() => expect(carol.publishes()).toEqual([expected]));
    await Promise.all([alice.roundTrip(), outsider.roundTrip()]);
    expect(alice.publishes()).toEqual([]);
    expect(outsider.publishes()).toEqual([]);
    expect(server.stats().relayed).toBe(2);
  });

  it("relays y-webrtc's unencrypted signaling object as data (a room without a password)", async () => {
    const server = await startServer();
    const alice = await subscribedClient(server.url, 'room');
    const bob = await subscribedClient(server.url, 'room');

    alice.send({ type: 'publish', topic: 'room', data: { type: 'announce', from: 'peer-1' } });

    await vi.waitFor(() =>
      expect(bob.publishes()).toEqual([{ type: 'publish', topic: 'room', data: { type: 'announce', from: 'peer-1' } }]),
    );
  });

  it('answers ping with pong', async () => {
    const server = await startServer();
    const client = await connect(server.url);
    await client.roundTrip();
    expect(client.received).toEqual([{ type: 'pong' }]);
  });

  it('stops delivering to a client after it unsubscribes and forgets topics left without subscribers', async () => {
    const server = await startServer();
    const alice = await subscribedClient(server.url, 'room');
    const bob = await subscribedClient(server.url, 'room');

    const carol = await subscribedClient(server.url, 'room');
    bob.send({ type: 'unsubscribe', topics: ['room'] });
    await bob.roundTrip();
    alice.send({ type: 'publish', topic: 'room', data: 'after' });
    await vi.waitFor(() => expect(carol.publishes()).toHaveLength(1));
    // The server wrote any publish for bob before answering this ping.
    await bob.roundTrip();

    expect(bob.publishes()).toEqual([]);
    alice.send({ type: 'unsubscribe', topics: ['room'] });
    carol.send({ type: 'unsubscribe', topics: ['room'] });
    await Promise.all([alice.roundTrip(), carol.roundTrip()]);
    expect(server.stats().topics).toBe(0);
  });

  it('forgets the topics of a client when it disconnects', async () => {
    const server = await startServer();
    const client = await connect(server.url);
    client.send({ type: 'subscribe', topics: ['one', 'two', 'three'] });
    await client.roundTrip();
    expect(server.stats().topics).toBe(3);

    client.socket.close();

    await vi.waitFor(() => expect(server.stats()).toMatchObject({ topics: 0, connections: 0 }));
  });
});

describe('signaling server against hostile input', () => {
  it('closes a connection that sends a frame over maxPayload and keeps serving honest clients', async () => {
    const server = await startServer({ limits: { maxPayload: 1024 } });
    const honest = await subscribedClient(server.url, 'room');
    const attacker = await connect(server.url);

    attacker.send({ type: 'publish', topic: 'room', data: 'x'.repeat(2000) });

    expect(await attacker.closed).toBe(1009);
    await honest.roundTrip();
    expect(honest.publishes()).toEqual([]);
    await expectRelayWorks(server.url);
  });

  it('drops malformed frames without closing the sender or anyone else', async () => {
    const server = await startServer();
    const honest = await subscribedClient(server.url, 'room');
    const sender = await subscribedClient(server.url, 'room');
    const malformed: unknown[] = [
      'not json',
      '{"type":"subscribe","topics":[',
      'null',
      '[]',
      '[{"type":"ping"}]',
      '42',
      '"ping"',
      'true',
      {},
      { type: 5 },
      { type: 'no-such-type' },
      { type: 'subscribe' },
      { type: 'subscribe', topics: 'room' },
      { type: 'subscribe', topics: { 0: 'room' } },
      { type: 'subscribe', topics: [1, null, {}, ['room'], ''] },
      { type: 'subscribe', topics: ['x'.repeat(129)] },
      { type: 'unsubscribe', topics: null },
      { type: 'unsubscribe', topics: [42] },
      { type: 'publish' },
      { type: 'publish', topic: 5, data: 'x' },
      { type: 'publish', topic: ['room'], data: 'x' },
      { type: 'publish', topic: 'x'.repeat(129), data: 'x' },
      { type: 'publish', topic: 'room', data: 42 },
      { type: 'publish', topic: 'room', data: ['x'] },
      '{"__proto__":{"type":"ping"}}',
    ];

    for (const frame of malformed) sender.send(frame);
    sender.socket.send(Buffer.from([0xff, 0x00, 0x7b]));
    sender.socket.send(Buffer.from(JSON.stringify({ type: 'ping' })), { binary: true });
    await sender.roundTrip();

    expect(sender.received.filter((message) => message.type !== 'pong')).toEqual([]);
    expect(server.stats()).toMatchObject({ topics: 1, relayed: 0, refused: malformed.length + 2 });
    expect(({} as Record<string, unknown>).type).toBeUndefined();
    await honest.roundTrip();
    expect(honest.publishes()).toEqual([]);
    await expectRelayWorks(server.url);
  });

  it('caps the topics one connection may subscribe to, across 1,000 attempts', async () => {
    const limits = { maxTopicsPerConnection: 16, messagesPerSecond: 100_000, messageBurst: 2000 };
    const server = await startServer({ limits });
    const attacker = await connect(server.url);

    for (let i = 0; i < 1000; i++) attacker.send({ type: 'subscribe', topics: [`topic-${i}`] });
    attacker.send({ type: 'subscribe', topics: Array.from({ length: 1000 }, (_, i) => `bulk-${i}`) });
    await attacker.roundTrip();

    expect(server.stats()).toMatchObject({ topics: 16, refused: 1000 - 16 + 1 });
    expect(server.stats().memory).toBeGreaterThan(0);
    // Topics it already holds stay usable.
    const listener = await subscribedClient(server.url, 'topic-0');
    listener.send({ type: 'publish', topic: 'topic-0', data: 'still here' });
    await vi.waitFor(() => expect(attacker.publishes()).toHaveLength(1));
    await expectRelayWorks(server.url);

    attacker.socket.close();
    await vi.waitFor(() => expect(server.stats().topics).toBe(1)); // the listener's
  });

  it('refuses connections from one address beyond the per-address cap and frees slots as clients leave', async () => {
    const server = await startServer({ limits: { maxConnectionsPerIp: 3 } });
    const admitted = await Promise.all([connect(server.url), connect(server.url), connect(server.url)]);

    await expect(connect(server.url)).rejects.toThrow(/429/);
    expect(server.stats()).toMatchObject({ connections: 3, refusedConnections: 1 });
    for (const client of admitted) await client.roundTrip();

    admitted[0]!.socket.close();
    await vi.waitFor(() => expect(server.stats().connections).toBe(2));
    const latecomer = await connect(server.url);
    await latecomer.roundTrip();
  });

  it('behind a trusted proxy, caps connections per forwarded address, believing only the entry the proxy appended', async () => {
    const server = await startServer({ limits: { maxConnectionsPerIp: 2 }, trustProxy: true });
    const via = (chain: string) => connect(server.url, { headers: { 'X-Forwarded-For': chain } });
    await via('203.0.113.7');
    await via('198.51.100.1, 203.0.113.7');

    await expect(via('10.9.9.9, 203.0.113.7')).rejects.toThrow(/429/);
    const other = await via('203.0.113.7, 192.0.2.44');
    await other.roundTrip();
  });

  it('ignores X-Forwarded-For unless told a proxy is in front', async () => {
    const server = await startServer({ limits: { maxConnectionsPerIp: 1 } });
    await connect(server.url, { headers: { 'X-Forwarded-For': '192.0.2.1' } });

    await expect(connect(server.url, { headers: { 'X-Forwarded-For': '192.0.2.2' } })).rejects.toThrow(/429/);
  });

  it('refuses connections beyond the total cap', async () => {
    const server = await startServer({ limits: { maxConnections: 2 } });
    const first = await connect(server.url);
    await connect(server.url);

    await expect(connect(server.url)).rejects.toThrow(/503/);
    await first.roundTrip();
  });

  it('drops frames over the rate limit but keeps a client that only bursts', async () => {
    const limits = { messagesPerSecond: 20, messageBurst: 10, dropsBeforeClose: 20 };
    const server = await startServer({ limits });
    const listener = await subscribedClient(server.url, 'room');
    const burster = await subscribedClient(server.url, 'room');

    for (let i = 0; i < 15; i++) burster.send({ type: 'publish', topic: 'room', data: `frame-${i}` });
    await wait(100); // refill a token for the ping

    await burster.roundTrip();
    expect(server.stats().refused).toBeGreaterThan(0);
    expect(listener.publishes().length).toBeLessThan(15);
  });

  it('closes a connection that keeps flooding with 1008 and relays only its allowance', async () => {
    const limits = { messagesPerSecond: 20, messageBurst: 10, dropsBeforeClose: 20 };
    const server = await startServer({ limits });
    const listener = await subscribedClient(server.url, 'room');
    const flooder = await connect(server.url);
    flooder.send({ type: 'subscribe', topics: ['room'] });

    for (let i = 0; i < 500; i++) flooder.send({ type: 'publish', topic: 'room', data: `frame-${i}` });

    expect(await flooder.closed).toBe(1008);
    await listener.roundTrip();
    expect(listener.publishes().length).toBeGreaterThanOrEqual(9);
    expect(listener.publishes().length).toBeLessThan(20); // the burst plus a little refill
    expect(server.stats().refused).toBeGreaterThanOrEqual(20);
    await expectRelayWorks(server.url);
  });

  it('drops frames for a receiver that stops reading, counted, and keeps its connection', async () => {
    const limits = { maxBufferedBytes: 64 * 1024, messagesPerSecond: 100_000, messageBurst: 100_000, publishBurstPerTopic: 100_000 };
    const server = await startServer({ limits });
    const stalled = await subscribedClient(server.url, 'room');
    const stalledSocket = (stalled.socket as unknown as { _socket: Socket })._socket;
    stalledSocket.pause();
    const publisher = await subscribedClient(server.url, 'room');
    const frame = { type: 'publish', topic: 'room', data: 'x'.repeat(60 * 1024) };

    // Loopback kernel buffers absorb a few MiB before the server has to queue.
    for (let batch = 0; batch < 50 && server.stats().dropped === 0; batch++) {
      for (let i = 0; i < 20; i++) publisher.send(frame);
      await publisher.roundTrip();
    }

    expect(server.stats()).toMatchObject({ connections: 2, topics: 1 });
    expect(server.stats().dropped).toBeGreaterThan(0);
    stalledSocket.resume();
    await stalled.roundTrip();
    expect(stalled.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('terminates a client that stops answering heartbeat pings and keeps the ones that answer', async () => {
    const server = await startServer({ heartbeatIntervalMs: 50 });
    const honest = await connect(server.url);
    const silent = await connect(server.url, { autoPong: false });

    expect(await silent.closed).toBe(1006);
    await wait(250); // several heartbeats
    await honest.roundTrip();
    expect(server.stats().connections).toBe(1);
  });
});

describe('signaling server rules against members and outsiders', () => {
  it('does not relay a publish from a client that is not subscribed to the topic', async () => {
    const server = await startServer();
    const member = await subscribedClient(server.url, 'room');
    const injector = await connect(server.url);

    injector.send({ type: 'publish', topic: 'room', data: 'forged-offer' });
    await injector.roundTrip();
    await member.roundTrip();

    expect(member.publishes()).toEqual([]);
    expect(server.stats()).toMatchObject({ relayed: 0, refused: 1 });
    await expectRelayWorks(server.url);
  });

  it('rate-limits flooding subscribers while honest subscribers stay connected and keep receiving', async () => {
    const server = await startServer();
    const alice = await subscribedClient(server.url, 'room');
    const bob = await subscribedClient(server.url, 'room');
    const flooders = await Promise.all(Array.from({ length: 4 }, () => subscribedClient(server.url, 'room')));
    const junk = 'j'.repeat(16 * 1024);

    for (const flooder of flooders) for (let i = 0; i < 400; i++) flooder.send({ type: 'publish', topic: 'room', data: junk });
    const closes = await Promise.all(flooders.map((flooder) => flooder.closed));
    alice.send({ type: 'publish', topic: 'room', data: 'after the flood' });

    expect(closes).toEqual([1008, 1008, 1008, 1008]);
    expect(server.stats().refused).toBeGreaterThanOrEqual(4 * 100);
    const heard = () => bob.publishes().filter((message) => message.data !== junk);
    await vi.waitFor(() => expect(heard()).toEqual([{ type: 'publish', topic: 'room', data: 'after the flood' }]));
    // Each flooder got its burst relayed and no more; the honest members were never cut off.
    expect(bob.publishes().length - 1).toBeLessThanOrEqual(4 * 110);
    expect([alice.socket.readyState, bob.socket.readyState]).toEqual([WebSocket.OPEN, WebSocket.OPEN]);
    expect(server.stats()).toMatchObject({ connections: 2, topics: 1 });
  });

  it('limits publishes into one topic across all of its senders', async () => {
    const limits = { publishBurstPerTopic: 10, publishesPerTopicPerSecond: 1 };
    const server = await startServer({ limits });
    const listener = await subscribedClient(server.url, 'room');
    const senders = await Promise.all(Array.from({ length: 5 }, () => subscribedClient(server.url, 'room')));

    for (const sender of senders) for (let i = 0; i < 5; i++) sender.send({ type: 'publish', topic: 'room', data: `n${i}` });
    await Promise.all(senders.map((sender) => sender.roundTrip()));
    await listener.roundTrip();

    expect(listener.publishes()).toHaveLength(10);
    expect(server.stats().refused).toBe(15);
  });

  it('relays only type, topic and data: no subscriber count, nothing a sender added', async () => {
    const server = await startServer();
    const alice = await subscribedClient(server.url, 'room');
    const bob = await subscribedClient(server.url, 'room');

    alice.send({ type: 'publish', topic: 'room', data: 'offer', clients: 99, from: 'server', note: { admin: true } });

    await vi.waitFor(() => expect(bob.publishes()).toHaveLength(1));
    expect(bob.received.filter((message) => message.type === 'publish')).toEqual([{ type: 'publish', topic: 'room', data: 'offer' }]);
    expect(Object.keys(bob.publishes()[0]!)).toEqual(['type', 'topic', 'data']);
  });

  it('refuses malformed topic names on subscribe and publish and keeps the connection', async () => {
    const server = await startServer();
    const client = await connect(server.url);
    const malformed = ['', 'room with spaces', 'room/../admin', 'zürich', '<script>', 'room\n', 'x'.repeat(129), 'hearth-\u0000'];

    client.send({ type: 'subscribe', topics: malformed });
    for (const topic of malformed) client.send({ type: 'publish', topic, data: 'x' });
    await client.roundTrip();

    expect(server.stats()).toMatchObject({ topics: 0, relayed: 0, refused: 1 + malformed.length });
    client.send({ type: 'subscribe', topics: ['hearth-AbC_09-x.y:z', 'x'.repeat(128)] });
    await client.roundTrip();
    expect(server.stats().topics).toBe(2);
  });
});

describe('signaling server health and metrics', () => {
  it('answers /healthz on the public port and nothing else there without a token', async () => {
    const server = await startServer();
    const base = server.url.replace('ws://', 'http://');

    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { headers: { Authorization: 'Bearer guess' } })).status).toBe(404);
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('serves counts on /metrics to the bearer of the metrics token', async () => {
    const server = await startServer({ metricsToken: 'operator-token-1' });
    const client = await subscribedClient(server.url, 'secret-room');
    client.send({ type: 'publish', topic: 'other-room', data: 'x' });
    await client.roundTrip();

    const response = await fetch(`${server.url.replace('ws://', 'http://')}/metrics`, {
      headers: { Authorization: 'Bearer operator-token-1' },
    });
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(text).toMatch(/^hearth_signaling_connections 1$/m);
    expect(text).toMatch(/^hearth_signaling_topics 1$/m);
    expect(text).toMatch(/^hearth_signaling_relayed_total 0$/m);
    expect(text).toMatch(/^hearth_signaling_dropped_total 0$/m);
    expect(text).toMatch(/^hearth_signaling_refused_total 1$/m);
    expect(text).toMatch(/^hearth_signaling_redis_up -1$/m);
    expect(text).not.toMatch(/room|127\.0\.0\.1/);
  });

  it('serves /metrics and /healthz without a token on a separate loopback port', async () => {
    const server = await startServer({ metricsPort: 0 });
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    expect((await fetch(`${server.metricsUrl}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${server.metricsUrl}/metrics`)).text()).toMatch(/^hearth_signaling_connections 0$/m);
    await server.close();
    await expect(fetch(`${server.metricsUrl}/healthz`)).rejects.toThrow();
  });
});

describe('signaling server operation', () => {
  it('logs only counters: never topic names, payloads or addresses', async () => {
    const lines: string[] = [];
    const server = await startServer({ statsIntervalMs: 10, label: 'east-1', log: (line) => lines.push(line) });
    const alice = await subscribedClient(server.url, 'secret-topic-c0ffee');
    await subscribedClient(server.url, 'secret-topic-c0ffee');
    alice.send({ type: 'publish', topic: 'secret-topic-c0ffee', data: 'secret-payload-decaf' });
    alice.send('{"secret-garbage"');
    alice.send({ type: 'subscribe', topics: ['secret-long-'.repeat(20)] });
    await alice.roundTrip();
    const linesBefore = lines.length;

    await vi.waitFor(() => expect(lines.length).toBeGreaterThan(linesBefore + 1));

    const shape =
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z signaling\[east-1\] stats connections=\d+ topics=\d+ relayed=\d+ dropped=\d+ refused=\d+ refusedConnections=\d+$/;
    for (const line of lines) expect(line).toMatch(shape);
    expect(lines.at(-1)).toMatch(/ connections=2 topics=1 relayed=1 dropped=0 refused=2 refusedConnections=0$/);
    expect(lines.join('\n')).not.toMatch(/secret|127\.0\.0\.1/);
  });

  it('logs nothing when the counters line is disabled', async () => {
    const log = vi.fn();
    const server = await startServer({ statsIntervalMs: 0, log });
    const client = await connect(server.url);
    await client.roundTrip();
    await wait(50);
    expect(log).not.toHaveBeenCalled();
  });

  it('listens on 127.0.0.1 by default and reports its url and port', async () => {
    const server = await startServer();
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('closes every connection with 1001 and stops listening on close()', async () => {
    const server = await startServer();
    const client = await connect(server.url);

    await server.close();

    expect(await client.closed).toBe(1001);
    await expect(connect(server.url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('runs as a script: announces its url, serves clients and exits cleanly on SIGTERM', async () => {
    const script = fileURLToPath(new URL('../../server/signaling.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (text: string) => {
        const match = /^Signaling server listening on (ws:\/\/127\.0\.0\.1:\d+)$/m.exec(text);
        if (match) resolve(match[1]!);
      });
      child.on('exit', () => reject(new Error('signaling server exited early')));
    });

    const client = await connect(url);
    await client.roundTrip();
    child.kill('SIGTERM');

    expect(await exited).toBe(0);
    expect(await client.closed).toBe(1001);
  });
});
