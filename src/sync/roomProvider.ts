import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import type { ChunkedDataChannel } from './chunkedDataChannel.js';
import { chunkedWrtc } from './chunkedWrtc.js';
import type { SyncConfig } from './config.js';
import { isLingeringAnnounce, markLingering, rewritePublishes } from './lingerAnnounce.js';
import { decryptSignalingData, guardSignalingConn, isSignalingMessage, type GuardedRoom } from './signalingGuard.js';
import { watchStalledConns, type WatchedRoom } from './stalledConns.js';

/** y-webrtc allows one provider per room name per page; a second would throw inside a promise. */
const roomsInUse = new Set<string>();
/** Each open provider's stalled-connection watchdog (./stalledConns.ts), stopped on close. */
const watchdogs = new WeakMap<WebrtcProvider, () => void>();

export interface RoomProviderOptions {
  roomName: string;
  password: string;
  config: SyncConfig;
  /** Every chunked data channel of the room's connections, with its connection. */
  onChannel: (channel: ChunkedDataChannel, pc: RTCPeerConnection) => void;
  /** Nothing of y-webrtc's on the data channels, not even awareness (a room this device only lingers in). */
  hearthOnly?: boolean;
}

/**
 * A y-webrtc provider for one room: it carries signaling, the mesh and awareness; Hearth's
 * envelopes never touch its document (an empty dummy). Null when this page has the room open already.
 */
export function openRoomProvider({ roomName, password, config, onChannel, hearthOnly }: RoomProviderOptions): WebrtcProvider | null {
  if (roomsInUse.has(roomName)) return null;
  const provider = new WebrtcProvider(roomName, new Y.Doc(), {
    signaling: config.signaling,
    password,
    filterBcConns: true,
    ...(config.maxConns !== undefined ? { maxConns: config.maxConns } : {}),
    peerOpts: {
      wrtc: chunkedWrtc({ onChannel, ...(hearthOnly ? { hearthOnly } : {}) }),
      config: { iceServers: config.iceServers },
    },
  });
  roomsInUse.add(roomName);
  watchdogs.set(provider, watchStalledConns(() => provider.room as WatchedRoom | null));
  return provider;
}

/** Tears the provider down and frees its room name once y-webrtc has (its key promise settled). */
export function closeRoomProvider(provider: WebrtcProvider, roomName: string): void {
  watchdogs.get(provider)?.();
  provider.awareness.destroy(); // stops its renewal timer
  provider.destroy();
  provider.doc.destroy();
  const free = (): boolean => roomsInUse.delete(roomName);
  provider.key.then(free, free);
}

/**
 * Puts the signaling guard (./signalingGuard.ts) in front of y-webrtc's handler on each of the
 * provider's signaling connections. In a room this device lingers in, it also marks its own
 * announces and ignores marked ones (./lingerAnnounce.ts). Returns what removes all of it.
 */
export function guardRoomSignaling(provider: WebrtcProvider, roomName: string, { lingering = false } = {}): (() => void)[] {
  const filter = async (data: unknown): Promise<boolean> => {
    const key = await provider.key;
    const room: GuardedRoom | null = provider.room;
    if (!key || !room) return false;
    const message = await decryptSignalingData(data, key);
    return isSignalingMessage(message, room) && !(lingering && isLingeringAnnounce(message));
  };
  const mark = async (data: unknown): Promise<unknown> => {
    const key = await provider.key;
    return key ? markLingering(data, key) : data;
  };
  return (provider.signalingConns as unknown[]).flatMap((conn) => [
    guardSignalingConn(conn, roomName, filter),
    ...(lingering ? [rewritePublishes(conn, roomName, mark)] : []),
  ]);
}
