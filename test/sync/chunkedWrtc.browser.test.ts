import * as Y from 'yjs';
import {
  ChunkedChannelError,
  ChunkedChannelErrorEvent,
  ChunkedDataChannel,
  HearthMessageEvent,
  chunkedChannelStats,
} from '../../src/sync/chunkedDataChannel.js';
import { ChunkedChannelTransport } from '../../src/sync/chunkedChannelTransport.js';
import type { PeerLink } from '../../src/sync/peerTransport.js';
import { chunkedWrtc, type ChunkedWrtcOptions, type WrtcImplementation } from '../../src/sync/chunkedWrtc.js';
import { bytesEqual, ready } from '../../crypto/index.js';
import { isRoomProofMessage } from '../../src/sync/roomProof.js';
import { AnsweringLinks, ProvenLinks } from '../../src/sync/roomProofLinks.js';
import { GROUP_ID, identityFromSeed } from '../fixtures/group.js';

// Mocha's globals, provided by @web/test-runner.
declare function describe(name: string, body: (this: { timeout(ms: number): void }) => void): void;
declare function it(name: string, body: () => Promise<void>): void;
declare function afterEach(body: () => void): void;

const KiB = 1024;
const MiB = 1024 * KiB;

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function patternBytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) bytes[i] = (i * 31 + (i >>> 8) * 7 + seed) & 0xff;
  return bytes;
}

function assertSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assert(actual.byteLength === expected.byteLength, `${what}: ${actual.byteLength} bytes, expected ${expected.byteLength}`);
  for (let i = 0; i < expected.byteLength; i += 1) {
    assert(actual[i] === expected[i], `${what}: byte ${i} differs`);
  }
}

function nextEvent<E extends Event = Event>(target: EventTarget, type: string, timeoutMs = 20_000): Promise<E> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeoutMs} ms`)), timeoutMs);
    target.addEventListener(type, (event) => {
      clearTimeout(timer);
      resolve(event as E);
    }, { once: true });
  });
}

/** Records what the real channels are asked to send, beneath the chunking. */
const realSends = { calls: 0, maxBytes: 0, maxBufferedAfter: 0, failNext: false };
const nativeSend = RTCDataChannel.prototype.send;
RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: string | Blob | ArrayBuffer | ArrayBufferView) {
  if (realSends.failNext) {
    realSends.failNext = false;
    throw new DOMException('simulated send failure', 'OperationError');
  }
  realSends.calls += 1;
  const bytes = typeof data === 'string' ? data.length : data instanceof Blob ? data.size : data.byteLength;
  realSends.maxBytes = Math.max(realSends.maxBytes, bytes);
  // The overloads can't take a union; the instrumented call passes through what it was given.
  (nativeSend as (this: RTCDataChannel, data: unknown) => void).call(this, data);
  realSends.maxBufferedAfter = Math.max(realSends.maxBufferedAfter, this.bufferedAmount);
} as typeof nativeSend;

/** Two peer connections in this page, offer and answer exchanged directly, host candidates only. */
async function connectedChannels(
  offerer: WrtcImplementation,
  answerer: WrtcImplementation,
  whileConnecting: (a: RTCDataChannel, b: Promise<RTCDataChannel>) => void = () => {},
): Promise<{ a: RTCDataChannel; b: RTCDataChannel; close(): void }> {
  const pcA = new offerer.RTCPeerConnection({ iceServers: [] });
  const pcB = new answerer.RTCPeerConnection({ iceServers: [] });
  const a = pcA.createDataChannel('frames');
  const incoming = nextEvent<RTCDataChannelEvent>(pcB, 'datachannel');

  // Without trickle: each description carries its candidates once gathering completes.
  whileConnecting(a, incoming.then((event) => event.channel));
  const gathered = (pc: RTCPeerConnection): Promise<void> =>
    pc.iceGatheringState === 'complete' ? Promise.resolve() : nextEvent(pc, 'icegatheringstatechange').then(() => gathered(pc));
  await pcA.setLocalDescription();
  await gathered(pcA);
  await pcB.setRemoteDescription(pcA.localDescription!);
  await pcB.setLocalDescription();
  await gathered(pcB);
  await pcA.setRemoteDescription(pcB.localDescription!);

  const { channel: b } = await incoming;
  await Promise.all([a, b].map((channel) => (channel.readyState === 'open' ? undefined : nextEvent(channel, 'open'))));
  return {
    a,
    b,
    close: () => {
      pcA.close();
      pcB.close();
    },
  };
}

/** Collects `count` messages, in arrival order, as bytes. */
function receiveMessages(channel: RTCDataChannel, count: number): Promise<(Uint8Array | string)[]> {
  return new Promise((resolve, reject) => {
    const received: (Uint8Array | string)[] = [];
    const timer = setTimeout(() => reject(new Error(`received ${received.length} of ${count} messages`)), 30_000);
    channel.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      received.push(typeof event.data === 'string' ? event.data : new Uint8Array(event.data));
      if (received.length === count) {
        clearTimeout(timer);
        resolve(received);
      }
    };
  });
}

/** Small messages between large ones: order and boundaries must survive the framing. */
const mixedMessages = (): Uint8Array<ArrayBuffer>[] => [
  patternBytes(3, 1),
  patternBytes(1 * MiB, 2),
  patternBytes(1, 3),
  patternBytes(5 * MiB, 4),
  patternBytes(16 * KiB + 1, 5),
  new Uint8Array(0),
];

function assertReceivedInOrder(received: (Uint8Array | string)[], sent: Uint8Array[]): void {
  assert(received.length === sent.length, `received ${received.length} messages, sent ${sent.length}`);
  sent.forEach((message, index) => {
    const got = received[index];
    assert(got instanceof Uint8Array, `message ${index} arrived as ${typeof got}`);
    assertSameBytes(got, message, `message ${index}`);
  });
}

interface SimplePeerInstance {
  on(event: 'signal', listener: (data: unknown) => void): void;
  on(event: 'connect' | 'close', listener: () => void): void;
  on(event: 'data', listener: (data: Uint8Array) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  signal(data: unknown): void;
  send(data: Uint8Array): void;
  write(data: Uint8Array): boolean;
  destroy(): void;
}
type SimplePeerConstructor = new (options: object) => SimplePeerInstance;

/** The browser bundle y-webrtc imports, loaded as the classic script it is (it sets `SimplePeer`). */
async function loadSimplePeer(): Promise<SimplePeerConstructor> {
  const global = globalThis as { SimplePeer?: SimplePeerConstructor };
  if (!global.SimplePeer) {
    const script = document.createElement('script');
    script.src = new URL('../../node_modules/simple-peer/simplepeer.min.js', import.meta.url).href;
    const loaded = nextEvent(script, 'load');
    document.head.append(script);
    await loaded;
  }
  assert(global.SimplePeer, 'simplepeer.min.js did not define SimplePeer');
  return global.SimplePeer;
}

/** Errors simple-peer emitted that no test waited for (see connectedPeers). */
const peerErrors: Error[] = [];

/**
 * Two simple-peer instances as y-webrtc makes them, with `peerOpts.wrtc = chunkedWrtc(options)`.
 * Each has an error listener: Chromium raises "User-Initiated Abort" on the other end of a closed
 * channel, which simple-peer re-emits as `error` and would throw, uncaught, with no listener.
 */
async function connectedPeers(
  options: ChunkedWrtcOptions = { awarenessOnly: false },
): Promise<[SimplePeerInstance, SimplePeerInstance]> {
  const SimplePeer = await loadSimplePeer();
  const peerOpts = { wrtc: chunkedWrtc(options), config: { iceServers: [] } };
  const a = new SimplePeer({ initiator: true, ...peerOpts });
  const b = new SimplePeer({ initiator: false, ...peerOpts });
  for (const peer of [a, b]) peer.on('error', (error) => peerErrors.push(error));
  a.on('signal', (data) => b.signal(data));
  b.on('signal', (data) => a.signal(data));
  await Promise.all([a, b].map((peer) => new Promise<void>((resolve) => peer.on('connect', resolve))));
  return [a, b];
}

function peerMessages(peer: SimplePeerInstance, count: number): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const received: Uint8Array[] = [];
    const timer = setTimeout(() => reject(new Error(`received ${received.length} of ${count} messages`)), 30_000);
    peer.on('data', (data) => {
      received.push(data);
      if (received.length === count) {
        clearTimeout(timer);
        resolve(received);
      }
    });
  });
}

function closed(peer: SimplePeerInstance): Promise<void> {
  return new Promise((resolve) => peer.on('close', resolve));
}

describe('chunkedWrtc', function () {
  this.timeout(60_000);
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    cleanups.splice(0).forEach((cleanup) => cleanup());
    realSends.failNext = false;
    peerErrors.length = 0;
  });

  it('delivers 1 MiB and 5 MiB messages whole and in order, as real sends of at most 16 KiB', async () => {
    const wrtc = chunkedWrtc({ awarenessOnly: false });
    const { a, b, close } = await connectedChannels(wrtc, wrtc);
    cleanups.push(close);
    assert(a instanceof ChunkedDataChannel && b instanceof ChunkedDataChannel, 'both ends are chunked');
    const before = { ...chunkedChannelStats };
    const callsBefore = realSends.calls;
    realSends.maxBytes = 0;
    realSends.maxBufferedAfter = 0;

    const sent = mixedMessages();
    const received = receiveMessages(b, sent.length);
    for (const message of sent) a.send(message);
    assert(a.bufferedAmount >= 5 * MiB, `bufferedAmount ${a.bufferedAmount} counts the queued frames`);
    assertReceivedInOrder(await received, sent);

    assert(realSends.calls - callsBefore > 6 * MiB / (16 * KiB), `only ${realSends.calls - callsBefore} real sends`);
    assert(realSends.maxBytes <= 16 * KiB, `a real send of ${realSends.maxBytes} bytes`);
    assert(realSends.maxBufferedAfter <= MiB + 16 * KiB, `the real buffer reached ${realSends.maxBufferedAfter} bytes`);
    assert(chunkedChannelStats.maxFrameBytesSent <= 16 * KiB, 'stats saw a frame over 16 KiB');
    assert(chunkedChannelStats.messagesSent - before.messagesSent === sent.length, 'stats counted each message sent');
    assert(chunkedChannelStats.messagesReceived - before.messagesReceived === sent.length, 'stats counted each message received');
  });

  it('delivers strings as strings', async () => {
    const wrtc = chunkedWrtc({ awarenessOnly: false });
    const { a, b, close } = await connectedChannels(wrtc, wrtc);
    cleanups.push(close);
    const text = 'sending strength 💪 '.repeat(20_000);
    const received = receiveMessages(b, 1);
    a.send(text);
    assert((await received)[0] === text, 'the string arrived changed');
  });

  it('queues what is sent while connecting and sends it on open', async () => {
    const wrtc = chunkedWrtc({ awarenessOnly: false });
    const early = patternBytes(300 * KiB, 9);
    let received: Promise<(Uint8Array | string)[]> | undefined;
    const { close } = await connectedChannels(wrtc, wrtc, (a, b) => {
      assert(a.readyState === 'connecting', `readyState ${a.readyState}`);
      a.send(early);
      // Listen as soon as the channel appears, before its first message can arrive.
      received = b.then((channel) => receiveMessages(channel, 1));
    });
    cleanups.push(close);
    const [message] = await received!;
    assert(message instanceof Uint8Array, 'a binary message');
    assertSameBytes(message, early, 'early message');
  });

  it('refuses to create an unordered or unreliable channel', async () => {
    const pc = new (chunkedWrtc().RTCPeerConnection)();
    cleanups.push(() => pc.close());
    for (const init of [{ ordered: false }, { maxRetransmits: 0 }, { maxPacketLifeTime: 100 }]) {
      let threw = false;
      try {
        pc.createDataChannel('unreliable', init);
      } catch (error) {
        threw = error instanceof TypeError;
      }
      assert(threw, `created a channel with ${JSON.stringify(init)}`);
    }
  });

  it('fires bufferedamountlow once everything queued has drained to the threshold', async () => {
    const wrtc = chunkedWrtc({ awarenessOnly: false });
    const { a, close } = await connectedChannels(wrtc, wrtc);
    cleanups.push(close);
    a.bufferedAmountLowThreshold = 64 * KiB;
    const low = nextEvent(a, 'bufferedamountlow');
    a.send(patternBytes(5 * MiB, 6));
    await low;
    assert(a.bufferedAmount <= 64 * KiB, `bufferedAmount ${a.bufferedAmount} after bufferedamountlow`);
  });

  it('carries simple-peer sends and stream writes (which wait on bufferedamountlow)', async () => {
    const [a, b] = await connectedPeers();
    cleanups.push(() => [a, b].forEach((peer) => peer.destroy()));
    // simple-peer's readable stream drops empty chunks, so no empty message here.
    const sent = mixedMessages().filter((message) => message.byteLength > 0);
    const received = peerMessages(b, sent.length * 2);
    for (const message of sent) a.send(message);
    for (const message of sent) a.write(message);
    assertReceivedInOrder(await received, [...sent, ...sent]);
  });

  it('syncs a Yjs document of several MiB the way y-webrtc does: one update in one send', async () => {
    const [a, b] = await connectedPeers();
    cleanups.push(() => [a, b].forEach((peer) => peer.destroy()));
    const source = new Y.Doc();
    const log = source.getArray<Uint8Array>('log');
    source.transact(() => {
      for (let i = 0; i < 3_000; i += 1) log.push([patternBytes(1 * KiB, i)]);
    });
    const update = Y.encodeStateAsUpdate(source);
    assert(update.byteLength > 256 * KiB, 'the update is over the 256 KiB limit');

    const received = peerMessages(b, 1);
    a.send(update);
    const [message] = await received;
    assert(message, 'no update arrived');
    const replica = new Y.Doc();
    Y.applyUpdate(replica, message);
    const replicaLog = replica.getArray<Uint8Array>('log');
    assert(replicaLog.length === log.length, `replica has ${replicaLog.length} entries`);
    assertSameBytes(replicaLog.get(2_999), log.get(2_999), 'last entry');
  });

  it('surfaces a send on a closed channel as an error event, not silence', async () => {
    const wrtc = chunkedWrtc({ awarenessOnly: false });
    const { a, close } = await connectedChannels(wrtc, wrtc);
    cleanups.push(close);
    a.close();
    const errorsBefore = chunkedChannelStats.sendErrors;
    let handled: Event | undefined;
    a.onerror = (event) => {
      handled = event;
    };
    const error = nextEvent<ChunkedChannelErrorEvent>(a, 'error');
    a.send(patternBytes(10, 7));

    const event = await error;
    assert(event.error instanceof ChunkedChannelError && event.error.failure === 'not-open', `error ${event.error}`);
    assert(handled === event, 'onerror saw the same event');
    assert(chunkedChannelStats.sendErrors === errorsBefore + 1, 'stats counted the failed send');
  });

  it('closes the channel when a real send fails, so simple-peer closes and y-webrtc reconnects', async () => {
    const [a, b] = await connectedPeers();
    cleanups.push(() => [a, b].forEach((peer) => peer.destroy()));
    const failure = new Promise<Error>((resolve) => a.on('error', resolve));
    const bothClosed = Promise.all([closed(a), closed(b)]);
    realSends.failNext = true;
    a.send(patternBytes(1 * MiB, 8));

    const error = await failure;
    assert(error instanceof ChunkedChannelError && error.failure === 'send-failed', `error ${error}`);
    assert(error.cause instanceof DOMException, 'the real failure is kept as the cause');
    await bothClosed;
  });

  it('rejects frames from a peer that does not chunk: error event, then close', async () => {
    const { a, b, close } = await connectedChannels(globalThis, chunkedWrtc({ awarenessOnly: false }));
    cleanups.push(close);
    assert(!(a instanceof ChunkedDataChannel) && b instanceof ChunkedDataChannel, 'only the answerer chunks');
    const receiveErrorsBefore = chunkedChannelStats.receiveErrors;
    const error = nextEvent<ChunkedChannelErrorEvent>(b, 'error');
    const closedB = nextEvent(b, 'close');
    a.send(new Uint8Array([9, 3, 0, 0, 0, 0, 0, 0, 0, 1, 42]));

    const event = await error;
    assert(event.error instanceof ChunkedChannelError && event.error.failure === 'unsupported-version', `error ${event.error}`);
    await closedB;
    assert(chunkedChannelStats.receiveErrors === receiveErrorsBefore + 1, 'stats counted the rejected frame');
  });

  it('lets only y-webrtc awareness through to simple-peer: a peer\'s document-sync message is dropped and counted', async () => {
    const [a, b] = await connectedPeers({});
    cleanups.push(() => [a, b].forEach((peer) => peer.destroy()));
    const received = peerMessages(b, 2);
    const droppedBefore = chunkedChannelStats.yWebrtcDropped;
    const withheldBefore = chunkedChannelStats.yWebrtcWithheld;
    const awareness = new Uint8Array([1, 7, 7]);
    const queryAwareness = new Uint8Array([3]);
    a.send(awareness);
    a.send(new Uint8Array([0, 1, 0, 0])); // sync step 2 with an update: never sent
    a.send(new Uint8Array([2, 9])); // unknown type: never sent
    a.send(queryAwareness);
    assertReceivedInOrder(await received, [awareness, queryAwareness]);
    assert(chunkedChannelStats.yWebrtcWithheld - withheldBefore === 2, 'our own non-awareness messages were withheld');
    assert(chunkedChannelStats.yWebrtcDropped === droppedBefore, 'nothing was sent to drop');
  });

  it('drops a hostile peer\'s y-webrtc sync message before simple-peer sees it', async () => {
    const hostileChannels: ChunkedDataChannel[] = [];
    const honest = chunkedWrtc({});
    const hostile = chunkedWrtc({ awarenessOnly: false, onChannel: (channel) => hostileChannels.push(channel) });
    const { a, b, close } = await connectedChannels(hostile, honest);
    cleanups.push(close);
    assert(hostileChannels[0] === a, 'onChannel handed over the channel it created');
    const received = receiveMessages(b, 1);
    const droppedBefore = chunkedChannelStats.yWebrtcDropped;
    a.send(new Uint8Array([0, 1, 5, 1, 2, 3])); // sync step 2 carrying junk
    a.send(new Uint8Array([0x80, 0x00, 2, 0])); // type 0 written as a padded varuint
    a.send(new Uint8Array([1, 0]));
    const [message] = await received;
    assert(message instanceof Uint8Array && message[0] === 1, 'only the awareness message arrived');
    assert(chunkedChannelStats.yWebrtcDropped - droppedBefore === 2, 'both sync messages were counted as dropped');
  });

  it('carries Hearth messages beside y-webrtc\'s, never through simple-peer', async () => {
    const channels: ChunkedDataChannel[] = [];
    const [a, b] = await connectedPeers({ onChannel: (channel) => channels.push(channel) });
    cleanups.push(() => [a, b].forEach((peer) => peer.destroy()));
    assert(channels.length === 2, `onChannel saw ${channels.length} channels`);
    const [sender, receiver] = channels as [ChunkedDataChannel, ChunkedDataChannel];
    let simplePeerSaw = 0;
    b.on('data', () => (simplePeerSaw += 1));
    a.on('data', () => (simplePeerSaw += 1));
    const hearth = patternBytes(600 * KiB, 11);
    const arrived = nextEvent<HearthMessageEvent>(receiver, 'hearthmessage');
    const awarenessArrived = peerMessages(b, 1);
    sender.sendHearth(hearth);
    a.send(new Uint8Array([1, 1]));
    assertSameBytes((await arrived).data, hearth, 'Hearth message');
    await awarenessArrived;
    assert(simplePeerSaw === 1, `simple-peer saw ${simplePeerSaw} messages, only the awareness one expected`);
  });

  it('makes each chunked channel a PeerTransport link while it is open: Hearth messages both ways, closed with the channel', async () => {
    const transports = [new ChunkedChannelTransport(), new ChunkedChannelTransport()] as const;
    const links: PeerLink[][] = [[], []];
    transports.forEach((transport, index) => transport.on('link', (link) => links[index]!.push(link)));
    const { close } = await connectedChannels(
      chunkedWrtc({ onChannel: (channel) => transports[0].adopt(channel) }),
      chunkedWrtc({ onChannel: (channel) => transports[1].adopt(channel) }),
    );
    cleanups.push(close);
    assert(links[0]!.length === 1 && links[1]!.length === 1, `links ${links[0]!.length} and ${links[1]!.length}`);
    const [la, lb] = [links[0]![0]!, links[1]![0]!];
    const big = patternBytes(300 * KiB, 12);
    const received = new Promise<Uint8Array>((resolve) => lb.on('message', resolve));
    la.send(big);
    assertSameBytes(await received, big, 'message over the link');
    const bClosed = new Promise<void>((resolve) => lb.on('close', resolve));
    la.close();
    await bClosed;
    assert(transports[0].links().length === 0 && transports[1].links().length === 0, 'both transports forgot the link');
  });

  it('lets nothing of y-webrtc through a lingering device\'s channel, either way, and still carries Hearth messages', async () => {
    const { a, b, close } = await connectedChannels(chunkedWrtc({ hearthOnly: true }), chunkedWrtc({}));
    cleanups.push(close);
    assert(a instanceof ChunkedDataChannel && b instanceof ChunkedDataChannel, 'both ends are chunked');
    const withheldBefore = chunkedChannelStats.yWebrtcWithheld;
    const droppedBefore = chunkedChannelStats.yWebrtcDropped;
    let lingererSaw = 0;
    a.addEventListener('message', () => (lingererSaw += 1));
    const hearthArrived = nextEvent<HearthMessageEvent>(a, 'hearthmessage');
    a.send(new Uint8Array([1, 7, 7])); // its own awareness (presence): never sent
    b.send(new Uint8Array([1, 8, 8])); // a peer's awareness: never read
    b.sendHearth(new Uint8Array([0xa1, 1]));
    assertSameBytes((await hearthArrived).data, new Uint8Array([0xa1, 1]), 'Hearth message');
    assert(lingererSaw === 0, `y-webrtc on the lingering side saw ${lingererSaw} messages`);
    assert(chunkedChannelStats.yWebrtcWithheld - withheldBefore === 1, 'its own awareness was withheld');
    assert(chunkedChannelStats.yWebrtcDropped - droppedBefore === 1, "the peer's awareness was dropped");
  });

  it("binds room proofs to each real connection's certificates: a member's proof opens its link, and replayed on another connection it does not", async () => {
    await ready();
    const [alice, carol] = [identityFromSeed(1), identityFromSeed(3)];
    const lingering = new ChunkedChannelTransport();
    const proven = new ProvenLinks({ inner: lingering, groupId: GROUP_ID, identity: alice, isMember: (key) => bytesEqual(key, carol.signPublicKey) });
    const carolSide = new ChunkedChannelTransport();
    new AnsweringLinks({ inner: carolSide, groupId: GROUP_ID, identity: carol });
    const proofs: Uint8Array[] = [];
    lingering.on('link', (link) => link.on('message', (message) => isRoomProofMessage(message) && proofs.push(message)));
    const first = await connectedChannels(
      chunkedWrtc({ onChannel: (channel, pc) => lingering.adopt(channel, pc) }),
      chunkedWrtc({ onChannel: (channel, pc) => carolSide.adopt(channel, pc) }),
    );
    cleanups.push(first.close);
    const started = Date.now();
    while (proven.links().length === 0 && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 50));
    assert(proven.links().length === 1, `Carol's proof did not open her link (refusals ${JSON.stringify(proven.refused)}, ${proofs.length} proofs, ${carolSide.links().length} links on her side)`);
    const [mine, theirs] = [lingering.links()[0]!.binding!()!, carolSide.links()[0]!.binding!()!];
    assert(mine.role === 'offer' && theirs.role === 'answer', 'roles from the descriptions');
    assertSameBytes(mine.localFingerprint, theirs.remoteFingerprint, 'the offerer’s certificate seen from both ends');
    assertSameBytes(mine.remoteFingerprint, theirs.localFingerprint, 'the answerer’s certificate seen from both ends');

    const replayer = new ChunkedChannelTransport();
    replayer.on('link', (link) => link.on('message', (message) => isRoomProofMessage(message) && link.send(proofs[0]!)));
    const second = await connectedChannels(
      chunkedWrtc({ onChannel: (channel, pc) => lingering.adopt(channel, pc) }),
      chunkedWrtc({ onChannel: (channel, pc) => replayer.adopt(channel, pc) }),
    );
    cleanups.push(second.close);
    while (!proven.refused['bad-proof'] && Date.now() - started < 40_000) await new Promise((resolve) => setTimeout(resolve, 50));
    assert(proven.refused['bad-proof'] === 1, `refusals ${JSON.stringify(proven.refused)}`);
    assert(proven.links().length === 1, 'the replayed proof opened a link');
  });
});
