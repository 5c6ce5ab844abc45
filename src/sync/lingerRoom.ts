import type { WebrtcProvider } from 'y-webrtc';
import { bytesEqual, deriveRoomName, deriveSignalingPassword, type DeviceIdentity } from '../../crypto/index.js';
import type { EpochSecret, GroupKeyring } from '../log/keyring.js';
import type { SyncableLog } from '../log/ports.js';
import { ChunkedChannelTransport } from './chunkedChannelTransport.js';
import type { SyncConfig } from './config.js';
import { EnvelopeSync } from './envelopeSync.js';
import { ProvenLinks } from './roomProofLinks.js';
import { closeRoomProvider, guardRoomSignaling, openRoomProvider } from './roomProvider.js';

/**
 * How many previous epochs' rooms a device lingers in. A member offline through this many
 * rotations still finds the others; more would cost every device a signaling subscription per
 * epoch for a case rarer still.
 */
export const LINGER_EPOCHS = 3;
/** A room still held by this page (the old session's grace after a move) is tried again after this. */
const RETRY_MS = 2_000;

export interface LingerRoomOptions {
  roomName: string;
  password: string;
  config: SyncConfig;
  log: SyncableLog;
  groupId: Uint8Array;
  identity: Pick<DeviceIdentity, 'signPublicKey'>;
  isMember: (signPublicKey: Uint8Array) => boolean;
  relayDelayMs?: number;
}

/**
 * A previous epoch's room, where a member who missed the rotation still looks (PROTOCOL.md §13.1).
 * This device publishes no awareness there and lets none of y-webrtc's traffic through; it syncs
 * envelopes only over links whose other end proved a current member's key on that connection
 * (ProvenLinks). The late member gets the entry that seals it the new secret, opens it, and moves;
 * a removed device, which can prove no current key, gets a nonce and silence.
 */
export class LingerRoom {
  readonly channels = new ChunkedChannelTransport();
  readonly links: ProvenLinks;
  readonly sync: EnvelopeSync;
  private provider: WebrtcProvider | null = null;
  private releaseGuards: (() => void)[] = [];
  private retry: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;

  constructor(private readonly options: LingerRoomOptions) {
    this.links = new ProvenLinks({ inner: this.channels, groupId: options.groupId, identity: options.identity, isMember: options.isMember });
    this.sync = new EnvelopeSync({ log: options.log, transport: this.links, ...(options.relayDelayMs !== undefined ? { limits: { relayDelayMs: options.relayDelayMs } } : {}) });
    this.open();
  }

  get roomName(): string {
    return this.options.roomName;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearTimeout(this.retry);
    this.releaseGuards.forEach((release) => release());
    this.sync.destroy();
    this.links.destroy();
    this.channels.closeAll();
    if (this.provider) closeRoomProvider(this.provider, this.options.roomName);
    this.provider = null;
  }

  private readonly open = (): void => {
    if (this.destroyed) return;
    const { roomName, password, config } = this.options;
    this.provider = openRoomProvider({ roomName, password, config, hearthOnly: true, onChannel: (channel, pc) => this.channels.adopt(channel, pc) });
    if (!this.provider) {
      this.retry = setTimeout(this.open, RETRY_MS);
      return;
    }
    this.provider.awareness.setLocalState(null);
    this.releaseGuards = guardRoomSignaling(this.provider, roomName, { lingering: true });
  };
}

/** The secrets of the previous epochs to linger for: the newest `count` other than the one sealed under now. */
export function previousEpochs(keyring: GroupKeyring, count = LINGER_EPOCHS): EpochSecret[] {
  const current = keyring.currentSecret;
  return keyring
    .all()
    .filter(({ secret }) => !bytesEqual(secret, current))
    .sort((a, b) => b.epoch - a.epoch)
    .slice(0, count);
}

export interface LingerRoomsOptions {
  log: SyncableLog;
  keyring: GroupKeyring;
  identity: Pick<DeviceIdentity, 'signPublicKey'>;
  config: SyncConfig;
  isMember: (signPublicKey: Uint8Array) => boolean;
  relayDelayMs?: number;
}

/** The rooms a session lingers in while it is connected: those of the previous epochs it holds. */
export class LingerRooms {
  private rooms: LingerRoom[] = [];

  constructor(private readonly options: LingerRoomsOptions) {}

  /** The rooms open now (for diagnostics and tests). */
  get open(): readonly LingerRoom[] {
    return this.rooms;
  }

  start(): void {
    if (this.rooms.length > 0) return;
    const { keyring, ...room } = this.options;
    this.rooms = previousEpochs(keyring).map(
      ({ epoch, secret }) =>
        new LingerRoom({ ...room, groupId: keyring.groupId, roomName: deriveRoomName(secret, epoch), password: deriveSignalingPassword(secret, epoch) }),
    );
  }

  stop(): void {
    for (const room of this.rooms) room.destroy();
    this.rooms = [];
  }
}
