import { deriveSyncStatus, type SyncInputs } from '../../src/sync/syncStatus.js';
import { assertDeepEqual } from '../assert.js';

const base: SyncInputs = { wanted: true, online: true, signalingConnected: true, links: 0, syncedLinks: 0, rejected: 0 };

describe('sync status', () => {
  it('is offline until connect() and after disconnect(), whatever the links say', () => {
    const status = deriveSyncStatus({ ...base, wanted: false, links: 1, syncedLinks: 1 });
    assertDeepEqual(status, { peers: 0, rejected: 0, signalingConnected: false, state: 'offline' });
  });

  it('is offline when the browser has no network and no peer is connected', () => {
    assertDeepEqual(deriveSyncStatus({ ...base, online: false }).state, 'offline');
  });

  it('keeps syncing with a connected peer even when the browser reports no network', () => {
    const status = deriveSyncStatus({ ...base, online: false, links: 1, syncedLinks: 1 });
    assertDeepEqual(status.state, 'up-to-date');
  });

  it('is connecting while the signaling server is unreachable', () => {
    assertDeepEqual(deriveSyncStatus({ ...base, signalingConnected: false }), {
      peers: 0,
      rejected: 0,
      signalingConnected: false,
      state: 'connecting',
    });
  });

  it('says "no one else here yet" as connecting with signaling connected and no peers', () => {
    const status = deriveSyncStatus({ ...base, links: 0 });
    assertDeepEqual([status.state, status.peers, status.signalingConnected], ['connecting', 0, true]);
  });

  it('is connected while some peer holds envelopes this device does not', () => {
    const status = deriveSyncStatus({ ...base, links: 2, syncedLinks: 1 });
    assertDeepEqual([status.state, status.peers], ['connected', 2]);
  });

  it('is up to date once this device holds every connected peer\'s heads', () => {
    const status = deriveSyncStatus({ ...base, rejected: 3, links: 1, syncedLinks: 1 });
    assertDeepEqual(status, { peers: 1, rejected: 3, signalingConnected: true, state: 'up-to-date' });
  });
});
