import { ObservableV2 } from 'lib0/observable';
import { bytesEqual, hash, randomBytes, sign, toBase64Url, toHex, verify, type DeviceIdentity } from '../../crypto/index.js';
import type { GroupKeyring } from '../log/keyring.js';
import { ChunkedDataChannel, type HearthMessageEvent } from './chunkedDataChannel.js';
import { LinkRegistry, TransportLink } from './peerTransport.js';
import { inviteKeys, type OneTimeInvite } from './oneTimeInvite.js';
import { openPresence } from './presence.js';
import type { RendezvousPort } from './rendezvous.js';
import {
  VENUE_CODE_MESSAGES,
  decodeVenueCode,
  encodeVenueCode,
  describeSdp,
  offerRefOf,
  venueGroupTag,
  venueSdp,
  type VenueCode,
  type VenueDescription,
} from './venueCode.js';
import {
  NONCE_BYTES,
  decodeVenueMessage,
  encodeVenueMessage,
  venueInviteProofBytes,
  venueProofBytes,
  type VenueInviteRefusal,
  type VenueMessage,
} from './venueMessages.js';

export interface VenueSessionOptions {
  /** The group's keys; absent on a joiner's device, which holds only `invite` until `admitted`. */
  keyring?: GroupKeyring;
  /**
   * A joiner's one-time invite (§12.3): the device is not a member yet, so it only answers a
   * code it scans, proving the invite key, and only the invite handshake runs on that link.
   */
  invite?: OneTimeInvite;
  /**
   * A member's device: why an invite a joiner proves can no longer let anyone in (undefined:
   * it can). Only invites with an open `inviteRendezvous` on this device are answered at all.
   */
  inviteStatus?: (inviteKey: string) => VenueInviteRefusal | undefined;
  identity: Pick<DeviceIdentity, 'signPublicKey' | 'signSecretKey'>;
  /**
   * Whether a device key belongs to the group now: the one place a venue link asks about
   * membership (today the board's member records; the membership log will answer instead).
   */
  isMember: (signPublicKey: Uint8Array) => boolean;
  /** How long to wait for this device's host candidates before making a code with what it has. */
  gatherTimeoutMs?: number;
}

/** A device this one is linked to at the venue, proven by its device key. */
export interface VenuePeer {
  authorId: string;
  /** Both screens show it: the same six digits mean the same two connection certificates. */
  shortCode: string;
  /** Scanned in person, or introduced over another venue link. */
  via: 'scan' | 'introduction';
}

/** Why a venue connection did not happen or was ended; `VENUE_PROBLEM_MESSAGES` says each. */
export type VenueProblem =
  | 'other-group' // the code is for another group (or an older epoch of this one)
  | 'wrong-kind' // an offer where an answer was expected, or the reverse
  | 'other-offer' // an answer to an offer this device is no longer showing
  | 'no-network' // this device found no local network address to offer
  | 'not-a-member' // the other device proved a key that is not a member's
  | 'bad-proof' // the other device's proof did not verify, or came out of turn
  | 'invite-refused' // a joiner proved an invite that was used, expired or withdrawn
  | 'not-yet-member' // a joiner's device was asked to show a code, or scanned an answer
  | 'no-answer' // a joiner's device: the phone it scanned closed the link on its invite proof without a word
  | 'failed'; // WebRTC could not connect or set up

export const VENUE_PROBLEM_MESSAGES: Record<VenueProblem, string> = {
  'other-group': 'That code is for a different group. Please check that you are both in the same group.',
  'wrong-kind': 'That is not the code Hearth expected here. Please scan the code the other phone shows now.',
  'other-offer': 'That answer belongs to an older code. Please show a new code and scan again.',
  'no-network': 'This phone is not on a local network. Join the venue Wi-Fi or turn on a phone’s hotspot, and try again.',
  'not-a-member': 'The other phone is not a member of this group, so nothing was shared with it.',
  'bad-proof': 'The other phone could not prove who it is, so nothing was shared with it.',
  'invite-refused': 'Someone tried an invite that was already used, has expired or was withdrawn, so nothing was shared with them.',
  'not-yet-member': 'This phone is not in the group yet. Scan the code on the facilitator’s phone to ask to join.',
  'no-answer': 'That phone did not take your invite. It may have been made on another phone: scan the code of the facilitator who sent it, or ask for a new invite.',
  failed: 'The phones could not connect. Please check that both are on the same network, and try again.',
};

export type VenueResult<T> = ({ ok: true } & T) | { ok: false; problem: VenueProblem | 'bad-code'; message: string };

export type VenueSessionEvents = {
  /** Peers proven and linked now. */
  peers: (peers: VenuePeer[]) => void;
  /** A peer's presence changed. */
  presence: () => void;
  problem: (problem: VenueProblem) => void;
  /** What is said on invite links changed (`inviteRendezvous` ports hear it). */
  invites: () => void;
  /** A joiner's device: the facilitator's device refused its invite, and why. */
  refused: (reason: VenueInviteRefusal) => void;
};

const DEFAULT_GATHER_TIMEOUT_MS = 3000;
/** An introduced connection not proven within this is dropped (the relay or the network failed). */
const INTRODUCTION_TIMEOUT_MS = 30_000;
/** A scanned one waits longer: people take their time to point a camera. */
const SCAN_TIMEOUT_MS = 5 * 60_000;
/** A joiner reads the guidelines and the two compare codes: an invite link may take this long to be admitted. */
const INVITE_TIMEOUT_MS = 30 * 60_000;
/** Time for a refusal to reach the joiner before the connection closes. */
const REFUSAL_GRACE_MS = 1000;

/**
 * A meeting without internet: WebRTC connections set up by scanning QR codes (no signaling
 * server, no STUN or TURN), and afterwards by introductions relayed over links already proven.
 * Each connection is proven both ways before anything else is read or sent: each side signs the
 * other's fresh nonce with its device key, bound to both DTLS fingerprints (venueMessages.ts),
 * and the key must be a current member's. Only proven links reach `transport`, where the
 * envelope sync runs; presence goes alongside as sealed blobs. A stranger who scans a code
 * gets a nonce and a closed connection.
 *
 * Any device in the session can show a code: the first to do so is the host (the star's centre,
 * relaying envelopes as every member does), and when it leaves, the links it introduced stay up
 * and any other member can show the next code.
 */
export class VenueSession extends ObservableV2<VenueSessionEvents> {
  /** Proven links only. */
  readonly transport = new LinkRegistry();
  private keyring: GroupKeyring | undefined;
  private readonly groupId: Uint8Array;
  private readonly identity: VenueSessionOptions['identity'];
  private isMember: VenueSessionOptions['isMember'];
  private readonly inviteStatus: VenueSessionOptions['inviteStatus'];
  /** A joiner's device: its invite key and the secret half it proves with. */
  private guest: { inviteKey: string; publicKey: Uint8Array; signSecretKey: Uint8Array } | undefined;
  /** Invite keys whose handshake this device takes part in, with what it last said there. */
  private readonly doors = new Map<string, { state?: Record<string, unknown>; listeners: Set<(states: unknown[]) => void> }>();
  private readonly gatherTimeoutMs: number;
  private readonly connections = new Set<VenueConnection>();
  /** The offer shown as a QR code now, waiting for its answer. */
  private shownOffer: VenueConnection | null = null;
  private presence: string | null = null;
  private nextId = 0;
  private closed = false;

  constructor(options: VenueSessionOptions) {
    super();
    this.keyring = options.keyring;
    const groupId = options.keyring?.groupId ?? options.invite?.groupId;
    if (!groupId) throw new TypeError('a venue session needs the group’s keys or an invite');
    this.groupId = groupId;
    if (!options.keyring && options.invite) {
      const keys = inviteKeys(options.invite.seed);
      // libsodium's Ed25519 secret key is the seed followed by the public key.
      this.guest = { inviteKey: keys.inviteKey, publicKey: keys.signSecretKey.slice(32), signSecretKey: keys.signSecretKey };
    }
    this.identity = options.identity;
    this.isMember = options.isMember;
    this.inviteStatus = options.inviteStatus;
    this.gatherTimeoutMs = options.gatherTimeoutMs ?? DEFAULT_GATHER_TIMEOUT_MS;
  }

  peers(): VenuePeer[] {
    return [...this.connections].flatMap((c) => (c.link?.open && c.peerKey ? [{ authorId: toBase64Url(c.peerKey), shortCode: c.shortCode, via: c.via }] : []));
  }

  /** Sealed presence of each proven peer that shows itself, as awareness states (`{ sealed }`). */
  presenceStates(): { sealed: string }[] {
    return [...this.connections].flatMap((c) => (c.link?.open && c.presence ? [{ sealed: c.presence }] : []));
  }

  /** What this device shows in others' "Here now" (null: nothing). */
  publishPresence(sealed: string | null): void {
    this.presence = sealed;
    for (const c of this.connections) if (c.link?.open) this.send(c, { type: 'presence', sealed: sealed ?? '' });
  }

  /** A fresh offer to show as a QR code; it replaces the one shown before, if still unanswered. */
  async createOffer(): Promise<VenueResult<{ code: Uint8Array }>> {
    if (!this.keyring) return this.fail('not-yet-member');
    if (this.shownOffer && !this.shownOffer.remoteFingerprint) this.drop(this.shownOffer);
    const connection = this.connect('offer', 'scan');
    this.shownOffer = connection;
    const description = await this.describe(connection);
    if (!description.ok) return description;
    if (this.shownOffer !== connection) return this.fail('other-offer');
    return { ok: true, code: encodeVenueCode({ kind: 'offer', groupTag: venueGroupTag(this.ring), offerRef: new Uint8Array(4), ...description.value }) };
  }

  /**
   * A code scanned or pasted: an offer gets an answer code to show back; an answer completes the
   * offer this device is showing. Both give the short code the two screens compare.
   */
  async acceptCode(bytes: Uint8Array): Promise<VenueResult<{ answer?: Uint8Array; shortCode: string }>> {
    const decoded = decodeVenueCode(bytes);
    if (!decoded.ok) return { ok: false, problem: 'bad-code', message: VENUE_CODE_MESSAGES[decoded.error] };
    const { code } = decoded;
    // A joiner cannot check the tag (it has no group keys): its answer echoes the offer's tag,
    // and the host finds out who it is from its invite proof.
    if (!this.keyring) {
      if (code.kind !== 'offer') return this.fail('not-yet-member');
    } else if (!bytesEqual(code.groupTag, venueGroupTag(this.ring))) return this.fail('other-group');
    if (code.kind === 'offer') {
      const answered = await this.answer(code, 'scan');
      return answered.ok ? { ok: true, answer: answered.code, shortCode: answered.shortCode } : answered;
    }
    const offer = this.shownOffer;
    if (!offer?.localFingerprint || !bytesEqual(code.offerRef, offerRefOf(offer.localFingerprint))) return this.fail('other-offer');
    this.shownOffer = null;
    const applied = await this.applyAnswer(offer, code);
    return applied.ok ? { ok: true, shortCode: offer.shortCode } : applied;
  }

  /** Ends every venue connection. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of [...this.connections]) this.drop(c);
    this.transport.closeAll();
    super.destroy();
  }

  private connect(role: 'offer' | 'answer', via: VenuePeer['via'], expectedKey?: Uint8Array): VenueConnection {
    const pc = new RTCPeerConnection({ iceServers: [] });
    // Negotiated: both sides open channel 0 themselves, so no `datachannel` event to wait for.
    const channel = new ChunkedDataChannel(pc.createDataChannel('hearth-venue', { negotiated: true, id: 0 }));
    const connection = new VenueConnection(`venue-${this.nextId++}`, pc, channel, role, via, expectedKey);
    this.connections.add(connection);
    connection.timeout = setTimeout(() => !connection.link && this.drop(connection), via === 'scan' ? SCAN_TIMEOUT_MS : INTRODUCTION_TIMEOUT_MS);
    channel.addEventListener('open', () => this.send(connection, { type: 'challenge', nonce: connection.nonce }));
    channel.addEventListener('hearthmessage', (event) => this.receive(connection, (event as HearthMessageEvent).data));
    channel.addEventListener('close', () => this.drop(connection));
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'failed') {
        this.emit('problem', ['failed']);
        this.drop(connection);
      } else if (pc.connectionState === 'closed') this.drop(connection);
    });
    return connection;
  }

  private async describe(connection: VenueConnection): Promise<{ ok: true; value: VenueDescription } | { ok: false; problem: VenueProblem; message: string }> {
    const { pc } = connection;
    try {
      await pc.setLocalDescription();
      if (pc.iceGatheringState !== 'complete') {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.gatherTimeoutMs);
          pc.addEventListener('icegatheringstatechange', () => {
            if (pc.iceGatheringState === 'complete') {
              clearTimeout(timer);
              resolve();
            }
          });
        });
      }
    } catch {
      this.drop(connection);
      return this.fail('failed');
    }
    const description = pc.localDescription ? describeSdp(pc.localDescription.sdp) : undefined;
    if (!description) {
      this.drop(connection);
      return this.fail('failed');
    }
    if (description.candidates.length === 0) {
      this.drop(connection);
      return this.fail('no-network');
    }
    connection.localFingerprint = description.fingerprint;
    return { ok: true, value: description };
  }

  private async answer(offer: VenueCode, via: VenuePeer['via'], expectedKey?: Uint8Array): Promise<VenueResult<{ code: Uint8Array; shortCode: string }>> {
    const connection = this.connect('answer', via, expectedKey);
    try {
      await connection.pc.setRemoteDescription({ type: 'offer', sdp: venueSdp(offer, 'offer') });
    } catch {
      this.drop(connection);
      return this.fail('failed');
    }
    connection.remoteFingerprint = offer.fingerprint;
    const description = await this.describe(connection);
    if (!description.ok) return description;
    connection.shortCode = shortCode(offer.fingerprint, description.value.fingerprint);
    const code = encodeVenueCode({ kind: 'answer', groupTag: offer.groupTag, offerRef: offerRefOf(offer.fingerprint), ...description.value });
    return { ok: true, code, shortCode: connection.shortCode };
  }

  private async applyAnswer(offer: VenueConnection, answer: VenueCode): Promise<VenueResult<object>> {
    offer.remoteFingerprint = answer.fingerprint;
    offer.shortCode = shortCode(offer.localFingerprint!, answer.fingerprint);
    try {
      await offer.pc.setRemoteDescription({ type: 'answer', sdp: venueSdp(answer, 'answer') });
      return { ok: true };
    } catch {
      this.drop(offer);
      return this.fail('failed');
    }
  }

  private receive(connection: VenueConnection, bytes: Uint8Array): void {
    if (this.closed) return;
    const decoded = decodeVenueMessage(bytes);
    if (!decoded.ok) return this.refuse(connection, 'bad-proof');
    const message = decoded.message;
    if (connection.refusing) return;
    if (connection.invite) return this.receiveOnInviteLink(connection, message);
    if (!connection.link) {
      if (message.type === 'challenge' && !connection.theirNonce) {
        connection.theirNonce = message.nonce;
        // The scanner proves itself first; the one who showed the code answers only a member.
        if (connection.role === 'answer') this.prove(connection);
        return;
      }
      if (message.type === 'proof' && !connection.peerKey && connection.theirNonce && (this.keyring || connection.inviteProofSent)) {
        return this.checkProof(connection, message.key, message.signature);
      }
      // Only on a connection set up by scanning this device's code: introductions are between members.
      if (message.type === 'invite-proof' && connection.role === 'offer' && connection.via === 'scan' && this.keyring && !connection.peerKey && connection.theirNonce) {
        return this.checkInviteProof(connection, message.key, message.signature);
      }
      if (message.type === 'invite-refused' && connection.inviteProofSent && !connection.peerKey) {
        this.emit('refused', [message.reason]);
        connection.refusing = true;
        return this.drop(connection);
      }
      return this.refuse(connection, 'bad-proof');
    }
    switch (message.type) {
      case 'sync':
        return connection.link.deliver(message.payload);
      case 'presence':
        return this.receivePresence(connection, message.sealed);
      case 'introduce':
        return void this.introduced(connection, message.key);
      case 'relay':
        return void this.relayed(connection, message);
      default:
        return this.refuse(connection, 'bad-proof');
    }
  }

  private prove(connection: VenueConnection): void {
    if (connection.proofSent || !connection.theirNonce || !connection.localFingerprint || !connection.remoteFingerprint) return;
    if (this.guest) return this.proveInvite(connection, this.guest);
    const signature = sign(
      venueProofBytes({
        groupId: this.groupId,
        role: connection.role,
        signerFingerprint: connection.localFingerprint,
        verifierFingerprint: connection.remoteFingerprint,
        nonce: connection.theirNonce,
      }),
      this.identity.signSecretKey,
    );
    connection.proofSent = true;
    this.send(connection, { type: 'proof', key: this.identity.signPublicKey, signature });
    this.linkIfProven(connection);
  }

  private checkProof(connection: VenueConnection, key: Uint8Array, signature: Uint8Array): void {
    const signed = venueProofBytes({
      groupId: this.groupId,
      role: connection.role === 'offer' ? 'answer' : 'offer',
      signerFingerprint: connection.remoteFingerprint!,
      verifierFingerprint: connection.localFingerprint!,
      nonce: connection.nonce,
    });
    if (!verify(signature, signed, key) || bytesEqual(key, this.identity.signPublicKey)) return this.refuse(connection, 'bad-proof');
    if (connection.expectedKey && !bytesEqual(key, connection.expectedKey)) return this.refuse(connection, 'bad-proof');
    if (!this.keyring) {
      // A joiner cannot ask who is a member: it learns which key the facilitator's device speaks
      // with, and takes offers and welcomes only from that key, sealed to itself (§5).
      connection.peerKey = key;
      return this.openInviteLink(connection, this.guest!.inviteKey);
    }
    if (!this.isMember(key)) return this.refuse(connection, 'not-a-member');
    connection.peerKey = key;
    if (connection.proofSent) this.linkIfProven(connection);
    else this.prove(connection);
  }

  /** Both sides proven: the link goes to the envelope sync, with presence, and is introduced to the others. */
  private linkIfProven(connection: VenueConnection): void {
    if (!connection.peerKey || !connection.proofSent || connection.link) return;
    const peerKey = connection.peerKey;
    // The newest connection to a device wins (it rescanned, or two introductions crossed).
    for (const other of this.connections) if (other !== connection && other.peerKey && bytesEqual(other.peerKey, peerKey)) this.drop(other);
    clearTimeout(connection.timeout);
    connection.link = new TransportLink(connection.id, {
      send: (message) => this.send(connection, { type: 'sync', payload: message }),
      close: () => this.drop(connection),
    });
    this.transport.add(connection.link);
    if (this.presence) this.send(connection, { type: 'presence', sealed: this.presence });
    if (connection.via === 'scan') {
      for (const other of this.connections) if (other !== connection && other.link?.open) this.send(other, { type: 'introduce', key: peerKey });
    }
    this.emit('peers', [this.peers()]);
  }

  private receivePresence(connection: VenueConnection, sealed: string): void {
    const opened = sealed === '' ? undefined : openPresence({ sealed }, this.ring);
    // A peer speaks only for itself: presence sealed by another key is dropped.
    const own = opened?.ok && opened.member.authorId === toBase64Url(connection.peerKey!);
    connection.presence = own ? sealed : undefined;
    this.emit('presence', []);
  }

  /** The relay told us a member is here: offer it a connection through the relay. */
  private async introduced(via: VenueConnection, key: Uint8Array): Promise<void> {
    if (bytesEqual(key, this.identity.signPublicKey) || this.connectionTo(key) || !this.isMember(key)) return;
    const connection = this.connect('offer', 'introduction', key);
    const description = await this.describe(connection);
    if (!description.ok || !via.link?.open) return;
    const code = encodeVenueCode({ kind: 'offer', groupTag: venueGroupTag(this.ring), offerRef: new Uint8Array(4), ...description.value });
    this.send(via, { type: 'relay', to: key, from: this.identity.signPublicKey, code });
  }

  private async relayed(from: VenueConnection, message: Extract<VenueMessage, { type: 'relay' }>): Promise<void> {
    if (!bytesEqual(message.to, this.identity.signPublicKey)) {
      // Forwarded only as sent by the proven sender, only to a proven peer.
      const target = [...this.connections].find((c) => c.link?.open && c.peerKey && bytesEqual(c.peerKey, message.to));
      if (target && bytesEqual(message.from, from.peerKey!)) this.send(target, message);
      return;
    }
    const decoded = decodeVenueCode(message.code);
    if (!decoded.ok || !bytesEqual(decoded.code.groupTag, venueGroupTag(this.ring)) || !this.isMember(message.from)) return;
    const existing = this.connectionTo(message.from);
    if (decoded.code.kind === 'answer') {
      if (existing?.role === 'offer' && !existing.remoteFingerprint && existing.localFingerprint && bytesEqual(decoded.code.offerRef, offerRefOf(existing.localFingerprint))) {
        await this.applyAnswer(existing, decoded.code);
      }
      return;
    }
    if (existing?.link) return;
    if (existing) {
      // Two introductions crossed: the offer of the lower key stands.
      if (toHex(this.identity.signPublicKey) < toHex(message.from)) return;
      this.drop(existing);
    }
    const answered = await this.answer(decoded.code, 'introduction', message.from);
    if (!answered.ok) return;
    this.send(from, { type: 'relay', to: message.from, from: this.identity.signPublicKey, code: answered.code });
  }

  /**
   * The invite handshake's messages on the invite links proven with `inviteKey` (§12.3), as a
   * rendezvous: on a member's device the door where joiners with that invite ask (give it to
   * the invite's InviteHost), on a joiner's device its one link to the facilitator's device
   * (give it to InviteGuest). Only states said by the facilitator's proven key reach a joiner.
   */
  inviteRendezvous(inviteKey: string): RendezvousPort {
    const door = this.doors.get(inviteKey) ?? { listeners: new Set() };
    this.doors.set(inviteKey, door);
    return {
      publish: (state) => {
        door.state = state;
        for (const c of this.connections) if (c.invite === inviteKey) this.send(c, { type: 'invite-state', json: JSON.stringify(state) });
      },
      states: () =>
        [...this.connections].flatMap((c) => {
          if (c.invite !== inviteKey || c.inviteState === undefined) return [];
          if (this.guest && c.inviteState.host !== toBase64Url(c.peerKey!)) return [];
          return [c.inviteState];
        }),
      on: (_event, listener) => void door.listeners.add(listener),
      destroy: () => {
        if (this.doors.get(inviteKey) === door) this.doors.delete(inviteKey);
      },
    };
  }

  /**
   * A joiner's device after its welcome: it now holds the group's keys, and proves its device
   * key on the link it was admitted over, which then carries the group like any member's.
   */
  admitted(keyring: GroupKeyring, isMember: VenueSessionOptions['isMember']): void {
    if (!this.guest || this.closed) return;
    const inviteKey = this.guest.inviteKey;
    this.guest = undefined;
    this.keyring = keyring;
    this.isMember = isMember;
    for (const c of [...this.connections]) {
      if (c.invite !== inviteKey) {
        this.drop(c);
        continue;
      }
      c.invite = undefined;
      c.inviteState = undefined;
      // The facilitator's device proved its key when the invite link opened; now this device proves its own.
      this.prove(c);
    }
    this.inviteStatesChanged(inviteKey);
  }

  private proveInvite(connection: VenueConnection, guest: { publicKey: Uint8Array; signSecretKey: Uint8Array }): void {
    if (connection.inviteProofSent) return;
    const signature = sign(
      venueInviteProofBytes({ groupId: this.groupId, signerFingerprint: connection.localFingerprint!, verifierFingerprint: connection.remoteFingerprint!, nonce: connection.theirNonce! }),
      guest.signSecretKey,
    );
    connection.inviteProofSent = true;
    this.send(connection, { type: 'invite-proof', key: guest.publicKey, signature });
  }

  /** The one who showed the code checks a joiner's invite proof; a stranger's scan ends here with nothing. */
  private checkInviteProof(connection: VenueConnection, key: Uint8Array, signature: Uint8Array): void {
    const signed = venueInviteProofBytes({ groupId: this.groupId, signerFingerprint: connection.remoteFingerprint!, verifierFingerprint: connection.localFingerprint!, nonce: connection.nonce });
    if (!verify(signature, signed, key)) return this.refuse(connection, 'bad-proof');
    const inviteKey = toBase64Url(key);
    // A key the group never logged, or one this device does not answer for: closed with nothing said.
    const refusal = this.inviteStatus?.(inviteKey) ?? (this.doors.has(inviteKey) ? undefined : 'unknown-invite');
    if (refusal === 'unknown-invite') return this.refuse(connection, 'bad-proof');
    if (refusal) {
      // Only someone holding this invite's seed can have signed: it may hear why.
      this.send(connection, { type: 'invite-refused', reason: refusal });
      this.emit('problem', ['invite-refused']);
      clearTimeout(connection.timeout);
      connection.timeout = setTimeout(() => this.drop(connection), REFUSAL_GRACE_MS);
      connection.refusing = true;
      return;
    }
    if (!this.doors.has(inviteKey)) return this.refuse(connection, 'bad-proof');
    this.prove(connection);
    this.openInviteLink(connection, inviteKey);
  }

  /** Both ends proven for the invite handshake only: no link to the envelope sync, no presence, no introductions. */
  private openInviteLink(connection: VenueConnection, inviteKey: string): void {
    connection.invite = inviteKey;
    clearTimeout(connection.timeout);
    connection.timeout = setTimeout(() => this.drop(connection), INVITE_TIMEOUT_MS);
    const state = this.doors.get(inviteKey)?.state;
    if (state) this.send(connection, { type: 'invite-state', json: JSON.stringify(state) });
    this.inviteStatesChanged(inviteKey);
  }

  private receiveOnInviteLink(connection: VenueConnection, message: VenueMessage): void {
    if (message.type === 'invite-state') {
      let state: unknown;
      try {
        state = JSON.parse(message.json);
      } catch {
        return this.refuse(connection, 'bad-proof');
      }
      if (typeof state !== 'object' || state === null || Array.isArray(state)) return this.refuse(connection, 'bad-proof');
      connection.inviteState = state as Record<string, unknown>;
      return this.inviteStatesChanged(connection.invite!);
    }
    // The joiner, once admitted, proves its device key on the same link (the facilitator's side).
    if (message.type === 'proof' && !this.guest && this.keyring) return this.checkAdmittedProof(connection, message.key, message.signature);
    return this.refuse(connection, 'bad-proof');
  }

  private checkAdmittedProof(connection: VenueConnection, key: Uint8Array, signature: Uint8Array): void {
    const signed = venueProofBytes({ groupId: this.groupId, role: 'answer', signerFingerprint: connection.remoteFingerprint!, verifierFingerprint: connection.localFingerprint!, nonce: connection.nonce });
    const joined = (connection.inviteState?.join as { member?: unknown } | undefined)?.member;
    if (!verify(signature, signed, key) || bytesEqual(key, this.identity.signPublicKey)) return this.refuse(connection, 'bad-proof');
    // Only the device that asked on this link, and only once the membership log admits it.
    if (joined !== toBase64Url(key) || !this.isMember(key)) return this.refuse(connection, 'not-a-member');
    const inviteKey = connection.invite!;
    connection.invite = undefined;
    connection.inviteState = undefined;
    connection.peerKey = key;
    this.inviteStatesChanged(inviteKey);
    this.linkIfProven(connection);
  }

  private inviteStatesChanged(inviteKey: string): void {
    const door = this.doors.get(inviteKey);
    if (!door) return;
    const states = this.inviteRendezvous(inviteKey).states();
    for (const listener of door.listeners) listener(states);
    this.emit('invites', []);
  }

  private get ring(): GroupKeyring {
    if (!this.keyring) throw new Error('only a member’s venue link gets here');
    return this.keyring;
  }

  private connectionTo(key: Uint8Array): VenueConnection | undefined {
    return [...this.connections].find((c) => (c.peerKey && bytesEqual(c.peerKey, key)) || (c.expectedKey && bytesEqual(c.expectedKey, key)));
  }

  private refuse(connection: VenueConnection, problem: VenueProblem): void {
    this.emit('problem', [problem]);
    connection.refusing = true;
    this.drop(connection);
  }

  private drop(connection: VenueConnection): void {
    if (!this.connections.delete(connection)) return;
    // A joiner's proof met a closed link and not a word: that phone does not host this invite (§12.3).
    if (this.guest && connection.inviteProofSent && !connection.peerKey && !connection.refusing && !this.closed) this.emit('problem', ['no-answer']);
    if (this.shownOffer === connection) this.shownOffer = null;
    clearTimeout(connection.timeout);
    try {
      connection.channel.close();
      connection.pc.close();
    } catch {
      // Already closed underneath.
    }
    const wasLinked = connection.link !== undefined;
    connection.link?.closed();
    if (connection.invite) this.inviteStatesChanged(connection.invite);
    if (wasLinked && !this.closed) {
      this.emit('peers', [this.peers()]);
      this.emit('presence', []);
    }
  }

  private send(connection: VenueConnection, message: VenueMessage): void {
    if (connection.channel.readyState === 'open') connection.channel.sendHearth(encodeVenueMessage(message));
  }

  private fail(problem: VenueProblem): { ok: false; problem: VenueProblem; message: string } {
    return { ok: false, problem, message: VENUE_PROBLEM_MESSAGES[problem] };
  }
}

/** One RTCPeerConnection of the venue session and what is known about its other end. */
class VenueConnection {
  readonly nonce = randomBytes(NONCE_BYTES);
  localFingerprint?: Uint8Array;
  remoteFingerprint?: Uint8Array;
  theirNonce?: Uint8Array;
  /** Set once the other side's proof verified and its key is a member's (a joiner: the facilitator's device's key). */
  peerKey?: Uint8Array;
  proofSent = false;
  /** A joiner's device: it proved its invite key here. */
  inviteProofSent = false;
  /** An invite link (§12.3): the invite key it was proven with, until the joiner proves itself a member. */
  invite?: string;
  /** What the other end last said on the invite link. */
  inviteState?: Record<string, unknown>;
  /** Closing on purpose: refused by either side (an invite refusal gives the joiner a second to read it). */
  refusing = false;
  link?: TransportLink;
  presence: string | undefined;
  shortCode = '';
  timeout: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly id: string,
    readonly pc: RTCPeerConnection,
    readonly channel: ChunkedDataChannel,
    readonly role: 'offer' | 'answer',
    readonly via: VenuePeer['via'],
    /** For introduced connections: the member the relay said is at the other end. */
    readonly expectedKey?: Uint8Array,
  ) {}
}

/** Six digits from both certificates' fingerprints, the offer's first: "123 456". */
export function shortCode(offerFingerprint: Uint8Array, answerFingerprint: Uint8Array): string {
  const joined = new Uint8Array(offerFingerprint.byteLength + answerFingerprint.byteLength);
  joined.set(offerFingerprint);
  joined.set(answerFingerprint, offerFingerprint.byteLength);
  const digest = hash(joined, 16);
  const number = (((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0) % 1_000_000;
  const digits = number.toString().padStart(6, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}
