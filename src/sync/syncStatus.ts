/**
 * How this device stands with its group's peers, for the status line of the UI.
 *
 * - `offline`: the user disconnected (or never connected), or the browser reports no network
 *   and no peer is connected.
 * - `connecting`: looking for members, with no peer connected. `signalingConnected` tells the
 *   two cases apart: false = the signaling server is not reachable (yet); true = reachable and
 *   announced, but no other member is online now ("no one else here yet").
 * - `connected`: at least one peer connected, but at least one of them has not yet sent its
 *   whole state (Yjs sync step 2), so the board may still be missing entries.
 * - `up-to-date`: at least one peer connected and every connected peer has sent its whole
 *   state: this device holds everything they held, and later changes stream in as they happen.
 *
 * `peers` counts connected WebRTC peers; `rejected` is the ciphertext log's count of entries
 * that failed their checks (never applied).
 */
export type SyncState = 'offline' | 'connecting' | 'connected' | 'up-to-date';

export interface SyncStatus {
  state: SyncState;
  peers: number;
  rejected: number;
  signalingConnected: boolean;
}

export interface PeerLink {
  connected: boolean;
  /** The peer's sync step 2 (its whole state) has arrived over this connection. */
  synced: boolean;
}

export interface SyncInputs {
  /** connect() was called and disconnect() was not. */
  wanted: boolean;
  online: boolean;
  signalingConnected: boolean;
  links: Iterable<PeerLink>;
  rejected: number;
}

export function deriveSyncStatus(inputs: SyncInputs): SyncStatus {
  let peers = 0;
  let allSynced = true;
  for (const link of inputs.links) {
    if (!link.connected) continue;
    peers++;
    if (!link.synced) allSynced = false;
  }
  if (!inputs.wanted) peers = 0;
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
