import { ObservableV2 } from 'lib0/observable';
import { WebrtcProvider } from 'y-webrtc';
import type { DeviceIdentity } from '../../crypto/index.js';
import type { CiphertextLog } from './ciphertextLog.js';
import { chunkedWrtc } from './chunkedWrtc.js';
import type { SyncConfig } from './config.js';
import { presentMembers, sealPresence, type PresentMember } from './presence.js';
import { decryptSignalingData, guardSignalingConn, isSignalingMessage, type GuardedRoom } from './signalingGuard.js';
import { deriveSyncStatus, sameStatus, type PeerLink, type SyncStatus } from './syncStatus.js';

export type { PresentMember } from './presence.js';
export type { SyncState, SyncStatus } from './syncStatus.js';

export interface GroupSessionOptions {
  log: CiphertextLog;
  identity: DeviceIdentity;
  displayName: string;
  config: SyncConfig;
}

export type GroupSessionEvents = {
  status: (status: SyncStatus) => void;
  presence: (members: PresentMember[]) => void;
};

/** y-webrtc message type 0 (sync) carrying Yjs sync step 2 (the sender's whole state). */
const MESSAGE_SYNC = 0;
const SYNC_STEP_2 = 1;

/** The parts of y-webrtc's objects read here (its types say `any` for the peer). */
interface WebrtcConnLike {
  connected: boolean;
  peer: { on(event: string, listener: (...args: unknown[]) => void): void };
}
interface SignalingConnLike {
  connected: boolean;
  connect(): void;
  on(event: string, listener: () => void): void;
}

/** y-webrtc allows one provider per room name per page; a second would throw inside a promise. */
const roomsInUse = new Set<string>();

/**
 * One group's live sync: y-webrtc over the ciphertext log doc only (never the board), room name
 * and signaling password derived from the group secret, data channels chunked to ≤ 16 KiB, and
 * presence as a sealed blob in awareness. Nothing here throws to the caller: failures show in
 * `status` and are logged once.
 *
 * One GroupSession per group per page (y-webrtc's rule). Presence lists this device too while
 * connected; a member who left vanishes when their awareness state times out (≤ 30 s).
 */
export class GroupSession extends ObservableV2<GroupSessionEvents> {
  private readonly log: CiphertextLog;
  private readonly identity: DeviceIdentity;
  private readonly config: SyncConfig;
  private readonly roomName: string;
  private displayName: string;
  private provider: WebrtcProvider | null = null;
  private wanted = false;
  private destroyed = false;
  private since = 0;
  private currentStatus: SyncStatus;
  private currentPresence: PresentMember[] = [];
  private readonly links = new Map<WebrtcConnLike, PeerLink>();
  private readonly hookedSignaling = new WeakSet<object>();
  private releaseGuards: (() => void)[] = [];
  private warned = false;

  constructor({ log, identity, displayName, config }: GroupSessionOptions) {
    super();
    this.log = log;
    this.identity = identity;
    this.displayName = displayName;
    this.config = { signaling: [...config.signaling], iceServers: [...config.iceServers] };
    this.roomName = log.keyring.roomName();
    this.currentStatus = this.computeStatus();
    log.on('rejected', this.update);
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.onOnline);
      window.addEventListener('offline', this.update);
    }
  }

  get status(): SyncStatus {
    return { ...this.currentStatus };
  }

  get presence(): PresentMember[] {
    return this.currentPresence.map((member) => ({ ...member }));
  }

  /** Starts (or resumes) looking for the group's other members. */
  connect(): void {
    if (this.destroyed || this.wanted) return;
    this.wanted = true;
    this.since = Date.now();
    try {
      if (this.provider) this.provider.connect();
      else this.provider = this.createProvider();
      if (this.provider) {
        this.publishPresence();
        this.watchSignaling(this.provider);
      }
    } catch (error) {
      this.warn('could not start peer sync', error);
    }
    this.update();
  }

  /** Stops syncing: closes peer connections and leaves the signaling room. The board stays. */
  disconnect(): void {
    if (!this.wanted) return;
    this.wanted = false;
    this.releaseGuards.forEach((release) => release());
    this.releaseGuards = [];
    try {
      this.provider?.disconnect();
    } catch (error) {
      this.warn('could not stop peer sync cleanly', error);
    }
    this.update();
  }

  override destroy(): void {
    if (this.destroyed) return;
    this.disconnect();
    this.destroyed = true;
    this.log.off('rejected', this.update);
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.onOnline);
      window.removeEventListener('offline', this.update);
    }
    const provider = this.provider;
    this.provider = null;
    if (provider) {
      provider.awareness.off('change', this.update);
      provider.awareness.destroy(); // stops its renewal timer
      provider.destroy();
      // y-webrtc frees the room name once its key promise settles; so do we, after it.
      provider.key.then(
        () => roomsInUse.delete(this.roomName),
        () => roomsInUse.delete(this.roomName),
      );
    }
    super.destroy();
  }

  /**
   * y-webrtc's own view of the connections, for a diagnostics panel and tests: each WebRTC
   * connection (open or still negotiating) and how many same-browser tabs BroadcastChannel found.
   */
  connectionInfo(): { webrtc: { connected: boolean; synced: boolean }[]; broadcastChannelPeers: number } {
    const room = this.provider?.room;
    if (!room) return { webrtc: [], broadcastChannelPeers: 0 };
    return {
      webrtc: [...(room.webrtcConns.values() as IterableIterator<WebrtcConnLike>)].map((conn) => ({
        connected: conn.connected,
        synced: this.links.get(conn)?.synced ?? false,
      })),
      broadcastChannelPeers: room.bcConns.size,
    };
  }

  /** Re-seals presence under the new name; peers see it with their next awareness update. */
  setDisplayName(name: string): void {
    this.displayName = name;
    if (this.wanted) this.publishPresence();
  }

  private createProvider(): WebrtcProvider | null {
    if (roomsInUse.has(this.roomName)) {
      this.warn('this group already has a live session in this page');
      return null;
    }
    const provider = new WebrtcProvider(this.roomName, this.log.log, {
      signaling: this.config.signaling,
      password: this.log.keyring.signalingPassword(),
      filterBcConns: true,
      peerOpts: { wrtc: chunkedWrtc(), config: { iceServers: this.config.iceServers } },
    });
    roomsInUse.add(this.roomName);
    provider.on('peers', this.update);
    provider.on('synced', this.update);
    provider.on('status', this.update);
    provider.awareness.on('change', this.update);
    return provider;
  }

  private publishPresence(): void {
    if (!this.provider) return;
    try {
      this.provider.awareness.setLocalState(
        sealPresence({
          keyring: this.log.keyring,
          identity: this.identity,
          counter: this.log.counter,
          displayName: this.displayName,
          since: this.since,
        }),
      );
    } catch (error) {
      this.warn('could not seal presence', error);
    }
  }

  /** Follows the signaling connections' state and puts the guard in front of y-webrtc's handler. */
  private watchSignaling(provider: WebrtcProvider): void {
    const room = (): GuardedRoom | null => provider.room;
    const filter = async (data: unknown): Promise<boolean> => {
      const key = await provider.key;
      const current = room();
      if (!key || !current) return false;
      return isSignalingMessage(await decryptSignalingData(data, key), current);
    };
    for (const conn of provider.signalingConns as SignalingConnLike[]) {
      this.releaseGuards.push(guardSignalingConn(conn, this.roomName, filter));
      if (this.hookedSignaling.has(conn)) continue;
      this.hookedSignaling.add(conn);
      conn.on('connect', this.update);
      conn.on('disconnect', this.update);
    }
  }

  /** Starts following each new WebRTC connection: open, closed, and its sync step 2. */
  private trackConnections(): void {
    const conns = this.provider?.room?.webrtcConns;
    if (!conns) return;
    // y-webrtc drops a closed connection (and emits 'peers') before our own 'close' listener runs.
    const live = new Set(conns.values() as IterableIterator<WebrtcConnLike>);
    for (const conn of this.links.keys()) if (!live.has(conn)) this.links.delete(conn);
    for (const conn of live) {
      if (this.links.has(conn)) continue;
      const link: PeerLink = { connected: conn.connected, synced: false };
      this.links.set(conn, link);
      // y-webrtc registered its listeners first, so the doc is updated before these run.
      conn.peer.on('connect', () => {
        link.connected = true;
        this.update();
      });
      conn.peer.on('close', () => {
        this.links.delete(conn);
        this.update();
      });
      // y-webrtc's own per-peer `synced` flag never turns true for a peer that connects after
      // the room was once synced, so sync step 2 is watched here.
      conn.peer.on('data', (data: unknown) => {
        if (link.synced || !(data instanceof Uint8Array)) return;
        if (data[0] === MESSAGE_SYNC && data[1] === SYNC_STEP_2) {
          link.synced = true;
          this.update();
        }
      });
    }
  }

  private computeStatus(): SyncStatus {
    const signalingConnected = (this.provider?.signalingConns as SignalingConnLike[] | undefined)?.some(
      (conn) => conn.connected,
    );
    return deriveSyncStatus({
      wanted: this.wanted && this.provider !== null,
      online: typeof navigator === 'undefined' || navigator.onLine !== false,
      signalingConnected: signalingConnected ?? false,
      links: this.links.values(),
      rejected: this.log.getStats().rejected,
    });
  }

  private computePresence(): PresentMember[] {
    if (!this.wanted || !this.provider) return [];
    return presentMembers(this.provider.awareness.getStates().values(), this.log.keyring);
  }

  /** Recomputes status and presence after any event, and emits what changed. */
  /**
   * Back on the network: retry signaling now rather than after the WebSocket client's backoff
   * (up to 2.5 s), so posts written offline reach members present as soon as possible.
   */
  private readonly onOnline = (): void => {
    if (this.wanted) {
      for (const conn of (this.provider?.signalingConns ?? []) as SignalingConnLike[]) if (!conn.connected) conn.connect();
    }
    this.update();
  };

  private readonly update = (): void => {
    if (this.destroyed) return;
    try {
      this.trackConnections();
      const status = this.computeStatus();
      if (!sameStatus(status, this.currentStatus)) {
        this.currentStatus = status;
        this.emit('status', [this.status]);
      }
      const presence = this.computePresence();
      if (JSON.stringify(presence) !== JSON.stringify(this.currentPresence)) {
        this.currentPresence = presence;
        this.emit('presence', [this.presence]);
      }
    } catch (error) {
      this.warn('sync status update failed', error);
    }
  };

  /** One console.warn per session: enough to diagnose, not a flood from a hostile peer. */
  private warn(message: string, error?: unknown): void {
    if (this.warned) return;
    this.warned = true;
    console.warn(`sync: ${message}`, error instanceof Error ? error.name : '');
  }
}
