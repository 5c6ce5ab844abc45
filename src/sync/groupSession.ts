import { ObservableV2 } from 'lib0/observable';
import type { WebrtcProvider } from 'y-webrtc';
import { toBase64Url, type DeviceIdentity } from '../../crypto/index.js';
import type { EnvelopeCounter } from '../log/counter.js';
import type { GroupKeyring } from '../log/keyring.js';
import type { SyncableLog } from '../log/ports.js';
import { BroadcastChannelTransport } from './broadcastChannelTransport.js';
import { ChunkedChannelTransport } from './chunkedChannelTransport.js';
import { chunkedChannelStats, type ChunkedChannelStats } from './chunkedDataChannel.js';
import type { SyncConfig } from './config.js';
import { EnvelopeSync, type EnvelopeSyncCounters, type EnvelopeSyncStatus } from './envelopeSync.js';
import type { SupportSignal } from '../model/supportSignal.js';
import { presentMembers, sealPresence, type PresentMember } from './presence.js';
import { AnsweringLinks } from './roomProofLinks.js';
import { closeRoomProvider, guardRoomSignaling, openRoomProvider } from './roomProvider.js';
import { LingerRooms } from './lingerRoom.js';
import { openSignals, sealSignal } from './supportSignal.js';
import { deriveSyncStatus, sameStatus, type SyncStatus } from './syncStatus.js';
import { VenueSession } from './venueSession.js';
import type { VenueInviteRefusal } from './venueMessages.js';

export type { PresentMember } from './presence.js';
export type { SyncState, SyncStatus } from './syncStatus.js';

export interface GroupSessionOptions {
  log: SyncableLog;
  keyring: GroupKeyring;
  identity: DeviceIdentity;
  displayName: string;
  config: SyncConfig;
  /** Seeds presence envelopes' sequence numbers. */
  counter: EnvelopeCounter;
  /**
   * Whether a device key belongs to a current member. Given, the session also lingers in the
   * previous epochs' rooms for members who missed a rotation (./lingerRoom.ts).
   */
  isMember?: (signPublicKey: Uint8Array) => boolean;
}

export type GroupSessionEvents = {
  status: (status: SyncStatus) => void;
  presence: (members: PresentMember[]) => void;
  /** The other devices' support signals (alerts and answers) changed. */
  support: (signals: SupportSignal[]) => void;
};

/** What a diagnostics view shows about the network. */
export interface SessionDiagnostics {
  /** WebRTC connections y-webrtc holds (open or still negotiating). */
  webrtc: { connected: boolean }[];
  peers: EnvelopeSyncStatus;
  tabs: EnvelopeSyncStatus;
  peerCounters: EnvelopeSyncCounters;
  /** Links of a meeting without internet (./venueSession.ts), when one is open. */
  venue: EnvelopeSyncStatus;
  tabCounters: EnvelopeSyncCounters | null;
  /** Page-wide totals of the chunked data channels, y-webrtc messages dropped or withheld among them. */
  channels: ChunkedChannelStats;
}

/** The parts of y-webrtc's objects read here (its types say `any`). */
interface WebrtcConnLike {
  connected: boolean;
}
interface SignalingConnLike {
  connected: boolean;
  connect(): void;
  on(event: string, listener: () => void): void;
}

/**
 * In a meeting's mesh every member hears an author directly; a relay waits this long for the
 * others' HAVE, so an envelope crosses each link about once instead of once per member.
 */
const PEER_RELAY_DELAY_MS = 250;

/**
 * One group's live sync. y-webrtc finds the group's other members (room name and signaling
 * password derived from the group secret) and carries awareness, where presence is a sealed
 * blob; its document is an empty dummy, and its own document-sync messages are held back both
 * ways below simple-peer (./yWebrtcFilter.ts). The envelopes travel as Hearth messages on the
 * same data channels (EnvelopeSync over ChunkedChannelTransport), and between this profile's
 * tabs over a BroadcastChannel. Nothing here throws to the caller: failures show in `status`
 * and are logged once.
 *
 * One GroupSession per group per page (y-webrtc's rule). Presence lists the other devices; a
 * member who left vanishes when their awareness state times out (≤ 30 s).
 */
export class GroupSession extends ObservableV2<GroupSessionEvents> {
  private readonly log: SyncableLog;
  private readonly keyring: GroupKeyring;
  private readonly identity: DeviceIdentity;
  private readonly counter: EnvelopeCounter;
  private readonly config: SyncConfig;
  private readonly roomName: string;
  private readonly viewerId: string;
  private readonly webrtc = new ChunkedChannelTransport();
  private readonly peerSync: EnvelopeSync;
  private readonly lingering: LingerRooms | null;
  private tabs: { transport: BroadcastChannelTransport; sync: EnvelopeSync } | null = null;
  private venue: { session: VenueSession; sync: EnvelopeSync } | null = null;
  private displayName: string;
  private provider: WebrtcProvider | null = null;
  private wanted = false;
  private presenceVisible = true;
  private destroyed = false;
  private since = 0;
  private currentStatus: SyncStatus;
  private currentPresence: PresentMember[] = [];
  private ownSignal: SupportSignal | null = null;
  private currentSignals: SupportSignal[] = [];
  private readonly hookedSignaling = new WeakSet<object>();
  private releaseGuards: (() => void)[] = [];
  private warned = false;

  constructor({ log, keyring, identity, displayName, config, counter, isMember }: GroupSessionOptions) {
    super();
    this.log = log;
    this.keyring = keyring;
    this.identity = identity;
    this.counter = counter;
    this.displayName = displayName;
    this.config = { ...config, signaling: [...config.signaling], iceServers: [...config.iceServers] };
    this.roomName = keyring.roomName();
    this.viewerId = toBase64Url(identity.signPublicKey);
    // A device lingering in this room for an older epoch asks for a member's proof (§13.1): answered here.
    const answering = new AnsweringLinks({ inner: this.webrtc, groupId: keyring.groupId, identity });
    this.peerSync = new EnvelopeSync({ log, transport: answering, limits: { relayDelayMs: PEER_RELAY_DELAY_MS } });
    this.lingering = isMember ? new LingerRooms({ log, keyring, identity, config: this.config, isMember, relayDelayMs: PEER_RELAY_DELAY_MS }) : null;
    this.peerSync.on('status', this.update);
    this.peerSync.on('dropped', this.update);
    this.currentStatus = this.computeStatus();
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

  /** Other devices' support signals now in the session (memory only; PROTOCOL.md §Support signal). */
  get supportSignals(): SupportSignal[] {
    return structuredClone(this.currentSignals);
  }

  /** Publishes (or with null, withdraws) this device's support signal to the devices here now. */
  setSupportSignal(signal: SupportSignal | null): void {
    this.ownSignal = signal;
    if (this.wanted) this.publishPresence();
  }

  /** Starts (or resumes) looking for the group's other members, and this profile's other tabs. */
  connect(): void {
    if (this.destroyed || this.wanted) return;
    this.wanted = true;
    this.since = Date.now();
    this.openTabs();
    this.lingering?.start();
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

  /** Stops syncing: closes peer connections, tab links, and leaves the signaling room. The board stays. */
  disconnect(): void {
    if (!this.wanted) return;
    this.wanted = false;
    this.releaseGuards.forEach((release) => release());
    this.releaseGuards = [];
    this.closeTabs();
    this.lingering?.stop();
    try {
      this.provider?.disconnect();
    } catch (error) {
      this.warn('could not stop peer sync cleanly', error);
    }
    this.webrtc.closeAll();
    this.update();
  }

  override destroy(): void {
    if (this.destroyed) return;
    this.disconnect();
    this.closeVenue();
    this.destroyed = true;
    this.peerSync.destroy();
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.onOnline);
      window.removeEventListener('offline', this.update);
    }
    const provider = this.provider;
    this.provider = null;
    if (provider) {
      provider.awareness.off('change', this.update);
      closeRoomProvider(provider, this.roomName);
    }
    super.destroy();
  }

  /** The network as a diagnostics view shows it: connections, sync links, drops by code. */
  diagnostics(): SessionDiagnostics {
    const conns = this.provider?.room?.webrtcConns;
    return {
      webrtc: conns ? [...(conns.values() as IterableIterator<WebrtcConnLike>)].map((conn) => ({ connected: conn.connected })) : [],
      peers: this.peerSync.status,
      tabs: this.tabs?.sync.status ?? { links: 0, synced: 0 },
      peerCounters: this.peerSync.counters(),
      venue: this.venue?.sync.status ?? { links: 0, synced: 0 },
      tabCounters: this.tabs?.sync.counters() ?? null,
      channels: { ...chunkedChannelStats },
    };
  }

  /** Re-seals presence under the new name; peers see it with their next awareness update. */
  setDisplayName(name: string): void {
    this.displayName = name;
    if (this.wanted || this.venue) this.publishPresence();
  }

  /**
   * Whether this device appears in others' "Here now". Hidden, it keeps syncing but publishes no
   * awareness state at all, so peers learn nothing of it beyond the connection itself.
   */
  setPresenceVisible(visible: boolean): void {
    this.presenceVisible = visible;
    if (this.wanted || this.venue) this.publishPresence();
  }

  /**
   * A meeting without internet: venue links set up by QR codes, proven against `isMember`, carry
   * the same envelope sync and presence as the mesh. It stays open until `closeVenue`, whether
   * or not the signaling server is reachable. `joinedOver`: the invite-mode venue session this
   * device was just admitted over (§12.3), whose link to the facilitator's device carries the
   * group from now on.
   */
  openVenue(
    isMember: (signPublicKey: Uint8Array) => boolean,
    inviteStatus?: (inviteKey: string) => VenueInviteRefusal | undefined,
    joinedOver?: VenueSession,
  ): VenueSession {
    if (this.venue) return this.venue.session;
    const session = joinedOver ?? new VenueSession({ keyring: this.keyring, identity: this.identity, isMember, inviteStatus });
    const sync = new EnvelopeSync({ log: this.log, transport: session.transport, limits: { relayDelayMs: PEER_RELAY_DELAY_MS } });
    sync.on('status', this.update);
    sync.on('dropped', this.update);
    session.on('presence', this.update);
    this.venue = { session, sync };
    // The envelope sync listens first, so the link the joiner re-proves reaches it.
    joinedOver?.admitted(this.keyring, isMember);
    this.since ||= Date.now();
    this.publishPresence();
    return session;
  }

  closeVenue(): void {
    if (!this.venue) return;
    this.venue.sync.destroy();
    this.venue.session.close();
    this.venue = null;
    this.update();
  }

  private createProvider(): WebrtcProvider | null {
    const provider = openRoomProvider({
      roomName: this.roomName,
      password: this.keyring.signalingPassword(),
      config: this.config,
      onChannel: (channel, pc) => this.webrtc.adopt(channel, pc),
    });
    if (!provider) {
      this.warn('this group already has a live session in this page');
      return null;
    }
    provider.on('peers', this.update);
    provider.on('status', this.update);
    provider.awareness.on('change', this.update);
    return provider;
  }

  /** Other tabs of this profile hold their own copy of the log in memory: they sync like peers. */
  private openTabs(): void {
    if (this.tabs || typeof BroadcastChannel === 'undefined') return;
    const transport = new BroadcastChannelTransport(`hearth-sync:${this.roomName}`);
    this.tabs = { transport, sync: new EnvelopeSync({ log: this.log, transport }) };
  }

  private closeTabs(): void {
    this.tabs?.sync.destroy();
    this.tabs?.transport.destroy();
    this.tabs = null;
  }

  /**
   * The local awareness state: sealed presence unless hidden, and the support signal while there
   * is one; with neither, no state at all.
   */
  private publishPresence(): void {
    if (!this.provider && !this.venue) return;
    try {
      const presence = this.presenceVisible
        ? sealPresence({ keyring: this.keyring, identity: this.identity, counter: this.counter, displayName: this.displayName, since: this.since })
        : undefined;
      const support = this.ownSignal
        ? { support: sealSignal({ keyring: this.keyring, identity: this.identity, counter: this.counter, signal: this.ownSignal }) }
        : {};
      const state = { ...presence, ...support };
      this.provider?.awareness.setLocalState(Object.keys(state).length ? state : null);
      this.venue?.session.publishPresence(presence?.sealed ?? null);
    } catch (error) {
      this.warn('could not seal presence', error);
    }
  }

  /** Follows the signaling connections' state and puts the guard in front of y-webrtc's handler. */
  private watchSignaling(provider: WebrtcProvider): void {
    this.releaseGuards.push(...guardRoomSignaling(provider, this.roomName));
    for (const conn of provider.signalingConns as SignalingConnLike[]) {
      if (this.hookedSignaling.has(conn)) continue;
      this.hookedSignaling.add(conn);
      conn.on('connect', this.update);
      conn.on('disconnect', this.update);
    }
  }

  private computeStatus(): SyncStatus {
    const signalingConnected = (this.provider?.signalingConns as SignalingConnLike[] | undefined)?.some(
      (conn) => conn.connected,
    );
    const venue = this.venue?.sync;
    const links = this.peerSync.status.links + (venue?.status.links ?? 0);
    const synced = this.peerSync.status.synced + (venue?.status.synced ?? 0);
    const dropped = [this.peerSync, ...(venue ? [venue] : [])]
      .flatMap((sync) => Object.values(sync.counters().dropped))
      .reduce((sum, count) => sum + count, 0);
    return deriveSyncStatus({
      wanted: (this.wanted && this.provider !== null) || this.venue !== null,
      online: typeof navigator === 'undefined' || navigator.onLine !== false,
      signalingConnected: signalingConnected ?? false,
      links,
      syncedLinks: synced,
      rejected: dropped,
    });
  }

  private computePresence(): PresentMember[] {
    const states: unknown[] = [...(this.venue?.session.presenceStates() ?? [])];
    if (this.wanted && this.provider) states.push(...this.provider.awareness.getStates().values());
    return presentMembers(states, this.keyring, this.viewerId);
  }

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

  /** Recomputes status and presence after any event, and emits what changed. */
  private readonly update = (): void => {
    if (this.destroyed) return;
    try {
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
      const signals = this.wanted && this.provider ? openSignals(this.provider.awareness.getStates().values(), this.keyring, this.viewerId, Date.now()) : [];
      if (JSON.stringify(signals) !== JSON.stringify(this.currentSignals)) {
        this.currentSignals = signals;
        this.emit('support', [this.supportSignals]);
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
