import { bytesEqual, randomBytes, type DeviceIdentity } from '../../crypto/index.js';
import { LinkRegistry, TransportLink, type PeerLink, type PeerTransport } from './peerTransport.js';
import { decodeRoomProof, encodeRoomProof, isRoomProofMessage, signRoomProof, verifyRoomProof } from './roomProof.js';
import { NONCE_BYTES } from './venueMessages.js';

/** What a peer may send before its proof (its HEADS, sent on open), kept until the proof verifies. */
const MAX_PENDING_BYTES = 1024 * 1024;
const MAX_PENDING_MESSAGES = 16;

/** Why a link was refused: it stays open and mute (closing it would make y-webrtc reconnect at once). */
export type RoomProofRefusal =
  | 'no-binding' // the connection's certificates are unknown: nothing to bind a proof to
  | 'bad-proof' // malformed, or the signature is not over this connection and nonce
  | 'not-a-member' // a valid proof of a key that is not a current member's (a removed device)
  | 'lingering' // the other end asks for a proof too: it lingers here as well, so it is in the current room
  | 'too-much-before-proof'; // it sent more than a HEADS's worth before proving

export interface ProvenLinksOptions {
  /** Links of one room, each bound to its connection (`PeerLink.binding`). */
  inner: PeerTransport;
  groupId: Uint8Array;
  identity: Pick<DeviceIdentity, 'signPublicKey'>;
  /** Whether a device key belongs to a current member. */
  isMember: (signPublicKey: Uint8Array) => boolean;
}

/**
 * The links of a room this device lingers in, as a transport that hands out only the links whose
 * other end proved a current member's device key on that very connection (PROTOCOL.md §13.1).
 * On each new link it sends a CHALLENGE and nothing else; what the peer sends before its PROOF is
 * held (bounded) and delivered only once the proof verifies. A refused link hears nothing more
 * and is never read.
 */
export class ProvenLinks extends LinkRegistry {
  readonly refused: Partial<Record<RoomProofRefusal, number>> = {};

  constructor(private readonly options: ProvenLinksOptions) {
    super();
    options.inner.on('link', this.challenge);
    for (const link of options.inner.links()) this.challenge(link);
  }

  override destroy(): void {
    this.options.inner.off('link', this.challenge);
    this.closeAll();
    super.destroy();
  }

  private readonly challenge = (inner: PeerLink): void => {
    const binding = inner.binding?.();
    const nonce = randomBytes(NONCE_BYTES);
    const pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let state: 'waiting' | 'refused' | TransportLink = 'waiting';
    const refuse = (reason: RoomProofRefusal): void => {
      state = 'refused';
      pending.length = 0;
      this.refused[reason] = (this.refused[reason] ?? 0) + 1;
    };
    const onMessage = (message: Uint8Array): void => {
      if (state === 'refused') return;
      if (state !== 'waiting') return state.deliver(message);
      if (!isRoomProofMessage(message)) {
        pendingBytes += message.byteLength;
        if (pending.length >= MAX_PENDING_MESSAGES || pendingBytes > MAX_PENDING_BYTES) return refuse('too-much-before-proof');
        pending.push(message);
        return;
      }
      const decoded = decodeRoomProof(message);
      if (!decoded.ok) return refuse('bad-proof');
      if (decoded.message.type === 'challenge') return refuse('lingering');
      const { key, signature } = decoded.message;
      if (!binding || !verifyRoomProof({ groupId: this.options.groupId, binding, nonce, key, signature }) || bytesEqual(key, this.options.identity.signPublicKey)) {
        return refuse('bad-proof');
      }
      if (!this.options.isMember(key)) return refuse('not-a-member');
      const link = new TransportLink(inner.id, { send: (bytes) => inner.send(bytes), close: () => inner.close() });
      state = link;
      this.add(link);
      for (const held of pending.splice(0)) link.deliver(held);
    };
    inner.on('message', onMessage);
    inner.on('close', () => {
      if (state instanceof TransportLink) state.closed();
    });
    if (!binding) return refuse('no-binding');
    inner.send(encodeRoomProof({ type: 'challenge', nonce }));
  };
}

export interface AnsweringLinksOptions {
  inner: PeerTransport;
  groupId: Uint8Array;
  identity: Pick<DeviceIdentity, 'signPublicKey' | 'signSecretKey'>;
}

/**
 * The links of the room a device is in now, with room proofs taken out: a CHALLENGE from a device
 * lingering here for an older epoch is answered with this device's PROOF on that connection
 * (once per link), and everything else passes through.
 */
export class AnsweringLinks extends LinkRegistry {
  constructor(private readonly options: AnsweringLinksOptions) {
    super();
    options.inner.on('link', this.wrap);
    for (const link of options.inner.links()) this.wrap(link);
  }

  private readonly wrap = (inner: PeerLink): void => {
    const link = new TransportLink(inner.id, { send: (bytes) => inner.send(bytes), close: () => inner.close(), binding: () => inner.binding?.() });
    let answered = false;
    inner.on('message', (message) => {
      if (!isRoomProofMessage(message)) return link.deliver(message);
      const decoded = decodeRoomProof(message);
      const binding = inner.binding?.();
      if (answered || !decoded.ok || decoded.message.type !== 'challenge' || !binding) return;
      answered = true;
      const signature = signRoomProof({ groupId: this.options.groupId, binding, nonce: decoded.message.nonce, signSecretKey: this.options.identity.signSecretKey });
      inner.send(encodeRoomProof({ type: 'proof', key: this.options.identity.signPublicKey, signature }));
    });
    inner.on('close', () => link.closed());
    this.add(link);
  };
}
