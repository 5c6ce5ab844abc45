import { fromBase64Url, sign, toBase64Url, verify } from '../../crypto/index.js';

/**
 * Board records: immutable plain values stored in the board doc's root maps. Every record
 * names its author by signing key (base64url) and carries the author's Ed25519 signature
 * over its canonical form, so authorship survives compaction into snapshots. Record format
 * version 1 is documented in docs/PROTOCOL.md.
 */

export const RECORD_VERSION = 1;
export const POST_KINDS = ['story', 'encouragement', 'victory'] as const;
export type PostKind = (typeof POST_KINDS)[number];
export const REACTIONS = ['me-too', 'proud-of-you', 'sending-strength'] as const;
export type Reaction = (typeof REACTIONS)[number];
export const MILESTONE_UNITS = ['days', 'weeks', 'months', 'years'] as const;
export type MilestoneUnit = (typeof MILESTONE_UNITS)[number];
export const FOCUSES = ['substance-use', 'mental-health', 'dual-diagnosis', 'other'] as const;
export type GroupFocus = (typeof FOCUSES)[number];

export const LIMITS = {
  body: 5_000,
  contentWarning: 200,
  displayName: 60,
  groupName: 80,
  guidelines: 2_000,
  milestone: 100_000,
} as const;

export interface Milestone {
  value: number;
  unit: MilestoneUnit;
}

export interface PostRecord {
  v: 1;
  type: 'post';
  id: string;
  authorId: string;
  createdAt: number;
  kind: PostKind;
  body: string;
  contentWarning?: string;
  milestone?: Milestone;
  sig: string;
}

export interface ReplyRecord {
  v: 1;
  type: 'reply';
  id: string;
  authorId: string;
  createdAt: number;
  postId: string;
  body: string;
  sig: string;
}

/** One per member, post and reaction; withdrawing sets `active: false` (records are never deleted). */
export interface ReactionRecord {
  v: 1;
  type: 'reaction';
  id: string;
  authorId: string;
  createdAt: number;
  postId: string;
  reaction: Reaction;
  active: boolean;
  sig: string;
}

export interface MemberRecord {
  v: 1;
  type: 'member';
  id: string;
  authorId: string;
  createdAt: number;
  displayName: string;
  boxPublicKey: string;
  sig: string;
}

/** Group details as the member who wrote them states them; the board shows the earliest. */
export interface GroupInfoRecord {
  v: 1;
  type: 'group-info';
  id: string;
  authorId: string;
  createdAt: number;
  name: string;
  focus?: GroupFocus;
  guidelines?: string;
  sig: string;
}

export type BoardRecord = PostRecord | ReplyRecord | ReactionRecord | MemberRecord | GroupInfoRecord;
export type Unsigned<R extends BoardRecord> = Omit<R, 'sig'>;

/** The key signers sign: a domain prefix, then the record's fields in a fixed order, minus `sig`. */
export function canonicalBytes(record: Unsigned<BoardRecord>): Uint8Array {
  const entries = Object.entries(record)
    .filter(([key, value]) => key !== 'sig' && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new TextEncoder().encode('hearth-record-v1\n' + JSON.stringify(entries));
}

export function signRecord<R extends BoardRecord>(record: Unsigned<R>, signSecretKey: Uint8Array): R {
  return { ...record, sig: toBase64Url(sign(canonicalBytes(record), signSecretKey)) } as R;
}

/** True when `sig` is the record author's signature over the record as it stands. */
export function verifyRecord(record: BoardRecord): boolean {
  const key = fromBase64Url(record.authorId);
  const sig = fromBase64Url(record.sig);
  if (!key.ok || !sig.ok) return false;
  return verify(sig.bytes, canonicalBytes(record), key.bytes);
}

/** Every record key starts with its author's id, so ownership of a key is visible to sync checks. */
export function recordKey(authorId: string, suffix: string): string {
  return `${authorId}/${suffix}`;
}

export function authorOfKey(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? key : key.slice(0, slash);
}
