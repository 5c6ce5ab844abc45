import { ObservableV2 } from 'lib0/observable';
import * as buffer from 'lib0/buffer';
// @ts-expect-error y-webrtc's own signaling encryption (plain JS), to prove the guard reads what it writes
import { deriveKey, encryptJson } from '../../node_modules/y-webrtc/src/crypto.js';
import { decryptSignalingData, guardSignalingConn, isSignalingMessage } from '../../src/sync/signalingGuard.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';

const ROOM = 'hearth-room';
const room = { peerId: 'me', webrtcConns: new Map<string, unknown>([['pending-peer', {}]]) };

async function sealed(message: unknown, key: CryptoKey): Promise<string> {
  return buffer.toBase64((await encryptJson(message, key)) as Uint8Array);
}

describe('signaling guard', () => {
  let key: CryptoKey;
  let otherKey: CryptoKey;
  before(async () => {
    key = (await deriveKey('right password', ROOM)) as CryptoKey;
    otherKey = (await deriveKey('wrong password', ROOM)) as CryptoKey;
  });

  it('decrypts what y-webrtc encrypted with the room password', async () => {
    const message = { type: 'announce', from: 'peer-1' };
    assertDeepEqual(await decryptSignalingData(await sealed(message, key), key), message);
  });

  it('yields nothing for junk, a wrong password or the wrong algorithm, without throwing', async () => {
    const wrongAlgorithm = buffer.toBase64(new Uint8Array([3, 65, 66, 67, 0, 0]));
    for (const data of [undefined, 42, '', 'not base64 ***', 'AAAA', wrongAlgorithm, await sealed({ type: 'announce', from: 'x' }, otherKey)]) {
      assertEqual(await decryptSignalingData(data, key), undefined);
    }
  });

  it('accepts only the message shapes y-webrtc can act on', () => {
    assert(isSignalingMessage({ type: 'announce', from: 'a' }, room));
    assert(isSignalingMessage({ type: 'signal', from: 'a', to: 'me', token: 1.5, signal: { type: 'offer', sdp: '' } }, room));
    assert(isSignalingMessage({ type: 'signal', from: 'pending-peer', to: 'me', signal: { type: 'answer' } }, room));
    for (const bad of [
      null,
      'announce',
      { type: 'announce' },
      { type: 'announce', from: 'x'.repeat(100) },
      { type: 'signal', from: 'a', to: 'me' },
      { type: 'signal', from: 'a', to: 'me', signal: { type: 'exploit' } },
      { type: 'signal', from: 'a', to: 'me', token: 'x', signal: { type: 'offer' } },
      // an answer to an offer we never made would make y-webrtc throw
      { type: 'signal', from: 'stranger', to: 'me', signal: { type: 'answer' } },
    ]) {
      assert(!isSignalingMessage(bad, room), JSON.stringify(bad));
    }
  });

  it('passes only accepted messages of the guarded room to the handler, in order', async () => {
    const conn = new ObservableV2<{ message: (m: unknown) => void }>();
    const seen: unknown[] = [];
    conn.on('message', (m) => seen.push(m));
    const release = guardSignalingConn(conn, ROOM, async (data) => {
      await new Promise((resolve) => setTimeout(resolve, data === 'slow-ok' ? 20 : 0));
      return typeof data === 'string' && data.endsWith('ok');
    });
    const publish = (data: string) => ({ type: 'publish', topic: ROOM, data });
    conn.emit('message', [publish('slow-ok')]);
    conn.emit('message', [publish('junk')]);
    conn.emit('message', [publish('fast-ok')]);
    conn.emit('message', [{ type: 'publish', topic: 'another-room', data: 'junk' }]);
    conn.emit('message', [null]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assertDeepEqual(seen, [
      { type: 'publish', topic: 'another-room', data: 'junk' },
      publish('slow-ok'),
      publish('fast-ok'),
    ]);
    release();
    conn.emit('message', [publish('junk')]);
    assertEqual(seen.length, 4, 'a released topic is no longer filtered');
  });
});
