import type * as Y from 'yjs';
import { randomBytes, toBase64Url } from '../../crypto/index.js';
import { facilitatorsOf } from './admission.js';
import type { ModerationProblem } from './moderation.js';
import { BOARD_ROOTS, parseRecord, recordProblem, type BoardRoot, type RecordProblem } from './parse.js';
import {
  recordKey,
  signRecord,
  type BoardRecord,
  type CrisisLineRecord,
  type GroupFocus,
  type GroupInfoRecord,
  type MemberRecord,
  type Milestone,
  type PostKind,
  type PostRecord,
  type Reaction,
  type ReactionRecord,
  type ReplyRecord,
  type Unsigned,
} from './records.js';

/** Who writes: the device's signing key pair. */
export interface Author {
  signPublicKey: Uint8Array;
  signSecretKey: Uint8Array;
}

export interface NewPost {
  kind: PostKind;
  body: string;
  contentWarning?: string;
  milestone?: Milestone;
}

export interface PostView {
  record: PostRecord;
  /** Always true for what the board shows: every record's signature was checked on receipt. */
  verified: boolean;
  replies: { record: ReplyRecord; verified: boolean }[];
  /** Active reactions of each kind, and whether the viewer is among them. */
  reactions: Record<Reaction, { count: number; mine: boolean }>;
  /** Hidden by a facilitator: only its author and the facilitators still see it (moderation.ts). */
  hidden?: true;
  /** Pinned by a facilitator (moderation.ts). */
  pinned?: true;
}

export interface BoardView {
  group: GroupInfoRecord | undefined;
  members: Map<string, MemberRecord>;
  posts: PostView[];
  /** The group's own crisis lines (active, written by a facilitator), oldest first. */
  crisisLines: CrisisLineRecord[];
  /** Entries present in a document that the board does not show (malformed, or not its author's). */
  invalidEntries: number;
}

/**
 * One document of an author's: with chains per author and epoch (docs/PROTOCOL.md §4) an author
 * has several, told apart by `chain`; the same record id in two of them shows its latest version.
 */
export type AuthorDocument = [authorId: string, doc: Y.Doc, chain?: string];

/**
 * The board is the union of its members' documents: each author's records live in that
 * author's own Y.Docs (memory only), which only envelopes signed by that author ever change.
 */
export interface BoardSource {
  /** Every author's documents, this device's own included. */
  authors(): Iterable<AuthorDocument>;
  /** The group's creator: only their group details are shown. Undefined when not known. */
  creatorId: string | undefined;
  /** Who may add crisis lines; the creator alone when not given (until roles exist). */
  facilitators?: ReadonlySet<string>;
  /** Records carried over from a v1 board on this device (signatures checked then). */
  legacy?: readonly BoardRecord[];
  /** Whose group details count (facilitators, from the membership log); the creator alone when absent. */
  editors?: ReadonlySet<string>;
}

/** What a writer needs: its own document, its keys, the time to stamp, the group's creator. */
export interface WriteContext {
  doc: Y.Doc;
  author: Author;
  /** Never below the author's previous record (the log passes max(clock, latest createdAt)). */
  now: number;
  creatorId: string | undefined;
  /** Who may state the group's details (facilitators, from the membership log); the creator when absent. */
  editors?: ReadonlySet<string>;
  /** The latest version of one of the writer's records across all its documents (one per epoch); `doc` alone when absent. */
  ownRecord?: (root: BoardRoot, key: string) => unknown;
}

/** The writer's record under `key`, wherever its latest version lives. */
export const ownRecord = (context: WriteContext, root: BoardRoot, key: string): unknown =>
  context.ownRecord ? context.ownRecord(root, key) : context.doc.getMap(root).get(key);

export type WriteProblem = RecordProblem | 'not-creator' | ModerationProblem | 'not-facilitator' | 'not-allowed';
export type WriteResult<R> = { ok: true; record: R } | { ok: false; problem: WriteProblem };

export const authorIdOf = (author: Pick<Author, 'signPublicKey'>): string => toBase64Url(author.signPublicKey);
export const newSuffix = (): string => toBase64Url(randomBytes(12));

/**
 * Signs a record of the author's and sets it under a key starting with their id, unless the
 * board's own parser would drop it: the model never writes what it would not show.
 */
export function writeRecord<R extends BoardRecord>(
  root: BoardRoot,
  context: WriteContext,
  type: R['type'],
  suffix: string,
  fields: Omit<Unsigned<R>, 'v' | 'type' | 'id' | 'authorId' | 'createdAt'>,
): WriteResult<R> {
  const authorId = authorIdOf(context.author);
  const unsigned = { v: 1, type, id: recordKey(authorId, suffix), authorId, createdAt: context.now, ...fields } as Unsigned<R>;
  const record = signRecord<R>(unsigned, context.author.signSecretKey);
  const problem = recordProblem(root, record.id, record);
  if (problem) return { ok: false, problem };
  context.doc.getMap(root).set(record.id, record);
  return { ok: true, record };
}

export function addPost(context: WriteContext, input: NewPost): WriteResult<PostRecord> {
  return writeRecord<PostRecord>('posts', context, 'post', newSuffix(), {
    kind: input.kind,
    body: input.body,
    ...(input.contentWarning ? { contentWarning: input.contentWarning } : {}),
    ...(input.kind === 'victory' && input.milestone ? { milestone: input.milestone } : {}),
  });
}

export function addReply(context: WriteContext, postId: string, body: string): WriteResult<ReplyRecord> {
  return writeRecord<ReplyRecord>('replies', context, 'reply', newSuffix(), { postId, body });
}

export function setReaction(context: WriteContext, postId: string, reaction: Reaction, active: boolean): WriteResult<ReactionRecord> {
  return writeRecord<ReactionRecord>('reactions', context, 'reaction', `${postId}|${reaction}`, { postId, reaction, active });
}

/** Reactions are never deleted: withdrawing one writes a newer record with `active: false`. */
export function toggleReaction(context: WriteContext, postId: string, reaction: Reaction): WriteResult<ReactionRecord> {
  const current = ownRecord(context, 'reactions', recordKey(authorIdOf(context.author), `${postId}|${reaction}`));
  const active = !(current && (current as ReactionRecord).active);
  return setReaction(context, postId, reaction, active);
}

export function setMember(context: WriteContext, boxPublicKey: Uint8Array, displayName: string): WriteResult<MemberRecord> {
  return writeRecord<MemberRecord>('members', context, 'member', 'profile', { displayName, boxPublicKey: toBase64Url(boxPublicKey) });
}

/** Only facilitators (before membership existed: the creator) state the group's name, focus and guidelines. */
export function setGroupInfo(
  context: WriteContext,
  info: { name: string; focus?: GroupFocus; guidelines?: string },
): WriteResult<GroupInfoRecord> {
  const id = authorIdOf(context.author);
  if (!(context.editors?.has(id) ?? id === context.creatorId)) return { ok: false, problem: 'not-creator' };
  return writeRecord<GroupInfoRecord>('group', context, 'group-info', 'group', {
    name: info.name,
    ...(info.focus ? { focus: info.focus } : {}),
    ...(info.guidelines ? { guidelines: info.guidelines } : {}),
  });
}

/** The latest createdAt among the records of one document (0 when it holds none). */
export function latestCreatedAt(doc: Y.Doc): number {
  let latest = 0;
  for (const root of BOARD_ROOTS) {
    doc.getMap(root).forEach((value) => {
      const createdAt = (value as { createdAt?: unknown } | null)?.createdAt;
      if (typeof createdAt === 'number' && createdAt > latest) latest = createdAt;
    });
  }
  return latest;
}

type RecordsByRoot = { [K in BoardRoot]: BoardRecord[] };

/**
 * Every record the board shows, by root: each document's own records (the latest version of
 * an id an author's documents share), then legacy ones they lack.
 */
export function collect(source: BoardSource): { records: RecordsByRoot; invalid: number } {
  const records = Object.fromEntries(BOARD_ROOTS.map((root) => [root, []])) as unknown as RecordsByRoot;
  const seen = new Map<string, { root: BoardRoot; record: BoardRecord }>();
  let invalid = 0;
  for (const [authorId, doc] of source.authors()) {
    for (const root of BOARD_ROOTS) {
      doc.getMap(root).forEach((value, key) => {
        const record = parseRecord(root, key, value);
        // A document holds only its author's records; anything else is not shown.
        if (!record || record.authorId !== authorId) return void invalid++;
        const held = seen.get(record.id)?.record;
        if (!held || isNewerVersion(record, held)) seen.set(record.id, { root, record });
      });
    }
  }
  for (const { root, record } of seen.values()) records[root].push(record);
  for (const record of source.legacy ?? []) {
    const root = ROOT_OF_TYPE[record.type];
    if (!seen.has(record.id)) records[root].push(record);
  }
  return { records, invalid };
}

/** Whether `a` supersedes `b`, two versions of one record id: the later, then the higher signature. */
export const isNewerVersion = (a: BoardRecord, b: BoardRecord): boolean => a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.sig > b.sig);

/** The records the board shows in one root: a BoardIndex's (each parsed once), or `recordsOf`'s. */
export type RecordsOf = (root: BoardRoot) => readonly BoardRecord[];

/** Every record of `source`, parsed now, by root: for a view read once. The app reads its BoardIndex instead. */
export function recordsOf(source: BoardSource): RecordsOf {
  const { records } = collect(source);
  return (root) => records[root];
}

/** The root map each record type lives in. */
export const ROOT_OF_TYPE: Record<BoardRecord['type'], BoardRoot> = {
  post: 'posts',
  reply: 'replies',
  reaction: 'reactions',
  member: 'members',
  'group-info': 'group',
  hide: 'hides',
  pin: 'pins',
  checkin: 'checkins',
  'meeting-slot': 'schedule',
  agenda: 'agenda',
  technique: 'techniques',
  helped: 'helped',
  'crisis-line': 'crisisLines',
  membership: 'membership',
};

/** The whole board as the UI shows it: newest post first, replies oldest first. */
export function boardView(source: BoardSource, viewerId?: string): BoardView {
  const { records, invalid } = collect(source);
  const byPost = new Map<string, PostView>();
  for (const record of records.posts as PostRecord[]) {
    byPost.set(record.id, {
      record,
      verified: true,
      replies: [],
      reactions: {
        'me-too': { count: 0, mine: false },
        'proud-of-you': { count: 0, mine: false },
        'sending-strength': { count: 0, mine: false },
      },
    });
  }
  for (const record of records.replies as ReplyRecord[]) byPost.get(record.postId)?.replies.push({ record, verified: true });
  for (const record of records.reactions as ReactionRecord[]) {
    const post = byPost.get(record.postId);
    if (!post || !record.active) continue;
    post.reactions[record.reaction].count++;
    if (record.authorId === viewerId) post.reactions[record.reaction].mine = true;
  }
  for (const post of byPost.values()) post.replies.sort((a, b) => byCreatedThenId(a.record, b.record));

  const members = new Map<string, MemberRecord>();
  for (const member of records.members as MemberRecord[]) members.set(member.authorId, member);
  const editors = source.editors ?? new Set(source.creatorId ? [source.creatorId] : []);
  // The latest statement of the group's details by someone entitled to make it.
  const group = (records.group as GroupInfoRecord[]).filter((info) => editors.has(info.authorId)).sort((a, b) => byCreatedThenId(b, a))[0];

  const facilitators = facilitatorsOf(source);
  const crisisLines = (records.crisisLines as CrisisLineRecord[])
    .filter((line) => line.active && facilitators.has(line.authorId))
    .sort(byCreatedThenId);
  return {
    group,
    members,
    crisisLines,
    posts: [...byPost.values()].sort((a, b) => byCreatedThenId(b.record, a.record)),
    invalidEntries: invalid,
  };
}

export function byCreatedThenId(a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
