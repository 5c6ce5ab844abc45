import * as buffer from 'lib0/buffer';
import { describe, expect, it } from 'vitest';
// @ts-expect-error y-webrtc's own signaling encryption (plain JS), to prove ours reads and writes its format
import { decryptJson, deriveKey, encryptJson } from '../../node_modules/y-webrtc/src/crypto.js';
import { encryptSignalingData, isLingeringAnnounce, markLingering, rewritePublishes } from '../../src/sync/lingerAnnounce.js';
import { decryptSignalingData, isSignalingMessage } from '../../src/sync/signalingGuard.js';

const ROOM = 'hearth2-old-room';
const room = { peerId: 'me', webrtcConns: new Map<string, unknown>() };

async function sealed(message: unknown, key: CryptoKey): Promise<string> {
  return buffer.toBase64((await encryptJson(message, key)) as Uint8Array);
}

describe('announces in a room where members linger', () => {
  it('marks this device’s announce in y-webrtc’s own format, which a device in its current room still acts on', async () => {
    const key = (await deriveKey('old password', ROOM)) as CryptoKey;
    const marked = await markLingering(await sealed({ type: 'announce', from: 'p1' }, key), key);
    const read = (await decryptJson(buffer.fromBase64(marked as string), key)) as unknown;
    expect(read).toEqual({ type: 'announce', from: 'p1', lingering: true });
    expect(isLingeringAnnounce(read)).toBe(true);
    expect(isSignalingMessage(read, room)).toBe(true);
  });

  it('leaves signals and anything it cannot read as they were', async () => {
    const key = (await deriveKey('old password', ROOM)) as CryptoKey;
    const signal = await sealed({ type: 'signal', from: 'p1', to: 'p2', signal: { type: 'offer' } }, key);
    expect(await markLingering(signal, key)).toBe(signal);
    expect(await markLingering('junk', key)).toBe('junk');
    const otherKey = (await deriveKey('another password', ROOM)) as CryptoKey;
    const foreign = await sealed({ type: 'announce', from: 'p1' }, otherKey);
    expect(await markLingering(foreign, key)).toBe(foreign);
  });

  it('tells only a marked announce apart: not a plain one, not a mark with another value', async () => {
    for (const message of [{ type: 'announce', from: 'a' }, { type: 'announce', from: 'a', lingering: 'true' }, { type: 'signal', from: 'a', lingering: true }, null, 'announce']) {
      expect(isLingeringAnnounce(message)).toBe(false);
    }
    const key = (await deriveKey('pw', ROOM)) as CryptoKey;
    expect(await decryptSignalingData(await encryptSignalingData({ type: 'announce', from: 'x', lingering: true }, key), key)).toEqual({ type: 'announce', from: 'x', lingering: true });
  });

  it('rewrites only the publishes to the lingered topic, in the order they were sent, until released', async () => {
    const sent: unknown[] = [];
    const conn = { send: (message: unknown) => void sent.push(message) };
    const release = rewritePublishes(conn, ROOM, async (data) => {
      await new Promise((resolve) => setTimeout(resolve, data === 'slow' ? 20 : 0));
      return `${String(data)}!`;
    });
    conn.send({ type: 'publish', topic: ROOM, data: 'slow' });
    conn.send({ type: 'publish', topic: ROOM, data: 'fast' });
    conn.send({ type: 'publish', topic: 'current-room', data: 'now' });
    conn.send({ type: 'subscribe', topics: [ROOM] });
    expect(sent).toEqual([{ type: 'publish', topic: 'current-room', data: 'now' }, { type: 'subscribe', topics: [ROOM] }]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sent.slice(2)).toEqual([{ type: 'publish', topic: ROOM, data: 'slow!' }, { type: 'publish', topic: ROOM, data: 'fast!' }]);
    release();
    conn.send({ type: 'publish', topic: ROOM, data: 'after' });
    expect(sent.at(-1)).toEqual({ type: 'publish', topic: ROOM, data: 'after' });
  });
});
