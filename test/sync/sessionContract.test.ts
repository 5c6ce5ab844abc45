import { afterAll, beforeAll, describe, vi } from 'vitest';
import { ready } from '../../crypto/index.js';
import { GroupSession } from '../../src/sync/groupSession.js';
import { FakeNetwork, FakeSession } from '../app/fakes.js';
import { sessionContract } from './sessionContract.js';

beforeAll(async () => {
  await ready();
});

// In node there is no WebRTC: two GroupSessions meet as two tabs of one profile, over BroadcastChannel.
describe('session contract: GroupSession', () => {
  // Each session warns once that this environment has no WebRTC.
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  afterAll(() => warn.mockRestore());
  sessionContract(() => (options) => new GroupSession({ ...options, config: { signaling: ['ws://127.0.0.1:1'], iceServers: [] } }));
});

describe('session contract: the app\'s FakeSession', () => {
  sessionContract(() => {
    const network = new FakeNetwork();
    return (options) => new FakeSession(options, network);
  });
});
