import * as Y from 'yjs';
import { randomBytes, toBase64Url } from '../../crypto/index.js';
import { PARSERS } from './parse.js';
import { isRecordVerified } from './verification.js';
import {
  recordKey,
  signRecord,
  type BoardRecord,
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

/** The root maps of the board doc; nothing else in the doc is read. */
export const BOARD_ROOTS = ['posts', 'replies', 'reactions', 'members', 'group'] as const;
export type BoardRoot = (typeof BOARD_ROOTS)[number];

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
  /** Whether the author's signature checks; computed when first read. */
  readonly verified: boolean;
  replies: { record: ReplyRecord; readonly verified: boolean }[];
  /** Active reactions of each kind, and whether the viewer is among them. */
  reactions: Record<Reaction, { count: number; mine: boolean }>;
}

export interface BoardView {
  group: GroupInfoRecord | undefined;
  members: Map<string, MemberRecord>;
  posts: PostView[];
  /** Entries present in the doc that failed their shape check. */
  invalidEntries: number;
}

export const authorIdOf = (author: Pick<Author, 'signPublicKey'>): string => toBase64Url(author.signPublicKey);
const newSuffix = (): string => toBase64Url(randomBytes(12));

/**
 * The readable board: a typed schema over a Y.Doc that never leaves memory. Writes build a
 * signed record and set it under a key owned by its author; reads parse every entry, since
 * the doc holds what other devices wrote.
 */
export class Board {
  constructor(readonly doc: Y.Doc) {}

  private map(root: BoardRoot): Y.Map<unknown> {
    return this.doc.getMap(root);
  }

  /**
   * Signs a record of the author's and sets it under a key starting with their id: the one
   * way every writer below stores what it builds.
   */
  private write<R extends BoardRecord>(
    root: BoardRoot,
    author: Author,
    type: R['type'],
    suffix: string,
    fields: Omit<Unsigned<R>, 'v' | 'type' | 'id' | 'authorId' | 'createdAt'>,
    now: number,
  ): R {
    const authorId = authorIdOf(author);
    const unsigned = { v: 1, type, id: recordKey(authorId, suffix), authorId, createdAt: now, ...fields } as Unsigned<R>;
    const record = signRecord<R>(unsigned, author.signSecretKey);
    this.map(root).set(record.id, record);
    return record;
  }

  addPost(author: Author, input: NewPost, now = Date.now()): PostRecord {
    return this.write<PostRecord>(
      'posts',
      author,
      'post',
      newSuffix(),
      {
        kind: input.kind,
        body: input.body,
        ...(input.contentWarning ? { contentWarning: input.contentWarning } : {}),
        ...(input.kind === 'victory' && input.milestone ? { milestone: input.milestone } : {}),
      },
      now,
    );
  }

  addReply(author: Author, postId: string, body: string, now = Date.now()): ReplyRecord {
    return this.write<ReplyRecord>('replies', author, 'reply', newSuffix(), { postId, body }, now);
  }

  setReaction(author: Author, postId: string, reaction: Reaction, active: boolean, now = Date.now()): ReactionRecord {
    return this.write<ReactionRecord>('reactions', author, 'reaction', `${postId}|${reaction}`, { postId, reaction, active }, now);
  }

  toggleReaction(author: Author, postId: string, reaction: Reaction): ReactionRecord {
    const current = this.map('reactions').get(recordKey(authorIdOf(author), `${postId}|${reaction}`));
    const active = !(current && (current as ReactionRecord).active);
    return this.setReaction(author, postId, reaction, active);
  }

  setMember(author: Author & { boxPublicKey: Uint8Array }, displayName: string, now = Date.now()): MemberRecord {
    return this.write<MemberRecord>(
      'members',
      author,
      'member',
      'profile',
      { displayName, boxPublicKey: toBase64Url(author.boxPublicKey) },
      now,
    );
  }

  setGroupInfo(
    author: Author,
    info: { name: string; focus?: GroupFocus; guidelines?: string },
    now = Date.now(),
  ): GroupInfoRecord {
    return this.write<GroupInfoRecord>(
      'group',
      author,
      'group-info',
      'group',
      {
        name: info.name,
        ...(info.focus ? { focus: info.focus } : {}),
        ...(info.guidelines ? { guidelines: info.guidelines } : {}),
      },
      now,
    );
  }

  isVerified(record: BoardRecord): boolean {
    return isRecordVerified(this.doc, record);
  }

  /** Parsed entries of one root map; malformed ones are counted in `invalid`. */
  entries<R extends BoardRecord>(root: BoardRoot): { records: R[]; invalid: number } {
    const parse = PARSERS[root]!;
    const records: R[] = [];
    let invalid = 0;
    this.map(root).forEach((value, key) => {
      const record = parse(key, value);
      if (record) records.push(record as R);
      else invalid++;
    });
    return { records, invalid };
  }

  /** The whole board as the UI shows it: newest post first, replies oldest first. */
  view(viewerId?: string): BoardView {
    const posts = this.entries<PostRecord>('posts');
    const replies = this.entries<ReplyRecord>('replies');
    const reactions = this.entries<ReactionRecord>('reactions');
    const members = this.entries<MemberRecord>('members');
    const groups = this.entries<GroupInfoRecord>('group');

    const byPost = new Map<string, PostView>();
    for (const record of posts.records) {
      byPost.set(
        record.id,
        this.withLazyVerified(record, {
          record,
          replies: [],
          reactions: {
            'me-too': { count: 0, mine: false },
            'proud-of-you': { count: 0, mine: false },
            'sending-strength': { count: 0, mine: false },
          },
        }),
      );
    }
    for (const record of replies.records) {
      byPost.get(record.postId)?.replies.push(this.withLazyVerified(record, { record }));
    }
    for (const record of reactions.records) {
      const post = byPost.get(record.postId);
      // A reaction counts only when its author really made it: unverified ones are not tallied.
      if (!post || !record.active || !this.isVerified(record)) continue;
      post.reactions[record.reaction].count++;
      if (record.authorId === viewerId) post.reactions[record.reaction].mine = true;
    }
    for (const post of byPost.values()) post.replies.sort((a, b) => byCreatedThenId(a.record, b.record));

    const verifiedMembers = new Map<string, MemberRecord>();
    for (const member of members.records) if (this.isVerified(member)) verifiedMembers.set(member.authorId, member);
    const group = groups.records.filter((g) => this.isVerified(g)).sort(byCreatedThenId)[0];

    return {
      group,
      members: verifiedMembers,
      posts: [...byPost.values()].sort((a, b) => byCreatedThenId(b.record, a.record)),
      invalidEntries: posts.invalid + replies.invalid + reactions.invalid + members.invalid + groups.invalid,
    };
  }

  /**
   * `verified`, checked only when read: a board of thousands of posts opened from a snapshot
   * pays for the signatures of the posts a person actually looks at.
   */
  private withLazyVerified<T extends object>(record: BoardRecord, target: T): T & { readonly verified: boolean } {
    const doc = this.doc;
    return Object.defineProperty(target, 'verified', {
      get: () => isRecordVerified(doc, record),
      enumerable: true,
    }) as T & { readonly verified: boolean };
  }

  /** Calls `listener` after every change to the board, local or remote; returns the unsubscribe. */
  observe(listener: () => void): () => void {
    const handler = (): void => listener();
    this.doc.on('afterTransaction', handler);
    return () => this.doc.off('afterTransaction', handler);
  }
}

function byCreatedThenId(a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
