import { correction, generate, mode } from 'lean-qr';
import { createDeviceIdentity, fromBase64Url, fromHex, ready, toBase64Url, type DeviceIdentity } from '../../../crypto/index.js';
import { openCamera, scanQrCodes } from '../../../components/venue/qrScanner.js';
import { EnvelopeCounter } from '../../../src/log/counter.js';
import { GroupLog } from '../../../src/log/groupLog.js';
import { GroupKeyring } from '../../../src/log/keyring.js';
import { InviteGuest, InviteHost, type GuestStage, type JoinAtDoor } from '../../../src/app/inviteHandshake.js';
import { logInvite, stateGroup } from '../../../src/log/membershipOps.js';
import { addPost, boardView, inviteProblem, setMember, type BoardView } from '../../../src/model/index.js';
import { INVITE_LIFETIME_MS, encodeOneTimeInvite, inviteKeys, newOneTimeInvite, parseOneTimeInvite } from '../../../src/sync/oneTimeInvite.js';
import { ChunkedDataChannel, type HearthMessageEvent } from '../../../src/sync/chunkedDataChannel.js';
import { GroupSession, type PresentMember, type SyncStatus } from '../../../src/sync/groupSession.js';
import {
  VENUE_CODE_MESSAGES,
  decodeVenueCode,
  describeSdp,
  encodeVenueCode,
  offerRefOf,
  venueCodeFromQrText,
  venueCodeQrText,
  venueCodeText,
  venueSdp,
} from '../../../src/sync/venueCode.js';
import { decodeVenueMessage, encodeVenueMessage } from '../../../src/sync/venueMessages.js';
import { VenueSession, type VenuePeer, type VenueProblem } from '../../../src/sync/venueSession.js';
import type { VenueInviteRefusal } from '../../../src/sync/venueMessages.js';
import { MemoryDisk } from '../../fakes/memoryEnvelopeStore.js';

/**
 * A member's device at a venue, without the UI: the real group log (in-memory disk), GroupSession
 * with its venue session, the real QR drawing (lean-qr) and the real camera scanner (jsQR on
 * Chromium for Linux). Driven by Playwright through `window.hearthVenue`. Its signaling URL
 * points at a port where nothing listens: no server at all.
 */

interface Member {
  log: GroupLog;
  session: GroupSession;
  venue: VenueSession;
  id: string;
  identity: DeviceIdentity;
  problems: VenueProblem[];
}

let member: Member | undefined;
const canvas = document.getElementById('qr') as HTMLCanvasElement;
const video = document.getElementById('camera') as HTMLVideoElement;

function current(): Member {
  if (!member) throw new Error('call hearthTest.join() first');
  return member;
}

function view(): BoardView {
  const { log, id } = current();
  return boardView({ authors: () => log.authors(), creatorId: log.creatorId }, id);
}

/** Draws a code as the venue screen does: base45 in alphanumeric mode, 8 px a module, a quiet zone. */
function drawQr(bytes: Uint8Array): void {
  const code = generate(mode.alphaNumeric(venueCodeQrText(bytes)), { minCorrectionLevel: correction.M, maxVersion: 10 });
  const scale = 8;
  const quiet = 4;
  canvas.width = canvas.height = (code.size + 2 * quiet) * scale;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#000';
  for (let y = 0; y < code.size; y++) for (let x = 0; x < code.size; x++) if (code.get(x, y)) context.fillRect((x + quiet) * scale, (y + quiet) * scale, scale, scale);
}

/** Scans the camera until a venue code (any, valid or not) is read; returns its text. */
async function scanText(): Promise<string> {
  const stream = await openCamera();
  video.srcObject = stream;
  await video.play();
  let text = '';
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 20_000);
  try {
    await scanQrCodes(video, (found) => ((text = found), true), abort.signal);
  } finally {
    clearTimeout(timer);
    stream.getTracks().forEach((track) => track.stop());
    video.srcObject = null;
  }
  if (!text) throw new Error('no QR code read within 20 s');
  return text;
}

/** Membership as the app decides it (GroupRuntime.isMember): the membership log's, or in a group from before it the board's member records. */
function isMember(key: Uint8Array): boolean {
  const membership = current().log.membership;
  return membership.managed ? membership.members.has(toBase64Url(key)) : view().members.has(toBase64Url(key));
}

/** The venue session, as the app opens it; a facilitator's device answers joiners with the invites it made. */
function openVenue(session: GroupSession, joinedOver?: VenueSession): VenueSession {
  const inviteStatus = (inviteKey: string): VenueInviteRefusal | undefined => {
    const invite = current().log.membership.invites.get(inviteKey);
    if (!invite) return 'unknown-invite';
    return inviteProblem(invite, Date.now()) ?? (hosted.has(inviteKey) ? undefined : 'unknown-invite');
  };
  const venue = session.openVenue(isMember, inviteStatus, joinedOver);
  venue.on('problem', (problem) => current().problems.push(problem));
  return venue;
}

/** Invites this device made, each with the handshake's host on the venue door. */
const hosted = new Map<string, InviteHost>();
/** A joiner's device before it is a member: the invite-mode venue session and the handshake on it. */
let joining: { venue: VenueSession; guest: InviteGuest; identity: DeviceIdentity; refusals: VenueInviteRefusal[]; groupId: Uint8Array } | undefined;

async function written<R>(outcome: Promise<{ ok: true; record: R } | { ok: false; problem: string }>): Promise<R> {
  const result = await outcome;
  if (!result.ok) throw new Error(`write refused: ${result.problem}`);
  return result.record;
}

/** What happened to a stranger's connection: every venue message type it received. */
const strangerLog: { received: string[]; open: boolean } = { received: [], open: false };

const hearthTest = {
  async join(options: { groupIdHex: string; secretHex: string; displayName: string }): Promise<{ authorId: string }> {
    await ready();
    const identity = createDeviceIdentity();
    const groupId = fromHex(options.groupIdHex);
    const keyring = new GroupKeyring(groupId, [{ epoch: 0, secret: fromHex(options.secretHex) }]);
    const log = await GroupLog.open({ keyring, identity, store: new MemoryDisk().open(toBase64Url(groupId)), creatorId: undefined });
    const session = new GroupSession({
      log,
      keyring,
      identity,
      displayName: options.displayName,
      config: { signaling: ['ws://127.0.0.1:9'], iceServers: [] },
      counter: new EnvelopeCounter(),
    });
    const id = toBase64Url(identity.signPublicKey);
    await written(log.write((context) => setMember(context, identity.boxPublicKey, options.displayName)));
    session.connect();
    member = { log, session, venue: openVenue(session), id, identity, problems: [] };
    return { authorId: id };
  },

  /** A facilitator's device: a new group with a membership log, this device its creator. */
  async found(options: { groupIdHex: string; secretHex: string; displayName: string }): Promise<{ authorId: string }> {
    await ready();
    const identity = createDeviceIdentity();
    const id = toBase64Url(identity.signPublicKey);
    return hearthTest.openGroup(identity, fromHex(options.groupIdHex), [{ epoch: 0, secret: fromHex(options.secretHex) }], id, options.displayName, true);
  },

  async openGroup(
    identity: DeviceIdentity,
    groupId: Uint8Array,
    epochs: { epoch: number; secret: Uint8Array }[],
    creatorId: string,
    displayName: string,
    create: boolean,
  ): Promise<{ authorId: string }> {
    const keyring = new GroupKeyring(groupId, epochs);
    const log = await GroupLog.open({ keyring, identity, store: new MemoryDisk().open(toBase64Url(groupId)), creatorId });
    if (create) {
      const stated = await stateGroup(log, identity);
      if (!stated.ok) throw new Error(`create refused: ${stated.problem}`);
    }
    const session = new GroupSession({ log, keyring, identity, displayName, config: { signaling: ['ws://127.0.0.1:9'], iceServers: [] }, counter: new EnvelopeCounter() });
    const id = toBase64Url(identity.signPublicKey);
    await written(log.write((context) => setMember(context, identity.boxPublicKey, displayName)));
    session.connect();
    member = { log, session, venue: undefined as unknown as VenueSession, id, identity, problems: [] };
    member.venue = openVenue(session, joining?.venue);
    return { authorId: id };
  },

  /** A one-time invite logged by this facilitator and answered on the venue door; returns the link's fragment. */
  async invite(): Promise<string> {
    const { log, id, venue } = current();
    const { invite, keys } = newOneTimeInvite(log.groupId);
    const logged = await logInvite(log, { inviteKey: keys.inviteKey, expiresAt: Date.now() + INVITE_LIFETIME_MS, uses: 1 });
    if (!logged.ok) throw new Error(`invite refused: ${logged.problem}`);
    const host = new InviteHost(
      venue.inviteRendezvous(keys.inviteKey),
      invite.seed,
      { log, groupId: log.groupId, ownId: id, offer: () => ({ name: 'Thursday basement', guidelines: 'What is said here stays here.' }), welcome: () => ({ creatorId: log.creatorId ?? id, name: 'Thursday basement' }), now: Date.now, autoAdmit: () => false },
      () => undefined,
    );
    hosted.set(keys.inviteKey, host);
    return encodeOneTimeInvite(invite);
  },

  atDoor(): JoinAtDoor[] {
    return [...hosted.values()].flatMap((host) => host.atDoor);
  },

  async admit(memberId: string): Promise<{ ok: boolean; reason?: string }> {
    for (const host of hosted.values()) if (host.atDoor.some((join) => join.member === memberId)) return host.admit(memberId);
    return { ok: false, reason: 'not at the door' };
  },

  /** A newcomer's device with an invite link and no group: asks over the venue link it will scan. */
  async holdInvite(link: string, displayName: string): Promise<{ authorId: string }> {
    await ready();
    const parsed = parseOneTimeInvite(link);
    if (!parsed.ok) throw new Error(parsed.error);
    const identity = createDeviceIdentity();
    const venue = new VenueSession({ invite: parsed.invite, identity, isMember: () => false });
    const refusals: VenueInviteRefusal[] = [];
    venue.on('refused', (reason) => refusals.push(reason));
    const guest = new InviteGuest(venue.inviteRendezvous(inviteKeys(parsed.invite.seed).inviteKey), parsed.invite, identity, displayName, Date.now(), () => undefined);
    joining = { venue, guest, identity, refusals, groupId: parsed.invite.groupId };
    return { authorId: toBase64Url(identity.signPublicKey) };
  },

  /** The newcomer scans the facilitator's code (camera) and shows its answer. */
  async scanAsJoiner(): Promise<{ ok: boolean; shortCode?: string; message?: string }> {
    const decoded = venueCodeFromQrText(await scanText());
    if (!decoded.ok) return { ok: false, message: VENUE_CODE_MESSAGES[decoded.error] };
    const result = await joining!.venue.acceptCode(encodeVenueCode(decoded.code));
    if (!result.ok) return { ok: false, message: result.message };
    if (result.answer) drawQr(result.answer);
    return { ok: true, shortCode: result.shortCode };
  },

  joinerStage(): { stage: GuestStage['stage']; code?: string; guidelines?: string; refusals: VenueInviteRefusal[]; venuePeers: number } {
    const stage = joining!.guest.stage;
    return {
      stage: stage.stage,
      ...(stage.stage === 'offered' || stage.stage === 'agreed' ? { code: stage.code, ...(stage.offer.guidelines ? { guidelines: stage.offer.guidelines } : {}) } : {}),
      refusals: [...joining!.refusals],
      venuePeers: joining!.venue.peers().length,
    };
  },

  agree(): void {
    joining!.guest.agree();
  },

  /** Welcomed: the newcomer opens the group from the welcome's secrets, over the link it was admitted on. */
  async enterAsMember(displayName: string): Promise<{ authorId: string }> {
    const stage = joining!.guest.stage;
    if (stage.stage !== 'welcomed') throw new Error(`not welcomed: ${stage.stage}`);
    const epochs = stage.welcome.epochs.map(({ epoch, secret }) => ({ epoch, secret: (fromBase64Url(secret) as { ok: true; bytes: Uint8Array }).bytes }));
    const opened = await hearthTest.openGroup(joining!.identity, joining!.groupId, epochs, stage.welcome.creatorId, displayName, false);
    joining = undefined;
    return opened;
  },

  /** Back into the meeting after `closeVenue`. */
  reopenVenue(): void {
    current().venue = openVenue(current().session);
  },

  /** Every envelope held, base64url: the test carries them as members' earlier syncs would have. */
  envelopes(): string[] {
    const { log } = current();
    return log.heads().flatMap((head) => log.envelopesAfter(head.authorKey, 0)).map(toBase64Url);
  },

  receive(envelopes: string[]): void {
    current().log.receive(envelopes.map((text) => (fromBase64Url(text) as { ok: true; bytes: Uint8Array }).bytes));
  },

  /** Shows a fresh offer as a QR code; returns its "copy code" text. */
  async showCode(): Promise<{ ok: boolean; text?: string; message?: string }> {
    const result = await current().venue.createOffer();
    if (!result.ok) return { ok: false, message: result.message };
    drawQr(result.code);
    return { ok: true, text: venueCodeText(result.code) };
  },

  /** The QR code on screen as RGBA pixels (base64), for the test to feed to the other camera. */
  qrImage(): { width: number; height: number; rgba: string } {
    const image = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    return { width: image.width, height: image.height, rgba: toBase64Url(new Uint8Array(image.data.buffer)) };
  },

  /** Scans a code with the camera and takes it: an offer draws the answer, an answer connects. */
  async scan(): Promise<{ ok: boolean; shortCode?: string; answered?: boolean; message?: string }> {
    return hearthTest.take(await scanText());
  },

  async take(qrText: string): Promise<{ ok: boolean; shortCode?: string; answered?: boolean; message?: string }> {
    const decoded = venueCodeFromQrText(qrText);
    if (!decoded.ok) return { ok: false, message: VENUE_CODE_MESSAGES[decoded.error] };
    const result = await current().venue.acceptCode(encodeVenueCode(decoded.code));
    if (!result.ok) return { ok: false, message: result.message };
    if (result.answer) drawQr(result.answer);
    return { ok: true, shortCode: result.shortCode, answered: result.answer !== undefined };
  },

  /** The "copy code" path: pasted text instead of the camera. */
  async paste(text: string): Promise<{ ok: boolean; shortCode?: string; answer?: string; message?: string }> {
    const decoded = fromBase64Url(text);
    const result = await current().venue.acceptCode(decoded.ok ? decoded.bytes : new Uint8Array());
    if (!result.ok) return { ok: false, message: result.message };
    return { ok: true, shortCode: result.shortCode, ...(result.answer ? { answer: venueCodeText(result.answer) } : {}) };
  },

  async post(body: string): Promise<string> {
    return (await written(current().log.write((context) => addPost(context, { kind: 'story', body })))).id;
  },

  posts(): { body: string; authorId: string; verified: boolean }[] {
    return view().posts.map((post) => ({ body: post.record.body, authorId: post.record.authorId, verified: post.verified }));
  },

  authors(): number {
    return current().log.heads().length;
  },

  presence(): PresentMember[] {
    return current().session.presence;
  },

  venuePeers(): VenuePeer[] {
    return current().venue.peers();
  },

  problems(): VenueProblem[] {
    return [...current().problems];
  },

  status(): SyncStatus {
    return current().session.status;
  },

  closeVenue(): void {
    current().session.closeVenue();
  },

  /**
   * A stranger with the app's code but no group keys: scans an offer, shows an answer, and once
   * connected sends crafted sync bytes and a proof it cannot make. Records what it receives.
   */
  async strangerScan(): Promise<{ answered: boolean }> {
    await ready();
    const decoded = venueCodeFromQrText(await scanText());
    if (!decoded.ok || decoded.code.kind !== 'offer') return { answered: false };
    const offer = decoded.code;
    const pc = new RTCPeerConnection({ iceServers: [] });
    const channel = new ChunkedDataChannel(pc.createDataChannel('hearth-venue', { negotiated: true, id: 0 }));
    channel.addEventListener('hearthmessage', (event) => {
      const message = decodeVenueMessage((event as HearthMessageEvent).data);
      strangerLog.received.push(message.ok ? message.message.type : `undecodable:${message.error}`);
    });
    channel.addEventListener('open', () => {
      strangerLog.open = true;
      const stranger = createDeviceIdentity();
      // Sync before any proof: a HEADS asking for everything, then ENVELOPES of junk.
      const heads = Uint8Array.of(1, 1, ...offer.groupTag, ...new Uint8Array(8), 0, 0, 0, 0);
      channel.sendHearth(encodeVenueMessage({ type: 'sync', payload: heads }));
      channel.sendHearth(encodeVenueMessage({ type: 'proof', key: stranger.signPublicKey, signature: new Uint8Array(64).fill(1) }));
    });
    channel.addEventListener('close', () => (strangerLog.open = false));
    await pc.setRemoteDescription({ type: 'offer', sdp: venueSdp(offer, 'offer') });
    await pc.setLocalDescription();
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      setTimeout(resolve, 3000);
    });
    const description = describeSdp(pc.localDescription!.sdp)!;
    const answer = encodeVenueCode({ kind: 'answer', groupTag: offer.groupTag, offerRef: offerRefOf(offer.fingerprint), ...description });
    if (!decodeVenueCode(answer).ok) throw new Error('stranger made a bad answer');
    drawQr(answer);
    return { answered: true };
  },

  strangerLog(): { received: string[]; open: boolean } {
    return { received: [...strangerLog.received], open: strangerLog.open };
  },
};

export type VenueTestApi = typeof hearthTest;

(window as unknown as { hearthVenue: VenueTestApi }).hearthVenue = hearthTest;
document.body.dataset.ready = 'true';
