/**
 * How this device stands with its group's peers, for the status line of the UI.
 *
 * - `offline`: the user disconnected (or never connected), or the browser reports no network
 *   and no peer is connected.
 * - `connecting`: looking for members, with no peer connected. `signalingConnected` tells the
 *   two cases apart: false = the signaling server is not reachable (yet); true = reachable and
 *   announced, but no other member is online now ("no one else here yet").
 * - `connected`: at least one peer connected, but this device does not yet hold everything
 *   some peer holds (its heads), so the board may still be missing entries.
 * - `up-to-date`: at least one peer connected, and this device holds at least every connected
 *   peer's heads; later changes stream in as they happen.
 *
 * `peers` counts WebRTC peers whose envelope sync link is open; `rejected` counts sync messages
 * from peers that were dropped (docs/PROTOCOL.md §6.1).
 */
export type SyncState = 'offline' | 'connecting' | 'connected' | 'up-to-date';

export interface SyncStatus {
  state: SyncState;
  peers: number;
  rejected: number;
  signalingConnected: boolean;
}

export interface SyncInputs {
  /** connect() was called and disconnect() was not. */
  wanted: boolean;
  online: boolean;
  signalingConnected: boolean;
  /** Open envelope sync links to peers. */
  links: number;
  /** Of those, the links whose peer's heads this device holds. */
  syncedLinks: number;
  rejected: number;
}

export function deriveSyncStatus(inputs: SyncInputs): SyncStatus {
  const peers = inputs.wanted ? inputs.links : 0;
  const allSynced = inputs.syncedLinks >= inputs.links;
  const signalingConnected = inputs.wanted && inputs.signalingConnected;
  const base = { peers, rejected: inputs.rejected, signalingConnected };
  if (!inputs.wanted || (!inputs.online && peers === 0)) return { ...base, state: 'offline' };
  if (peers === 0) return { ...base, state: 'connecting' };
  return { ...base, state: allSynced ? 'up-to-date' : 'connected' };
}

export function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  return (
    a.state === b.state &&
    a.peers === b.peers &&
    a.rejected === b.rejected &&
    a.signalingConnected === b.signalingConnected
  );
}
