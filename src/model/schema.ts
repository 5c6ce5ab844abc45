/**
 * The board's vocabulary and record shapes, free of crypto so views can import them without
 * loading libsodium. Record format version 1 is documented in docs/PROTOCOL.md §3.
 */

import type { CheckinRecord } from './checkin.js';
import type { AgendaRecord } from './meeting.js';
import type { ScheduleRecord } from './schedule.js';
import type { HelpedRecord, TechniqueRecord } from './technique.js';
import type { MembershipRecord } from './membershipSchema.js';

export type { MembershipRecord } from './membershipSchema.js';
export const RECORD_VERSION = 1;
export const POST_KINDS = ['story', 'encouragement', 'victory'] as const;
export type PostKind = (typeof POST_KINDS)[number];
export const REACTIONS = ['me-too', 'proud-of-you', 'sending-strength'] as const;
export type Reaction = (typeof REACTIONS)[number];
export const MILESTONE_UNITS = ['days', 'weeks', 'months', 'years'] as const;
export type MilestoneUnit = (typeof MILESTONE_UNITS)[number];
export const FOCUSES = ['substance-use', 'mental-health', 'dual-diagnosis', 'gambling', 'family-and-friends', 'other'] as const;
export type GroupFocus = (typeof FOCUSES)[number];

export const LIMITS = {
  body: 5_000,
  contentWarning: 200,
  displayName: 60,
  groupName: 80,
  guidelines: 2_000,
  milestone: 100_000,
  crisisLineName: 80,
  phone: 32,
  crisisLineNote: 200,
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

/** A facilitator's word on one post: hidden for everyone but its author and the facilitators, or not. */
export interface HideRecord {
  v: 1;
  type: 'hide';
  id: string;
  authorId: string;
  createdAt: number;
  postId: string;
  hidden: boolean;
  sig: string;
}

/** A facilitator's word on one post: pinned to the top of the board, or not. */
export interface PinRecord {
  v: 1;
  type: 'pin';
  id: string;
  authorId: string;
  createdAt: number;
  postId: string;
  pinned: boolean;
  sig: string;
}

/** The week between meetings (check-ins, schedule, agenda, coping shelf) lives in its own modules. */
export type WeekRecord = CheckinRecord | ScheduleRecord | AgendaRecord | TechniqueRecord | HelpedRecord;

/**
 * A phone line the group adds to "Support now", beside the built-in ones members cannot change.
 * Only facilitators write them; removing one writes it again with `active: false`.
 */
export interface CrisisLineRecord {
  v: 1;
  type: 'crisis-line';
  id: string;
  authorId: string;
  createdAt: number;
  name: string;
  phone: string;
  note?: string;
  active: boolean;
  sig: string;
}

export type BoardRecord = PostRecord | ReplyRecord | ReactionRecord | MemberRecord | GroupInfoRecord | HideRecord | PinRecord | CrisisLineRecord | WeekRecord | MembershipRecord;
export type Unsigned<R extends BoardRecord> = Omit<R, 'sig'>;
