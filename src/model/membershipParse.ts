import { GENESIS, MEMBERSHIP_ACTIONS, type MembershipAction } from './membershipSchema.js';

/**
 * Shape checks of a membership entry (the `membership` root). Who may write which entry is
 * not a shape question: it depends on the other entries, and ./membership.ts decides it.
 */

export const MEMBERSHIP_LIMITS = {
  /** Entries an entry may name as seen before it. */
  after: 64,
  /** Sealed secrets in one entry (members × epochs). */
  keys: 1024,
  /** People one invite may admit. */
  uses: 50,
} as const;

const ID = /^[A-Za-z0-9_-]{43}$/;
const ENTRY_ID = /^[A-Za-z0-9_-]{43}\/m\/[A-Za-z0-9_-]{1,64}$/;
/** 32-byte secret sealed with crypto_box_seal: 80 bytes, base64url. */
const SEALED = /^[A-Za-z0-9_-]{107}$/;
const CHECK = /^[A-Za-z0-9_-]{22}$/;

export const isEntryId = (v: unknown): v is string => typeof v === 'string' && ENTRY_ID.test(v);
const isId = (v: unknown): v is string => typeof v === 'string' && ID.test(v);
const isUint32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
const isTime = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isSealedKey = (v: unknown): boolean =>
  Array.isArray(v) && v.length === 3 && (v[0] === GENESIS || isEntryId(v[0])) && isId(v[1]) && typeof v[2] === 'string' && SEALED.test(v[2]);

/** Fields each action must carry (beyond the base and `after`). */
const REQUIRED: Record<MembershipAction, readonly string[]> = {
  create: ['boxKey', 'epoch', 'check'],
  invite: ['invite', 'expiresAt', 'uses'],
  'revoke-invite': ['invite'],
  admit: ['member', 'boxKey'],
  remove: ['member'],
  leave: [],
  appoint: ['member'],
  'step-down': [],
  epoch: ['epoch', 'check', 'keys'],
  share: ['keys'],
  settings: [],
};

/** True when `v` is a well-formed membership entry stored under `key` (base fields checked by the caller). */
export function isMembershipEntry(key: string, v: Record<string, unknown>): boolean {
  if (!key.startsWith(`${String(v.authorId)}/m/`) || !isEntryId(key)) return false;
  const action = v.action;
  if (typeof action !== 'string' || !(MEMBERSHIP_ACTIONS as readonly string[]).includes(action)) return false;
  for (const field of REQUIRED[action as MembershipAction]) if (v[field] === undefined) return false;
  if (!Array.isArray(v.after) || v.after.length > MEMBERSHIP_LIMITS.after || !v.after.every(isEntryId)) return false;
  if (v.member !== undefined && !isId(v.member)) return false;
  if (v.boxKey !== undefined && !isId(v.boxKey)) return false;
  if (v.invite !== undefined && !isId(v.invite)) return false;
  if (v.expiresAt !== undefined && !isTime(v.expiresAt)) return false;
  if (v.uses !== undefined && !(Number.isInteger(v.uses) && (v.uses as number) >= 1 && (v.uses as number) <= MEMBERSHIP_LIMITS.uses)) return false;
  if (v.epoch !== undefined && !(isUint32(v.epoch) && (action !== 'epoch' || v.epoch > 0))) return false;
  if (v.check !== undefined && !(typeof v.check === 'string' && CHECK.test(v.check))) return false;
  if (v.keys !== undefined && !(Array.isArray(v.keys) && v.keys.length <= MEMBERSHIP_LIMITS.keys && v.keys.every(isSealedKey))) return false;
  for (const flag of ['history', 'autoAdmit', 'legacy'] as const) if (v[flag] !== undefined && typeof v[flag] !== 'boolean') return false;
  return true;
}
