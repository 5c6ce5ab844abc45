import { vi } from 'vitest';
import { ready } from '../../crypto/index.js';
import { EnvelopeCounter } from '../../src/log/counter.js';
import { GroupSession } from '../../src/sync/groupSession.js';
import { assertDeepEqual, assertEqual } from '../assert.js';
import { GROUP_ID, identityFromSeed, keyring } from '../fixtures/group.js';
import { FakeLog } from './fakeLog.js';

// Node has no RTCPeerConnection: these tests cover what a session does without WebRTC peers.
// Peer behaviour is covered with real Chromium in test/sync/chunkedWrtc.browser.test.ts and the e2e suites.
describe('group session without WebRTC', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  before(async () => {
    await ready();
  });
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => warn.mockRestore());

  const session = (seed = 1) => {
    const log = new FakeLog(GROUP_ID);
    const identity = identityFromSeed(seed);
    const s = new GroupSession({
      log,
      keyring: keyring(),
      identity,
      displayName: 'Robin',
      config: { signaling: ['ws://127.0.0.1:1'], iceServers: [] },
      counter: new EnvelopeCounter(),
    });
    return { log, identity, s };
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

  it('exchanges envelopes with another tab of this profile over BroadcastChannel, both ways', async () => {
    const a = session(1);
    const b = session(1);
    a.log.write(a.identity, keyring(), 'written before the other tab opened');
    a.s.connect();
    b.s.connect();
    await vi.waitFor(() => assertEqual(b.log.seqs(a.identity), 1), { timeout: 2000 });
    b.log.write(b.identity, keyring(), 'written in the second tab');
    await vi.waitFor(() => assertEqual(a.log.seqs(a.identity), 2), { timeout: 2000 });
    const diagnostics = a.s.diagnostics();
    assertEqual(diagnostics.tabs.links, 1);
    assertEqual(diagnostics.peers.links, 0);
    assertEqual(diagnostics.channels.yWebrtcDropped, 0);
    a.s.destroy();
    b.s.destroy();
  });

  it('ignores calls after destroy', () => {
    const { s } = session();
    s.destroy();
    s.connect();
    s.setDisplayName('Sam');
    assertEqual(s.status.state, 'offline');
  });
});
