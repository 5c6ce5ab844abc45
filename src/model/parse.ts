import {
  FOCUSES,
  LIMITS,
  MILESTONE_UNITS,
  POST_KINDS,
  REACTIONS,
  type BoardRecord,
  type GroupInfoRecord,
  type MemberRecord,
  type Milestone,
  type PostRecord,
  type ReactionRecord,
  type ReplyRecord,
} from './records.js';

/**
 * Values in the board doc came from other devices: each is checked for shape and limits
 * before the board shows it. A value that fails is skipped (and counted), never thrown on.
 */

type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isNonEmptyText = (v: unknown, max: number): v is string => isText(v, max) && v.trim().length > 0;
const isOneOf = <T extends string>(v: unknown, options: readonly T[]): v is T =>
  typeof v === 'string' && (options as readonly string[]).includes(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isKey = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{43}\/[A-Za-z0-9_/|-]{1,200}$/.test(v);
const isPostId = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{43}\/[A-Za-z0-9_-]{1,64}$/.test(v);

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

function parseMilestone(v: unknown): Milestone | undefined | null {
  if (v === undefined) return undefined;
  if (!isObject(v)) return null;
  const { value, unit } = v;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > LIMITS.milestone) return null;
  if (!isOneOf(unit, MILESTONE_UNITS)) return null;
  return { value, unit };
}

export function parsePost(key: string, v: unknown): PostRecord | null {
  if (!isObject(v) || !hasBase(v, 'post', key)) return null;
  if (!isOneOf(v.kind, POST_KINDS) || !isNonEmptyText(v.body, LIMITS.body)) return null;
  if (v.contentWarning !== undefined && !isNonEmptyText(v.contentWarning, LIMITS.contentWarning)) return null;
  const milestone = parseMilestone(v.milestone);
  if (milestone === null || (milestone && v.kind !== 'victory')) return null;
  return v as unknown as PostRecord;
}

export function parseReply(key: string, v: unknown): ReplyRecord | null {
  if (!isObject(v) || !hasBase(v, 'reply', key)) return null;
  if (!isPostId(v.postId) || !isNonEmptyText(v.body, LIMITS.body)) return null;
  return v as unknown as ReplyRecord;
}

export function parseReaction(key: string, v: unknown): ReactionRecord | null {
  if (!isObject(v) || !hasBase(v, 'reaction', key)) return null;
  if (!isPostId(v.postId) || !isOneOf(v.reaction, REACTIONS) || typeof v.active !== 'boolean') return null;
  // One reaction of each kind per member and post: the key is fixed by its content.
  if (key !== `${v.authorId}/${v.postId}|${v.reaction}`) return null;
  return v as unknown as ReactionRecord;
}

export function parseMember(key: string, v: unknown): MemberRecord | null {
  if (!isObject(v) || !hasBase(v, 'member', key)) return null;
  if (key !== `${v.authorId}/profile`) return null;
  if (!isNonEmptyText(v.displayName, LIMITS.displayName) || !isText(v.boxPublicKey, 43)) return null;
  return v as unknown as MemberRecord;
}

export function parseGroupInfo(key: string, v: unknown): GroupInfoRecord | null {
  if (!isObject(v) || !hasBase(v, 'group-info', key)) return null;
  if (key !== `${v.authorId}/group`) return null;
  if (!isNonEmptyText(v.name, LIMITS.groupName)) return null;
  if (v.focus !== undefined && !isOneOf(v.focus, FOCUSES)) return null;
  if (v.guidelines !== undefined && !isText(v.guidelines, LIMITS.guidelines)) return null;
  return v as unknown as GroupInfoRecord;
}

export const PARSERS: Record<string, (key: string, v: unknown) => BoardRecord | null> = {
  posts: parsePost,
  replies: parseReply,
  reactions: parseReaction,
  members: parseMember,
  group: parseGroupInfo,
};
