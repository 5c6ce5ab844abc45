import { ObservableV2 } from 'lib0/observable';
import { createPublishDedupe } from '../../src/sync/signalingDedupe.js';
import { guardSignalingConn } from '../../src/sync/signalingGuard.js';
import { assert, assertDeepEqual } from '../assert.js';

const ROOM = 'hearth-dedupe-room';

/** A y-webrtc SignalingConn as the guard sees it, with y-webrtc's own handler already on it. */
function signalingConn(seen: unknown[]): ObservableV2<{ message: (m: unknown) => void }> {
  const conn = new ObservableV2<{ message: (m: unknown) => void }>();
  conn.on('message', (m) => seen.push(m));
  return conn;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('signaling dedupe', () => {
  it('gives y-webrtc one copy of a publish that arrives through two bridged signaling servers', async () => {
    const seen: unknown[] = [];
    const east = signalingConn(seen);
    const west = signalingConn(seen);
    const accept = async (data: unknown) => typeof data === 'string';
    const releases = [guardSignalingConn(east, ROOM, accept), guardSignalingConn(west, ROOM, accept)];
    const answer = { type: 'publish', topic: ROOM, data: 'sealed-answer-7f3a' };
    const candidate = { type: 'publish', topic: ROOM, data: 'sealed-candidate-19bc' };

    // Each server delivers its local copy and the one that came through Redis.
    for (const message of [answer, candidate]) {
      east.emit('message', [message]);
      west.emit('message', [{ ...message }]);
      west.emit('message', [{ ...message }]);
    }
    await settle();

    assertDeepEqual(seen, [answer, candidate]);
    for (const release of releases) release();
  });

  it('does not let a copy that the guard refused mark the bytes as seen', async () => {
    const seen: unknown[] = [];
    const conn = signalingConn(seen);
    let accepting = false;
    const release = guardSignalingConn(conn, ROOM, async () => accepting);
    const offer = { type: 'publish', topic: ROOM, data: 'sealed-offer-5e21' };

    conn.emit('message', [offer]);
    await settle();
    accepting = true;
    conn.emit('message', [offer]);
    await settle();

    assertDeepEqual(seen, [offer]);
    release();
  });

  it('tells copies apart per room and forgets the oldest beyond its capacity', () => {
    const dedupe = createPublishDedupe(2);
    assert(dedupe.firstSighting('room-a', 'one'));
    assert(!dedupe.firstSighting('room-a', 'one'), 'a copy');
    assert(dedupe.firstSighting('room-b', 'one'), 'the same bytes in another room');
    assert(dedupe.firstSighting('room-a', 'two'));
    assert(dedupe.firstSighting('room-a', 'one'), 'forgotten after two newer entries');
    assert(dedupe.firstSighting('room-a', { type: 'announce' }) && dedupe.firstSighting('room-a', { type: 'announce' }), 'objects are not compared');
  });
});
