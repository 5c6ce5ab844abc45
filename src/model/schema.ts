/**
 * The board's vocabulary and record shapes, free of crypto so views can import them without
 * loading libsodium. Record format version 1 is documented in docs/PROTOCOL.md §3.
 */

import type { MembershipRecord } from './membershipSchema.js';

export type { MembershipRecord } from './membershipSchema.js';
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

export type BoardRecord = PostRecord | ReplyRecord | ReactionRecord | MemberRecord | GroupInfoRecord | MembershipRecord;
export type Unsigned<R extends BoardRecord> = Omit<R, 'sig'>;
