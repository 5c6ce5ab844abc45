// Imported module by module, not through model/index.js: the first screen (firstPage.ts) reads
// this before libsodium loads, and model/records.ts would pull it in.
import type { BoardView, PostView } from '../model/board.js';
import { parseGroupInfo, parseMember, parsePost, parseReply } from '../model/parse.js';
import { REACTIONS, type GroupInfoRecord, type MemberRecord, type PostRecord, type ReplyRecord } from '../model/schema.js';
import type { GroupRecord } from './ports.js';
import type { BoardScreen } from './state.js';

/**
 * The recent page: the newest posts of a group's board (with their replies, reaction counts
 * and the members who wrote them), kept as a setting (sealed under the storage key like every
 * setting, re-sealed by the app lock) beside the full local snapshot. Opening the group shows
 * it at once, before the chains are read; the whole board replaces it once loaded. Every
 * record in it was admitted (signature checked) when it arrived; it is parsed again on the way
 * in, as carried-over v1 records are, since that is cheap. Format: docs/PROTOCOL.md §14.
 */

export const recentPageKey = (groupId: string): string => `recent:${groupId}`;
/** As many posts as the board window shows at first. */
export const RECENT_POSTS = 25;

export interface RecentPage {
  v: 1;
  posts: { record: PostRecord; replies: ReplyRecord[]; reactions: PostView['reactions'] }[];
  members: MemberRecord[];
  group?: GroupInfoRecord;
  /** How many posts the whole board held. */
  total: number;
}

/** The recent page of a board view (newest first, as the view is). */
export function recentPageOf(view: BoardView): RecentPage {
  const posts = view.posts.slice(0, RECENT_POSTS);
  const writers = new Set(posts.flatMap((post) => [post.record.authorId, ...post.replies.map((reply) => reply.record.authorId)]));
  return {
    v: 1,
    posts: posts.map((post) => ({ record: post.record, replies: post.replies.map((reply) => reply.record), reactions: post.reactions })),
    members: [...view.members.values()].filter((member) => writers.has(member.authorId)),
    ...(view.group ? { group: view.group } : {}),
    total: view.posts.length,
  };
}

export interface RecentBoard {
  posts: PostView[];
  members: Map<string, MemberRecord>;
  group: GroupInfoRecord | undefined;
  total: number;
}

/** The page read back, every record checked again; undefined when it is not a recent page. */
export function readRecentPage(value: unknown): RecentBoard | undefined {
  if (!isObject(value) || value.v !== 1 || !Array.isArray(value.posts) || !Array.isArray(value.members)) return undefined;
  const posts: PostView[] = [];
  for (const entry of value.posts.slice(0, RECENT_POSTS)) {
    if (!isObject(entry) || !isObject(entry.record) || !Array.isArray(entry.replies)) continue;
    const record = parsePost(String(entry.record.id), entry.record);
    const reactions = readReactions(entry.reactions);
    if (!record || !reactions) continue;
    const replies = entry.replies
      .map((reply) => (isObject(reply) ? parseReply(String(reply.id), reply) : null))
      .filter((reply) => reply !== null && reply.postId === record.id)
      .map((reply) => ({ record: reply!, verified: true }));
    posts.push({ record, verified: true, replies, reactions });
  }
  const members = new Map<string, MemberRecord>();
  for (const entry of value.members) {
    const member = isObject(entry) ? parseMember(String(entry.id), entry) : null;
    if (member) members.set(member.authorId, member);
  }
  const group = isObject(value.group) ? (parseGroupInfo(String(value.group.id), value.group) ?? undefined) : undefined;
  const total = typeof value.total === 'number' && Number.isSafeInteger(value.total) && value.total >= posts.length ? value.total : posts.length;
  return { posts, members, group, total };
}

/** What the board shows from the recent page while the rest loads. */
export function recentScreen(record: Pick<GroupRecord, 'id' | 'name' | 'focus' | 'guidelines'>, viewerId: string, recent: RecentBoard): BoardScreen {
  // Saved from this device's own board view, so its group details are already an editor's.
  const info = recent.group;
  return {
    group: {
      id: record.id,
      name: info?.name ?? record.name,
      ...((info?.focus ?? record.focus) ? { focus: info?.focus ?? record.focus } : {}),
      ...((info?.guidelines ?? record.guidelines) ? { guidelines: info?.guidelines ?? record.guidelines } : {}),
    },
    viewerId,
    posts: recent.posts,
    members: recent.members,
    unshared: new Set(),
    sync: { state: 'offline', peers: 0, rejected: 0 },
    diagnostics: { rejectedByCode: {}, waiting: 0, forked: [] },
    presence: [],
    filter: 'all',
    // Roles, Support now and the member list wait for the whole board; the posts show now.
    facilitators: new Set(),
    pinsFull: false,
    caughtUp: true,
    support: { groupLines: [], canEditLines: false, contacts: [], incoming: [] },
    membership: { managed: false, members: [], viewerIsFacilitator: false, removed: false, loneFacilitator: false, autoAdmit: false, shareHistory: true, invites: [], atDoor: [] },
    loading: { shown: recent.posts.length, total: recent.total },
  };
}

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

function readReactions(value: unknown): PostView['reactions'] | undefined {
  if (!isObject(value)) return undefined;
  const reactions = {} as PostView['reactions'];
  for (const reaction of REACTIONS) {
    const entry = value[reaction];
    if (!isObject(entry) || !Number.isSafeInteger(entry.count) || (entry.count as number) < 0 || typeof entry.mine !== 'boolean') return undefined;
    reactions[reaction] = { count: entry.count as number, mine: entry.mine };
  }
  return reactions;
}
