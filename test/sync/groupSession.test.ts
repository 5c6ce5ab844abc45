import { vi } from 'vitest';
import * as Y from 'yjs';
import { ready } from '../../crypto/index.js';
import { LOG_ROOT } from '../../src/sync/ciphertextLog.js';
import { GroupSession, type SyncStatus } from '../../src/sync/groupSession.js';
import { assertDeepEqual, assertEqual } from '../assert.js';
import { member } from '../fixtures/group.js';

// Node has no RTCPeerConnection: these tests cover what a session does without peers.
// Peer behaviour is covered with real Chromium in test/e2e/peerSync.e2e.test.ts.
describe('group session without WebRTC', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  before(async () => {
    await ready();
  });
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => warn.mockRestore());

  const session = () => {
    const m = member(1);
    const s = new GroupSession({
      log: m.sync,
      identity: m.identity,
      displayName: 'Robin',
      config: { signaling: ['ws://127.0.0.1:1'], iceServers: [] },
    });
    return { m, s };
  };

  it('is offline, with no one present, until connected', () => {
    const { s } = session();
    assertDeepEqual(s.status, { peers: 0, rejected: 0, signalingConnected: false, state: 'offline' });
    assertDeepEqual(s.presence, []);
    s.destroy();
  });

  it('stays offline and warns once, without throwing, when the environment has no WebRTC', () => {
    const { s } = session();
    s.connect();
    s.disconnect();
    s.connect();
    assertEqual(s.status.state, 'offline');
    assertEqual(warn.mock.calls.length, 1);
    s.destroy();
  });

  it('counts entries the log rejected in its status, and says so', () => {
    const { m, s } = session();
    const seen: SyncStatus[] = [];
    s.on('status', (status) => seen.push(status));
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(m.log));
    peer.getArray(LOG_ROOT).push([new Uint8Array([1, 2, 3])]);
    Y.applyUpdate(m.log, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(m.log)));
    assertEqual(s.status.rejected, 1);
    assertEqual(seen.at(-1)?.rejected, 1);
    s.destroy();
  });

  it('ignores calls after destroy', () => {
    const { s } = session();
    s.destroy();
    s.connect();
    s.setDisplayName('Sam');
    assertEqual(s.status.state, 'offline');
  });
});
