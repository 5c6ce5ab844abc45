import {
  FOCUSES,
  LIMITS,
  MILESTONE_UNITS,
  POST_KINDS,
  REACTIONS,
  type BoardRecord,
  type CrisisLineRecord,
  type GroupInfoRecord,
  type MemberRecord,
  type PostRecord,
  type ReactionRecord,
  type ReplyRecord,
} from './schema.js';
import { checkCheckin, type CheckinProblem } from './checkin.js';
import { isNonEmptyText, isObject, isOneOf, isRecordId as isPostId, isText, isTime, type Fields } from './checks.js';
import { checkAgenda, type AgendaProblem } from './meeting.js';
import { checkScheduleSlot, type ScheduleProblem } from './schedule.js';
import { checkHelped, checkTechnique, type TechniqueProblem } from './technique.js';
import { isMembershipEntry } from './membershipParse.js';

/**
 * Values in the board docs came from other devices: each is checked for shape and limits
 * before the board shows it. The same checks tell a writer why the board refuses what it was
 * asked to write (`recordProblem`), so the model never writes what its parser would drop.
 */

/** Why a value is not a board record. Stable codes: writers report them, tests assert them. */
export type RecordProblem =
  | 'not-an-object'
  | 'bad-base' // version, type, id, author id, createdAt or sig malformed, or the key is not the author's
  | 'bad-kind'
  | 'empty-body'
  | 'body-too-long'
  | 'bad-content-warning'
  | 'bad-milestone'
  | 'bad-post-id'
  | 'bad-reaction'
  | 'bad-key'
  | 'bad-display-name'
  | 'bad-box-key'
  | 'bad-group-name'
  | 'bad-focus'
  | 'bad-guidelines'
  | 'bad-flag' // a hide or pin record whose hidden/pinned is not a boolean
  | CheckinProblem
  | ScheduleProblem
  | AgendaProblem
  | TechniqueProblem
  | 'bad-line-name'
  | 'bad-phone'
  | 'bad-line-note'

  | 'bad-membership';

type Check = (key: string, v: Fields) => RecordProblem | undefined;

const isKey = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{43}\/[A-Za-z0-9_/|-]{1,200}$/.test(v);

function hasBase(v: Fields, type: string, key: string): boolean {
  return (
    v.v === 1 &&
    v.type === type &&
    v.id === key &&
    isKey(v.id) &&
    typeof v.authorId === 'string' &&
    /^[A-Za-z0-9_-]{43}$/.test(v.authorId) &&
    key.startsWith(v.authorId + '/') &&
    isTime(v.createdAt) &&
    typeof v.sig === 'string' &&
    /^[A-Za-z0-9_-]{86}$/.test(v.sig)
  );
}

function bodyProblem(body: unknown): RecordProblem | undefined {
  if (!isNonEmptyText(body, Infinity)) return 'empty-body';
  if (body.length > LIMITS.body) return 'body-too-long';
  return undefined;
}

function milestoneProblem(v: Fields): RecordProblem | undefined {
  if (v.milestone === undefined) return undefined;
  if (!isObject(v.milestone) || v.kind !== 'victory') return 'bad-milestone';
  const { value, unit } = v.milestone;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > LIMITS.milestone) return 'bad-milestone';
  return isOneOf(unit, MILESTONE_UNITS) ? undefined : 'bad-milestone';
}

const checkPost: Check = (_key, v) => {
  if (!isOneOf(v.kind, POST_KINDS)) return 'bad-kind';
  const body = bodyProblem(v.body);
  if (body) return body;
  if (v.contentWarning !== undefined && !isNonEmptyText(v.contentWarning, LIMITS.contentWarning)) return 'bad-content-warning';
  return milestoneProblem(v);
};

const checkReply: Check = (_key, v) => (isPostId(v.postId) ? bodyProblem(v.body) : 'bad-post-id');

const checkReaction: Check = (key, v) => {
  if (!isPostId(v.postId)) return 'bad-post-id';
  if (!isOneOf(v.reaction, REACTIONS) || typeof v.active !== 'boolean') return 'bad-reaction';
  // One reaction of each kind per member and post: the key is fixed by its content.
  return key === `${v.authorId}/${v.postId}|${v.reaction}` ? undefined : 'bad-key';
};

const checkMember: Check = (key, v) => {
  if (key !== `${v.authorId}/profile`) return 'bad-key';
  if (!isNonEmptyText(v.displayName, LIMITS.displayName)) return 'bad-display-name';
  return isText(v.boxPublicKey, 43) ? undefined : 'bad-box-key';
};

const checkGroupInfo: Check = (key, v) => {
  if (key !== `${v.authorId}/group`) return 'bad-key';
  if (!isNonEmptyText(v.name, LIMITS.groupName)) return 'bad-group-name';
  if (v.focus !== undefined && !isOneOf(v.focus, FOCUSES)) return 'bad-focus';
  return v.guidelines === undefined || isText(v.guidelines, LIMITS.guidelines) ? undefined : 'bad-guidelines';
};

/** Hide and pin records: one per facilitator and post, so the key is fixed by its content. */
const checkPostFlag =
  (suffix: 'hide' | 'pin', flag: 'hidden' | 'pinned'): Check =>
  (key, v) => {
    if (!isPostId(v.postId)) return 'bad-post-id';
    if (typeof v[flag] !== 'boolean') return 'bad-flag';
    return key === `${v.authorId}/${v.postId}|${suffix}` ? undefined : 'bad-key';
  };
/** A dialable number: digits, spaces, dashes and brackets, an optional leading +, at least three digits. */
const isPhone = (v: unknown): v is string =>
  isText(v, LIMITS.phone) && /^\+?[0-9][0-9 ()-]*$/.test(v) && (v.match(/[0-9]/g) ?? []).length >= 3;

const checkCrisisLine: Check = (key, v) => {
  if (!/^[A-Za-z0-9_-]{43}\/line-[A-Za-z0-9_-]{1,32}$/.test(key)) return 'bad-key';
  if (!isNonEmptyText(v.name, LIMITS.crisisLineName)) return 'bad-line-name';
  if (!isPhone(v.phone)) return 'bad-phone';
  if (v.note !== undefined && !isText(v.note, LIMITS.crisisLineNote)) return 'bad-line-note';
  return typeof v.active === 'boolean' ? undefined : 'bad-active';
};

/** Each root map of a board doc, the record type it holds, and that type's checks. */
const ROOT_RULES = {
  posts: { type: 'post', check: checkPost },
  replies: { type: 'reply', check: checkReply },
  reactions: { type: 'reaction', check: checkReaction },
  members: { type: 'member', check: checkMember },
  group: { type: 'group-info', check: checkGroupInfo },
  hides: { type: 'hide', check: checkPostFlag('hide', 'hidden') },
  pins: { type: 'pin', check: checkPostFlag('pin', 'pinned') },
  checkins: { type: 'checkin', check: checkCheckin },
  schedule: { type: 'meeting-slot', check: checkScheduleSlot },
  agenda: { type: 'agenda', check: checkAgenda },
  techniques: { type: 'technique', check: checkTechnique },
  helped: { type: 'helped', check: checkHelped },
  crisisLines: { type: 'crisis-line', check: checkCrisisLine },
  membership: { type: 'membership', check: (key, v) => (isMembershipEntry(key, v) ? undefined : 'bad-membership') },
} as const satisfies Record<string, { type: string; check: Check }>;

export type BoardRoot = keyof typeof ROOT_RULES;
/** The root maps of a board doc; nothing else in a doc is read. */
export const BOARD_ROOTS = Object.keys(ROOT_RULES) as BoardRoot[];

export function isBoardRoot(name: unknown): name is BoardRoot {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ROOT_RULES, name);
}

/** Why `value`, stored under `key` in `root`, is not a record the board shows; undefined when it is. */
export function recordProblem(root: BoardRoot, key: string, value: unknown): RecordProblem | undefined {
  if (!isObject(value)) return 'not-an-object';
  const rules = ROOT_RULES[root];
  if (!hasBase(value, rules.type, key)) return 'bad-base';
  return rules.check(key, value);
}

/** The record under `key` in `root`, or null when it fails its checks. */
export function parseRecord(root: BoardRoot, key: string, value: unknown): BoardRecord | null {
  return recordProblem(root, key, value) === undefined ? (value as BoardRecord) : null;
}

export const parsePost = (key: string, v: unknown): PostRecord | null => parseRecord('posts', key, v) as PostRecord | null;
export const parseReply = (key: string, v: unknown): ReplyRecord | null => parseRecord('replies', key, v) as ReplyRecord | null;
export const parseReaction = (key: string, v: unknown): ReactionRecord | null =>
  parseRecord('reactions', key, v) as ReactionRecord | null;
export const parseMember = (key: string, v: unknown): MemberRecord | null => parseRecord('members', key, v) as MemberRecord | null;
export const parseGroupInfo = (key: string, v: unknown): GroupInfoRecord | null =>
  parseRecord('group', key, v) as GroupInfoRecord | null;
export const parseCrisisLine = (key: string, v: unknown): CrisisLineRecord | null =>
  parseRecord('crisisLines', key, v) as CrisisLineRecord | null;
