import {
  GROUP_ID_BYTES,
  fromBase64Url,
  hash,
  openSealed,
  sealTo,
  sign,
  sodium,
  toBase64Url,
  verify,
  type DeviceIdentity,
} from '../../crypto/index.js';
import { inviteProblem, type MembershipState } from '../model/index.js';

/**
 * One-time invites, invite format version 3 (docs/PROTOCOL.md §5). The link's fragment is
 * `#invite=` + base64url of:
 *
 * | bytes | field                                      |
 * |-------|--------------------------------------------|
 * | 1     | invite version = 3                         |
 * | 16    | group id                                   |
 * | 32    | random seed                                |
 * | 1     | n = length of the signaling hint in bytes  |
 * | n     | signaling hint (a URL), UTF-8              |
 *
 * No group secret and no group name: a link alone opens nothing. From the seed both sides
 * derive the invite's Ed25519 key (whose public half a facilitator logs with an expiry and a
 * use count), a rendezvous room where joiner and facilitator meet before the joiner is a member,
 * and the key that seals what they say there.
 */
export const ONE_TIME_INVITE_VERSION = 3;
export const ONE_TIME_INVITE_PREFIX = '#invite=';
const SEED_BYTES = 32;
const FIXED_BYTES = 1 + GROUP_ID_BYTES + SEED_BYTES + 1;
/** Default lifetime of an invite, and the longest an automatically admitting invite may live. */
export const INVITE_LIFETIME_MS = 72 * 60 * 60 * 1000;
/** The longest invite a group with automatic admission makes, and the longest it admits through without a facilitator. */
export const AUTO_ADMIT_INVITE_MS = 60 * 60 * 1000;
export const AUTO_ADMIT_LIFETIME_MS = 60 * 60 * 1000;

export interface OneTimeInvite {
  groupId: Uint8Array;
  seed: Uint8Array;
  signalingHint: string;
}

export type OneTimeInviteError =
  | 'not-an-invite'
  | 'bad-encoding'
  | 'not-valid' // decodes, but its first byte is no version Hearth has or plausibly will have
  | 'old-invite'
  | 'unsupported-version'
  | 'truncated';

/** Invite versions above this are read as a malformed link, not as one from a newer app. */
const MAX_PLAUSIBLE_VERSION = 15;

export const ONE_TIME_INVITE_MESSAGES: Record<OneTimeInviteError, string> = {
  'not-an-invite': 'This link is not a Hearth invite. Ask the person who invited you to share it again.',
  'bad-encoding': 'This invite link is damaged. It may have been changed while it was copied; ask for a fresh one.',
  'not-valid': 'This link is not a valid Hearth invite. It may have been changed while it was copied; ask for a fresh one.',
  'old-invite': 'This invite was made by an older version of Hearth and no longer lets anyone in. Please ask a facilitator of the group for a new invite.',
  'unsupported-version': 'This invite was made by a newer version of Hearth. Update the app, then open the link again.',
  truncated: 'This invite link is incomplete: part of it was cut off while it was copied. Ask for the whole link.',
};

export function encodeOneTimeInvite(invite: OneTimeInvite): string {
  const hint = new TextEncoder().encode(invite.signalingHint);
  if (hint.length > 255) throw new RangeError('signaling hint too long for an invite');
  const bytes = new Uint8Array(FIXED_BYTES + hint.length);
  bytes[0] = ONE_TIME_INVITE_VERSION;
  bytes.set(invite.groupId, 1);
  bytes.set(invite.seed, 1 + GROUP_ID_BYTES);
  bytes[FIXED_BYTES - 1] = hint.length;
  bytes.set(hint, FIXED_BYTES);
  return ONE_TIME_INVITE_PREFIX + toBase64Url(bytes);
}

/** Parses a link or fragment; a v1/v2 link (`#join=`) is recognised and answered "ask for a new invite". */
export function parseOneTimeInvite(link: string): { ok: true; invite: OneTimeInvite } | { ok: false; error: OneTimeInviteError } {
  if (link.includes('#join=')) return { ok: false, error: 'old-invite' };
  const at = link.indexOf(ONE_TIME_INVITE_PREFIX);
  if (at < 0) return { ok: false, error: 'not-an-invite' };
  const text = link.slice(at + ONE_TIME_INVITE_PREFIX.length).trim();
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return { ok: false, error: 'bad-encoding' };
  // A link cut mid-character leaves a partial byte: drop it, and let the length check say "truncated".
  let decoded = fromBase64Url(text);
  for (let drop = 1; !decoded.ok && drop <= 3; drop++) decoded = fromBase64Url(text.slice(0, -drop));
  if (!decoded.ok) return { ok: false, error: 'bad-encoding' };
  const bytes = decoded.bytes;
  if (bytes.length === 0) return { ok: false, error: 'truncated' };
  if (bytes[0]! < ONE_TIME_INVITE_VERSION) return { ok: false, error: 'old-invite' };
  // Only a small version number is a newer invite; anything else is a damaged or made-up link.
  if (bytes[0]! > MAX_PLAUSIBLE_VERSION) return { ok: false, error: 'not-valid' };
  if (bytes[0] !== ONE_TIME_INVITE_VERSION) return { ok: false, error: 'unsupported-version' };
  if (bytes.length < FIXED_BYTES || bytes.length < FIXED_BYTES + bytes[FIXED_BYTES - 1]!) return { ok: false, error: 'truncated' };
  if (bytes.length !== FIXED_BYTES + bytes[FIXED_BYTES - 1]!) return { ok: false, error: 'bad-encoding' };
  let signalingHint: string;
  try {
    signalingHint = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED_BYTES));
  } catch {
    return { ok: false, error: 'bad-encoding' };
  }
  return { ok: true, invite: { groupId: bytes.slice(1, 1 + GROUP_ID_BYTES), seed: bytes.slice(1 + GROUP_ID_BYTES, FIXED_BYTES - 1), signalingHint } };
}

export interface InviteKeys {
  /** The invite key a facilitator logs (base64url Ed25519 public key). */
  inviteKey: string;
  signSecretKey: Uint8Array;
  /** Where joiner and facilitator meet: a y-webrtc room only seed holders can name. */
  rendezvousRoom: string;
  rendezvousPassword: string;
}

/** Everything a seed holder derives (crypto_kdf contexts hth-invk, hth-rdv1, hth-rdvp). */
export function inviteKeys(seed: Uint8Array): InviteKeys {
  const s = sodium();
  const pair = s.crypto_sign_seed_keypair(s.crypto_kdf_derive_from_key(32, 1, 'hth-invk', seed));
  return {
    inviteKey: toBase64Url(pair.publicKey),
    signSecretKey: pair.privateKey,
    rendezvousRoom: 'hearth-invite-' + toBase64Url(s.crypto_kdf_derive_from_key(32, 1, 'hth-rdv1', seed)),
    rendezvousPassword: toBase64Url(s.crypto_kdf_derive_from_key(32, 1, 'hth-rdvp', seed)),
  };
}

/** A new invite: a fresh seed, its link and the key to log. */
export function newOneTimeInvite(groupId: Uint8Array, signalingHint = ''): { invite: OneTimeInvite; keys: InviteKeys } {
  const seed = sodium().randombytes_buf(SEED_BYTES);
  return { invite: { groupId, seed, signalingHint }, keys: inviteKeys(seed) };
}

/** What the joiner sends: its device keys, signed with the invite key (it holds the seed) and its own key. */
export interface JoinRequest {
  v: 3;
  type: 'join';
  groupId: string;
  inviteKey: string;
  member: string;
  boxKey: string;
  displayName: string;
  createdAt: number;
  inviteSig: string;
  memberSig: string;
}

const joinBytes = (r: Omit<JoinRequest, 'inviteSig' | 'memberSig'>): Uint8Array =>
  new TextEncoder().encode(`hearth-join-v3\n${JSON.stringify([r.groupId, r.inviteKey, r.member, r.boxKey, r.displayName, r.createdAt])}`);

export function makeJoinRequest(
  invite: OneTimeInvite,
  identity: Pick<DeviceIdentity, 'signPublicKey' | 'signSecretKey' | 'boxPublicKey'>,
  displayName: string,
  now: number,
): JoinRequest {
  const keys = inviteKeys(invite.seed);
  const body = {
    v: 3 as const,
    type: 'join' as const,
    groupId: toBase64Url(invite.groupId),
    inviteKey: keys.inviteKey,
    member: toBase64Url(identity.signPublicKey),
    boxKey: toBase64Url(identity.boxPublicKey),
    displayName,
    createdAt: now,
  };
  const bytes = joinBytes(body);
  return { ...body, inviteSig: toBase64Url(sign(bytes, keys.signSecretKey)), memberSig: toBase64Url(sign(bytes, identity.signSecretKey)) };
}

export type JoinRefusal = 'malformed' | 'bad-signature' | 'unknown-invite' | 'used' | 'expired' | 'revoked' | 'removed' | 'wrong-group';

/** Words for the joiner when a facilitator's device refuses the request. */
export const JOIN_REFUSAL_MESSAGES: Record<JoinRefusal, string> = {
  malformed: 'This invite could not be read. Please ask for a new one.',
  'bad-signature': 'This invite could not be checked. Please ask for a new one.',
  'unknown-invite': 'This invite is not known to the group. Please ask a facilitator for a new one.',
  used: 'This invite has already been used, so it cannot let anyone else in. Please ask a facilitator for a new one.',
  expired: 'This invite has expired. Please ask a facilitator for a new one.',
  revoked: 'This invite was withdrawn by a facilitator. Please ask for a new one if you still want to join.',
  removed: 'This device was removed from the group, so it cannot join again with an invite.',
  'wrong-group': 'This invite is for another group. Please ask for the right link.',
};

/**
 * The facilitator's check of a join request against the membership log: both signatures, an
 * invite logged for this group that is neither used, expired nor revoked, and a joiner who was
 * never removed. Hostile input gives a refusal, never a throw.
 */
export function checkJoinRequest(request: unknown, groupId: Uint8Array, membership: MembershipState, now: number): { ok: true; request: JoinRequest } | { ok: false; refusal: JoinRefusal } {
  const r = request as Partial<JoinRequest> | null;
  const isKey = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v);
  if (!r || r.v !== 3 || r.type !== 'join' || !isKey(r.inviteKey) || !isKey(r.member) || !isKey(r.boxKey)) return { ok: false, refusal: 'malformed' };
  if (typeof r.groupId !== 'string' || typeof r.displayName !== 'string' || r.displayName.length > 60 || typeof r.createdAt !== 'number') return { ok: false, refusal: 'malformed' };
  if (typeof r.inviteSig !== 'string' || typeof r.memberSig !== 'string') return { ok: false, refusal: 'malformed' };
  if (r.groupId !== toBase64Url(groupId)) return { ok: false, refusal: 'wrong-group' };
  const bytes = joinBytes(r as JoinRequest);
  const inviteKey = fromBase64Url(r.inviteKey);
  const member = fromBase64Url(r.member);
  const inviteSig = fromBase64Url(r.inviteSig);
  const memberSig = fromBase64Url(r.memberSig);
  if (!inviteKey.ok || !member.ok || !inviteSig.ok || !memberSig.ok) return { ok: false, refusal: 'malformed' };
  if (!verify(inviteSig.bytes, bytes, inviteKey.bytes) || !verify(memberSig.bytes, bytes, member.bytes)) return { ok: false, refusal: 'bad-signature' };
  const invite = membership.invites.get(r.inviteKey);
  if (!invite) return { ok: false, refusal: 'unknown-invite' };
  const problem = inviteProblem(invite, now);
  if (problem) return { ok: false, refusal: problem };
  if (membership.removed.has(r.member)) return { ok: false, refusal: 'removed' };
  return { ok: true, request: r as JoinRequest };
}

/**
 * The short code both screens show before a facilitator admits: six digits from the invite
 * key and both devices' keys, so a stranger holding a copy of the link (with other keys)
 * shows a different code.
 */
export function shortCode(inviteKey: string, joinerId: string, facilitatorId: string): string {
  const digest = hash(new TextEncoder().encode(`hearth-code-v3\n${inviteKey}\n${joinerId}\n${facilitatorId}`), 16);
  const value = ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
  return String(value % 1_000_000).padStart(6, '0');
}

/** The group's details, sealed to the joiner, before they agree. */
export interface InviteOffer {
  name: string;
  focus?: string;
  guidelines?: string;
  facilitator: string;
}

/** What the admitted joiner needs to open the group: its epoch secrets and who created it. */
export interface Welcome {
  creatorId: string;
  salt?: string;
  name: string;
  epochs: { epoch: number; secret: string }[];
}

/** Seals a JSON value to an X25519 key; only the joiner opens it. */
export function sealJsonTo(value: InviteOffer | Welcome, boxKey: string): string | undefined {
  const key = fromBase64Url(boxKey);
  return key.ok ? toBase64Url(sealTo(new TextEncoder().encode(JSON.stringify(value)), key.bytes)) : undefined;
}

export function openSealedJson<T>(sealed: unknown, identity: Pick<DeviceIdentity, 'boxPublicKey' | 'boxSecretKey'>): T | undefined {
  if (typeof sealed !== 'string' || sealed.length > 64_000) return undefined;
  const bytes = fromBase64Url(sealed);
  const opened = bytes.ok ? openSealed(bytes.bytes, identity.boxPublicKey, identity.boxSecretKey) : null;
  if (!opened) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(opened)) as T;
  } catch {
    return undefined;
  }
}
