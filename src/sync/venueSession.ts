import { ObservableV2 } from 'lib0/observable';
import { bytesEqual, hash, randomBytes, sign, toBase64Url, toHex, verify, type DeviceIdentity } from '../../crypto/index.js';
import type { GroupKeyring } from '../log/keyring.js';
import { ChunkedDataChannel, type HearthMessageEvent } from './chunkedDataChannel.js';
import { LinkRegistry, TransportLink } from './peerTransport.js';
import { openPresence } from './presence.js';
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
import { NONCE_BYTES, decodeVenueMessage, encodeVenueMessage, venueProofBytes, type VenueMessage } from './venueMessages.js';

export interface VenueSessionOptions {
  keyring: GroupKeyring;
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
  | 'failed'; // WebRTC could not connect or set up

export const VENUE_PROBLEM_MESSAGES: Record<VenueProblem, string> = {
  'other-group': 'That code is for a different group. Please check that you are both in the same group.',
  'wrong-kind': 'That is not the code Hearth expected here. Please scan the code the other phone shows now.',
  'other-offer': 'That answer belongs to an older code. Please show a new code and scan again.',
  'no-network': 'This phone is not on a local network. Join the venue Wi-Fi or turn on a phone’s hotspot, and try again.',
  'not-a-member': 'The other phone is not a member of this group, so nothing was shared with it.',
  'bad-proof': 'The other phone could not prove who it is, so nothing was shared with it.',
  failed: 'The phones could not connect. Please check that both are on the same network, and try again.',
};

export type VenueResult<T> = ({ ok: true } & T) | { ok: false; problem: VenueProblem | 'bad-code'; message: string };

export type VenueSessionEvents = {
  /** Peers proven and linked now. */
  peers: (peers: VenuePeer[]) => void;
  /** A peer's presence changed. */
  presence: () => void;
  problem: (problem: VenueProblem) => void;
};

const DEFAULT_GATHER_TIMEOUT_MS = 3000;
/** An introduced connection not proven within this is dropped (the relay or the network failed). */
const INTRODUCTION_TIMEOUT_MS = 30_000;
/** A scanned one waits longer: people take their time to point a camera. */
const SCAN_TIMEOUT_MS = 5 * 60_000;

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
  private readonly keyring: GroupKeyring;
  private readonly identity: VenueSessionOptions['identity'];
  private readonly isMember: VenueSessionOptions['isMember'];
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
    this.identity = options.identity;
    this.isMember = options.isMember;
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
    if (this.shownOffer && !this.shownOffer.remoteFingerprint) this.drop(this.shownOffer);
    const connection = this.connect('offer', 'scan');
    this.shownOffer = connection;
    const description = await this.describe(connection);
    if (!description.ok) return description;
    if (this.shownOffer !== connection) return this.fail('other-offer');
    return { ok: true, code: encodeVenueCode({ kind: 'offer', groupTag: venueGroupTag(this.keyring), offerRef: new Uint8Array(4), ...description.value }) };
  }

  /**
   * A code scanned or pasted: an offer gets an answer code to show back; an answer completes the
   * offer this device is showing. Both give the short code the two screens compare.
   */
  async acceptCode(bytes: Uint8Array): Promise<VenueResult<{ answer?: Uint8Array; shortCode: string }>> {
    const decoded = decodeVenueCode(bytes);
    if (!decoded.ok) return { ok: false, problem: 'bad-code', message: VENUE_CODE_MESSAGES[decoded.error] };
    const { code } = decoded;
    if (!bytesEqual(code.groupTag, venueGroupTag(this.keyring))) return this.fail('other-group');
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
    if (!connection.link) {
      if (message.type === 'challenge' && !connection.theirNonce) {
        connection.theirNonce = message.nonce;
        // The scanner proves itself first; the one who showed the code answers only a member.
        if (connection.role === 'answer') this.prove(connection);
        return;
      }
      if (message.type === 'proof' && !connection.peerKey && connection.theirNonce) return this.checkProof(connection, message.key, message.signature);
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
    const signature = sign(
      venueProofBytes({
        groupId: this.keyring.groupId,
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
      groupId: this.keyring.groupId,
      role: connection.role === 'offer' ? 'answer' : 'offer',
      signerFingerprint: connection.remoteFingerprint!,
      verifierFingerprint: connection.localFingerprint!,
      nonce: connection.nonce,
    });
    if (!verify(signature, signed, key) || bytesEqual(key, this.identity.signPublicKey)) return this.refuse(connection, 'bad-proof');
    if (connection.expectedKey && !bytesEqual(key, connection.expectedKey)) return this.refuse(connection, 'bad-proof');
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
    const opened = sealed === '' ? undefined : openPresence({ sealed }, this.keyring);
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
    const code = encodeVenueCode({ kind: 'offer', groupTag: venueGroupTag(this.keyring), offerRef: new Uint8Array(4), ...description.value });
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
    if (!decoded.ok || !bytesEqual(decoded.code.groupTag, venueGroupTag(this.keyring)) || !this.isMember(message.from)) return;
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

  private connectionTo(key: Uint8Array): VenueConnection | undefined {
    return [...this.connections].find((c) => (c.peerKey && bytesEqual(c.peerKey, key)) || (c.expectedKey && bytesEqual(c.expectedKey, key)));
  }

  private refuse(connection: VenueConnection, problem: VenueProblem): void {
    this.emit('problem', [problem]);
    this.drop(connection);
  }

  private drop(connection: VenueConnection): void {
    if (!this.connections.delete(connection)) return;
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
  /** Set once the other side's proof verified and its key is a member's. */
  peerKey?: Uint8Array;
  proofSent = false;
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
