import type * as Y from 'yjs';
import { ROOT_OF_TYPE, isNewerVersion, type BoardSource, type BoardView, type PostView } from './board.js';
import { BOARD_ROOTS, parseRecord, type BoardRoot } from './parse.js';
import { facilitatorsOf } from './admission.js';
import type { BoardRecord, CrisisLineRecord, GroupInfoRecord, MemberRecord, PostRecord, ReactionRecord, ReplyRecord } from './records.js';

/**
 * The board view kept up to date change by change: each author's root maps are observed, and a
 * change re-parses only the keys it touched (Y.Map events name them) and rebuilds only the posts
 * those records belong to. `boardView()` in board.ts stays the reference: `view()` returns the
 * same board for the same documents, built from the records parsed once each.
 */

interface Entry {
  root: BoardRoot;
  record: BoardRecord;
}

/** One author's document (of one chain) as indexed: the records it holds (valid ones) and how many are not. */
interface IndexedAuthor {
  authorId: string;
  doc: Y.Doc;
  records: Map<string, Entry>;
  invalid: Set<string>;
  stop: () => void;
}

const rootKey = (root: BoardRoot, key: string): string => `${root}\n${key}`;

export class BoardIndex {
  /** How many values have been parsed since the index was made (the tests count them). */
  parsed = 0;
  /** By chain (an author has one document per chain), or by author when the source names no chain. */
  private readonly authorsIndexed = new Map<string, IndexedAuthor>();
  /** The record shown for each id: the latest version in an author's documents, else a carried-over legacy record. */
  private readonly shown = new Map<string, Entry>();
  /** Every version of each id that an author's documents hold. */
  private readonly versions = new Map<string, Entry[]>();
  private readonly legacy = new Map<string, Entry>();
  private readonly repliesOf = new Map<string, Map<string, ReplyRecord>>();
  private readonly reactionsOf = new Map<string, Map<string, ReactionRecord>>();
  private readonly postViews = new Map<string, PostView>();
  /** The posts' views, newest first, each where the record it holds placed it. */
  private orderedViews: PostView[] = [];
  /** The record each post in `orderedViews` was placed by: finds its place again once its record has changed. */
  private readonly placedBy = new Map<string, PostRecord>();
  private readonly dirtyPosts = new Set<string>();
  /** Posts added, removed or changed since the last view: their place in `orderedViews` is found again. */
  private readonly moved = new Set<string>();
  private membersDirty = true;
  private current: BoardView | undefined;
  private members = new Map<string, MemberRecord>();
  private group: GroupInfoRecord | undefined;
  private lines: CrisisLineRecord[] = [];
  /** The records shown, by root (for views beyond the posts: week, moderation), and which roots changed. */
  private readonly byRoot = new Map<BoardRoot, Map<string, BoardRecord>>();
  private readonly listed = new Map<BoardRoot, readonly BoardRecord[]>();

  constructor(
    private readonly source: BoardSource,
    private readonly viewerId?: string,
  ) {
    for (const record of source.legacy ?? []) this.legacy.set(record.id, { root: ROOT_OF_TYPE[record.type], record });
    for (const id of this.legacy.keys()) this.pick(id);
  }

  /** The board now; the same object as last time when nothing changed since. */
  view(): BoardView {
    this.syncAuthors();
    if (this.current && this.dirtyPosts.size === 0 && !this.membersDirty) return this.current;
    const dirty = [...this.dirtyPosts];
    this.dirtyPosts.clear();
    for (const postId of dirty) this.rebuildPost(postId);
    this.reorder(dirty);
    if (this.membersDirty) {
      this.members = new Map();
      for (const record of this.byRoot.get('members')?.values() ?? []) this.members.set(record.authorId, record as MemberRecord);
      this.group = this.groupInfo();
      this.lines = this.crisisLines();
      this.membersDirty = false;
    }
    let invalid = 0;
    for (const author of this.authorsIndexed.values()) invalid += author.invalid.size;
    this.current = {
      group: this.group,
      members: this.members,
      crisisLines: this.lines,
      // A new array each view: the screen tells views apart by identity.
      posts: this.orderedViews.slice(),
      invalidEntries: invalid,
    };
    return this.current;
  }

  /**
   * The records shown in `root`, each parsed once when it arrived: what the week and the
   * moderation views read. The same array as last time when nothing in that root changed.
   */
  records(root: BoardRoot): readonly BoardRecord[] {
    this.syncAuthors();
    let list = this.listed.get(root);
    if (!list) this.listed.set(root, (list = [...(this.byRoot.get(root)?.values() ?? [])]));
    return list;
  }

  /** Whether the board shows a post with this id. */
  hasPost(id: string): boolean {
    this.syncAuthors();
    return this.shown.get(id)?.root === 'posts';
  }

  /** The latest group details stated by an editor (board.ts's rule), read from what is shown. */
  private groupInfo(): GroupInfoRecord | undefined {
    const editors = this.source.editors ?? new Set(this.source.creatorId ? [this.source.creatorId] : []);
    let latest: GroupInfoRecord | undefined;
    for (const record of this.byRoot.get('group')?.values() ?? []) {
      if (!editors.has(record.authorId)) continue;
      if (!latest || byCreatedThenId(record, latest) > 0) latest = record as GroupInfoRecord;
    }
    return latest;
  }

  /** The facilitators' active crisis lines, oldest first (board.ts's rule). */
  private crisisLines(): CrisisLineRecord[] {
    const facilitators = facilitatorsOf(this.source);
    const lines: CrisisLineRecord[] = [];
    for (const record of this.byRoot.get('crisisLines')?.values() ?? []) {
      if ((record as CrisisLineRecord).active && facilitators.has(record.authorId)) lines.push(record as CrisisLineRecord);
    }
    return lines.sort(byCreatedThenId);
  }

  /** Stops observing every document. */
  destroy(): void {
    for (const author of this.authorsIndexed.values()) author.stop();
    this.authorsIndexed.clear();
  }

  /** Picks up authors that appeared and documents that were replaced (a fork, a checkpoint). */
  private syncAuthors(): void {
    const present = new Set<string>();
    for (const [authorId, doc, chain] of this.source.authors()) {
      const key = chain ?? authorId;
      present.add(key);
      const indexed = this.authorsIndexed.get(key);
      if (indexed?.doc === doc) continue;
      indexed?.stop();
      this.indexAuthor(key, authorId, doc, indexed);
    }
    for (const [key, indexed] of this.authorsIndexed) if (!present.has(key)) this.dropAuthor(key, indexed);
  }

  /**
   * Indexes an author's document. When it replaces one indexed before (the log rebuilt it, or a
   * checkpoint superseded it), a record under the same key with the same signature is the same
   * record (the log admitted both, signature checked): it is kept, not parsed again.
   */
  private indexAuthor(indexKey: string, authorId: string, doc: Y.Doc, replaced?: IndexedAuthor): void {
    const author: IndexedAuthor = { authorId, doc, records: new Map(), invalid: new Set(), stop: () => {} };
    this.authorsIndexed.set(indexKey, author);
    const stops = BOARD_ROOTS.map((root) => {
      const map = doc.getMap(root);
      map.forEach((value, key) => {
        const kept = replaced?.records.get(key);
        if (kept?.root === root && kept.record.sig === (value as { sig?: unknown } | null)?.sig) {
          replaced!.records.delete(key);
          author.records.set(key, kept);
        } else {
          const old = replaced?.records.get(key);
          if (old) {
            replaced!.records.delete(key);
            this.unshow(key, old);
          }
          this.reindex(authorId, author, root, key, value);
        }
      });
      const observer = (event: Y.YMapEvent<unknown>): void => {
        for (const key of event.keysChanged) this.reindex(authorId, author, root, key, map.get(key));
      };
      map.observe(observer);
      return () => map.unobserve(observer);
    });
    author.stop = () => stops.forEach((stop) => stop());
    for (const [id, entry] of replaced?.records ?? []) this.unshow(id, entry);
  }

  private dropAuthor(indexKey: string, author: IndexedAuthor): void {
    author.stop();
    for (const [id, entry] of author.records) this.unshow(id, entry);
    this.authorsIndexed.delete(indexKey);
  }

  /** Parses the one value now under `key` (undefined when it was deleted) and updates what it affects. */
  private reindex(authorId: string, author: IndexedAuthor, root: BoardRoot, key: string, value: unknown): void {
    author.invalid.delete(rootKey(root, key));
    const before = author.records.get(key);
    if (before) {
      author.records.delete(key);
      this.unshow(key, before);
    }
    if (value === undefined) return;
    this.parsed++;
    const record = parseRecord(root, key, value);
    // A document holds only its author's records; anything else is not shown.
    if (!record || record.authorId !== authorId) return void author.invalid.add(rootKey(root, key));
    const entry = { root, record };
    author.records.set(key, entry);
    this.show(key, entry);
  }

  private show(id: string, entry: Entry): void {
    this.versions.set(id, [...(this.versions.get(id) ?? []), entry]);
    this.pick(id);
  }

  /** One version of a record is gone: another version shows, or a legacy record of the same id, if there is one. */
  private unshow(id: string, entry: Entry): void {
    const left = (this.versions.get(id) ?? []).filter((held) => held !== entry);
    if (left.length > 0) this.versions.set(id, left);
    else this.versions.delete(id);
    this.pick(id);
  }

  /** Shows the latest version of `id` the authors' documents hold, else its legacy record, else nothing. */
  private pick(id: string): void {
    let best: Entry | undefined;
    for (const entry of this.versions.get(id) ?? []) if (!best || isNewerVersion(entry.record, best.record)) best = entry;
    best ??= this.legacy.get(id);
    const previous = this.shown.get(id);
    if (previous === best) return;
    if (previous) this.forget(previous);
    if (best) {
      this.shown.set(id, best);
      this.remember(best);
    } else {
      this.shown.delete(id);
    }
  }

  private remember({ root, record }: Entry): void {
    this.touch(root, record);
    bucket(this.byRoot, root).set(record.id, record);
    if (root === 'replies') bucket(this.repliesOf, (record as ReplyRecord).postId).set(record.id, record as ReplyRecord);
    if (root === 'reactions') bucket(this.reactionsOf, (record as ReactionRecord).postId).set(record.id, record as ReactionRecord);
  }

  private forget({ root, record }: Entry): void {
    this.touch(root, record);
    this.byRoot.get(root)?.delete(record.id);
    if (root === 'replies') this.repliesOf.get((record as ReplyRecord).postId)?.delete(record.id);
    if (root === 'reactions') this.reactionsOf.get((record as ReactionRecord).postId)?.delete(record.id);
  }

  /** Marks what a record's change affects: its post (and the order, for a post), or the members. */
  private touch(root: BoardRoot, record: BoardRecord): void {
    this.listed.delete(root);
    if (root === 'posts') {
      this.dirtyPosts.add(record.id);
      this.moved.add(record.id);
    } else if (root === 'replies' || root === 'reactions') {
      this.dirtyPosts.add((record as ReplyRecord | ReactionRecord).postId);
    } else if (root === 'members') {
      this.membersDirty = true;
    } else {
      // Group details, crisis lines and the membership entries behind who may state them are
      // read from `byRoot` when the view is rebuilt; a change still makes a new view.
      this.membersDirty = true;
    }
  }

  /**
   * Takes the moved posts out of the order and puts back those still shown, each where it
   * belongs, and puts the new views of the other `dirty` posts in their places: a change costs
   * a few binary searches, not a pass over every post (10,000 on a big board). Many moved
   * posts (the first view, a large sync) sort the whole order once instead.
   */
  private reorder(dirty: readonly string[]): void {
    if (this.moved.size > this.orderedViews.length / 8) return this.sortAll();
    for (const id of this.moved) {
      const placed = this.placedBy.get(id);
      if (!placed) continue;
      this.orderedViews.splice(this.placeOf(placed), 1);
      this.placedBy.delete(id);
    }
    for (const id of this.moved) {
      const view = this.postViews.get(id);
      if (!view) continue;
      this.orderedViews.splice(this.placeOf(view.record), 0, view);
      this.placedBy.set(id, view.record);
    }
    for (const id of dirty) {
      const placed = this.moved.has(id) ? undefined : this.placedBy.get(id);
      const view = this.postViews.get(id);
      if (placed && view) this.orderedViews[this.placeOf(placed)] = view;
    }
    this.moved.clear();
  }

  private sortAll(): void {
    const newestFirst = (a: PostView, b: PostView): number => byCreatedThenId(b.record, a.record);
    this.orderedViews = [...this.postViews.values()].sort(newestFirst);
    this.placedBy.clear();
    for (const view of this.orderedViews) this.placedBy.set(view.record.id, view.record);
    this.moved.clear();
  }

  /**
   * Where `record` goes in `orderedViews` (newest first), or where it is: the first place holding
   * nothing newer. Each view there holds the record it was placed by until it is moved.
   */
  private placeOf(record: PostRecord): number {
    let low = 0;
    let high = this.orderedViews.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (byCreatedThenId(record, this.orderedViews[middle]!.record) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private rebuildPost(postId: string): void {
    const entry = this.shown.get(postId);
    if (entry?.root !== 'posts') return void this.postViews.delete(postId);
    const view: PostView = {
      record: entry.record as PostRecord,
      verified: true,
      replies: [...(this.repliesOf.get(postId)?.values() ?? [])]
        .sort(byCreatedThenId)
        .map((record) => ({ record, verified: true })),
      reactions: {
        'me-too': { count: 0, mine: false },
        'proud-of-you': { count: 0, mine: false },
        'sending-strength': { count: 0, mine: false },
      },
    };
    for (const reaction of this.reactionsOf.get(postId)?.values() ?? []) {
      if (!reaction.active) continue;
      view.reactions[reaction.reaction].count++;
      if (reaction.authorId === this.viewerId) view.reactions[reaction.reaction].mine = true;
    }
    this.postViews.set(postId, view);
  }
}

function bucket<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = map.get(key);
  if (!inner) map.set(key, (inner = new Map()));
  return inner;
}

function byCreatedThenId(a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
