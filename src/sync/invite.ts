import {
  GROUP_ID_BYTES,
  GROUP_SALT_BYTES,
  GROUP_SECRET_BYTES,
  SIGN_PUBLIC_KEY_BYTES,
  bytesEqual,
  deriveGroupId,
  fromBase64Url,
  toBase64Url,
} from '../../crypto/index.js';
import { LIMITS } from '../model/index.js';

/**
 * Invite format version 2 (docs/PROTOCOL.md §5). The link's fragment is `#join=` + base64url of:
 *
 * | bytes | field                                                              |
 * |-------|--------------------------------------------------------------------|
 * | 1     | invite version = 2                                                 |
 * | 16    | group id                                                           |
 * | 4     | epoch, uint32 big-endian                                           |
 * | 32    | the epoch's group secret                                           |
 * | 32    | the group creator's Ed25519 public key                             |
 * | 16    | the group's salt: id = BLAKE2b-128("hearth-group-id-v2" ‖ creator ‖ salt); zeros for a group carried over from v1 |
 * | 1     | n = length of the group name in bytes                              |
 * | n     | group name, UTF-8                                                  |
 *
 * A fragment never reaches a web server; the group name rides along so the joiner sees it
 * before any peer is online. The creator key tells the joiner whose group details to show; the
 * salt proves it for every group made by v2.
 */
export const INVITE_VERSION = 2;
export const INVITE_PREFIX = '#join=';
/** Invite versions above this are read as a malformed link, not as one from a newer app. */
const MAX_PLAUSIBLE_VERSION = 15;
const SECRET_AT = 1 + GROUP_ID_BYTES + 4;
const CREATOR_AT = SECRET_AT + GROUP_SECRET_BYTES;
const SALT_AT = CREATOR_AT + SIGN_PUBLIC_KEY_BYTES;
const FIXED_BYTES = SALT_AT + GROUP_SALT_BYTES + 1;

export interface Invite {
  groupId: Uint8Array;
  epoch: number;
  secret: Uint8Array;
  creatorKey: Uint8Array;
  /** All zeros for a group carried over from v1, whose id was random. */
  salt: Uint8Array;
  groupName: string;
}

export type InviteError =
  | 'not-an-invite'
  | 'bad-encoding'
  | 'not-valid' // decodes, but its first byte is no version Hearth has or plausibly will have
  | 'unsupported-version'
  | 'outdated-version'
  | 'truncated'
  | 'bad-name'
  | 'wrong-creator';
export type InviteResult = { ok: true; invite: Invite } | { ok: false; error: InviteError };

/** Words for the person holding a bad link: what happened and what to do. */
export const INVITE_ERROR_MESSAGES: Record<InviteError, string> = {
  'not-an-invite': 'This link is not a Hearth invite. Ask the person who invited you to share it again.',
  'bad-encoding': 'This invite link is damaged. It may have been changed while it was copied; ask for a fresh one.',
  'not-valid': 'This link is not a valid Hearth invite. It may have been changed while it was copied; ask for a fresh one.',
  'unsupported-version': 'This invite was made by a newer version of Hearth. Update the app, then open the link again.',
  'outdated-version': 'This invite was made by an older version of Hearth. Ask the person who invited you for a fresh one.',
  'wrong-creator': 'This invite link does not match its group. It may have been changed; ask for a fresh one.',
  truncated: 'This invite link is incomplete: part of it was cut off while it was copied. Ask for the whole link.',
  'bad-name': 'This invite link is damaged: its group name cannot be read. Ask for a fresh one.',
};

export function encodeInvite(invite: Invite): string {
  const name = new TextEncoder().encode(invite.groupName);
  if (name.length > 255) throw new RangeError('group name too long for an invite');
  const bytes = new Uint8Array(FIXED_BYTES + name.length);
  const view = new DataView(bytes.buffer);
  bytes[0] = INVITE_VERSION;
  bytes.set(invite.groupId, 1);
  view.setUint32(1 + GROUP_ID_BYTES, invite.epoch);
  bytes.set(invite.secret, SECRET_AT);
  bytes.set(invite.creatorKey, CREATOR_AT);
  bytes.set(invite.salt, SALT_AT);
  bytes[FIXED_BYTES - 1] = name.length;
  bytes.set(name, FIXED_BYTES);
  return INVITE_PREFIX + toBase64Url(bytes);
}

/** The invite link for a group: the app's address with the invite in its fragment. */
export function inviteLink(appUrl: string, invite: Invite): string {
  return appUrl.split('#')[0] + encodeInvite(invite);
}

/** Parses a fragment (`#join=…`) or a whole link; every failure is a value with a message. */
export function parseInvite(linkOrFragment: string): InviteResult {
  const at = linkOrFragment.indexOf(INVITE_PREFIX);
  if (at < 0) return { ok: false, error: 'not-an-invite' };
  const text = linkOrFragment.slice(at + INVITE_PREFIX.length).trim();
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return { ok: false, error: 'bad-encoding' };
  // A link cut mid-character leaves a partial byte: drop it, and let the length check say "truncated".
  let decoded = fromBase64Url(text);
  for (let drop = 1; !decoded.ok && drop <= 3; drop++) decoded = fromBase64Url(text.slice(0, -drop));
  if (!decoded.ok) return { ok: false, error: 'bad-encoding' };
  const bytes = decoded.bytes;
  if (bytes.length === 0) return { ok: false, error: 'truncated' };
  if (bytes[0]! < INVITE_VERSION) return { ok: false, error: 'outdated-version' };
  // Only a small version number is a newer invite; anything else is a damaged or made-up link.
  if (bytes[0]! > MAX_PLAUSIBLE_VERSION) return { ok: false, error: 'not-valid' };
  if (bytes[0] !== INVITE_VERSION) return { ok: false, error: 'unsupported-version' };
  if (bytes.length < FIXED_BYTES || bytes.length !== FIXED_BYTES + bytes[FIXED_BYTES - 1]!) {
    return { ok: false, error: bytes.length < FIXED_BYTES + (bytes[FIXED_BYTES - 1] ?? 0) ? 'truncated' : 'bad-encoding' };
  }
  let groupName: string;
  try {
    groupName = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED_BYTES));
  } catch {
    return { ok: false, error: 'bad-name' };
  }
  if (groupName.trim().length === 0 || groupName.length > LIMITS.groupName) return { ok: false, error: 'bad-name' };
  const groupId = bytes.slice(1, 1 + GROUP_ID_BYTES);
  const creatorKey = bytes.slice(CREATOR_AT, SALT_AT);
  const salt = bytes.slice(SALT_AT, SALT_AT + GROUP_SALT_BYTES);
  if (salt.some((b) => b !== 0) && !bytesEqual(deriveGroupId(creatorKey, salt), groupId)) return { ok: false, error: 'wrong-creator' };
  return {
    ok: true,
    invite: {
      groupId,
      epoch: new DataView(bytes.buffer, bytes.byteOffset).getUint32(1 + GROUP_ID_BYTES),
      secret: bytes.slice(SECRET_AT, CREATOR_AT),
      creatorKey,
      salt,
      groupName,
    },
  };
}
