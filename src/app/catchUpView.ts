import { openCatchUpPage, sealCatchUpPage } from '../log/catchUpPage.js';
import type { GroupKeyring } from '../log/keyring.js';
import {
  CATCH_UP_POSTS,
  catchUpPayload,
  checkCatchUpPage,
  type BoardView,
  type CatchUpBoard,
  type GroupInfoRecord,
  type MemberRecord,
  type MembershipRecord,
  type PostView,
} from '../model/index.js';

/** Fewer posts, for when the newest ones with the membership entries are over a page's cap. */
const SMALLER_PAGE_POSTS = 5;

export interface CatchUpViewOptions {
  keyring: GroupKeyring;
  identity: { signPublicKey: Uint8Array; signSecretKey: Uint8Array };
  creatorId: () => string | undefined;
  /** Whether this device knows the group keeps a membership log. */
  managed: () => boolean;
  now: () => number;
}

/**
 * A newcomer's catch-up (docs/PROTOCOL.md §6.2): the page of newest posts a member sent, shown
 * marked as catching up until the chains are complete, then dropped whole, so the board is the
 * chains' and nothing of the page outlives them. Also makes this device's page for others.
 */
export class CatchUpView {
  /** The checked page while the chains are still arriving. */
  board: CatchUpBoard | undefined;

  constructor(private readonly options: CatchUpViewOptions) {}

  /**
   * This device's page of `view`, sealed under the current epoch; undefined when there is nothing
   * to show. `members`: the current members, in a group with a membership log.
   */
  page(view: BoardView, membership: MembershipRecord[], members?: ReadonlyMap<string, unknown>): Uint8Array | undefined {
    if (view.posts.length === 0) return undefined;
    const { keyring, identity } = this.options;
    const seal = (posts: number) => sealCatchUpPage(catchUpPayload(view, membership, { posts, ...(members ? { members } : {}) }), keyring, identity);
    return seal(CATCH_UP_POSTS) ?? seal(SMALLER_PAGE_POSTS);
  }

  /** Checks a peer's page; only a page that passes every check is kept. */
  receive(bytes: Uint8Array): { ok: true } | { ok: false; error: string } {
    const opened = openCatchUpPage(bytes, this.options.keyring);
    if (!opened.ok) return opened;
    const checked = checkCatchUpPage(opened.payload, {
      sender: opened.sender,
      creatorId: this.options.creatorId(),
      managed: this.options.managed(),
      now: this.options.now(),
    });
    if (!checked.ok) return checked;
    this.board = checked.board;
    return { ok: true };
  }

  /** The chains are complete: the page goes, whatever it said. */
  clear(): boolean {
    const had = this.board !== undefined;
    this.board = undefined;
    return had;
  }

  /** The chains' posts, with the page's newer ones they do not hold yet among them, newest first. */
  posts(chains: PostView[]): PostView[] {
    if (!this.board) return chains;
    const held = new Set(chains.map((post) => post.record.id));
    const early = this.board.posts.filter((post) => !held.has(post.record.id));
    if (early.length === 0) return chains;
    const pinned = chains.filter((post) => post.pinned);
    const rest = [...chains.filter((post) => !post.pinned), ...early];
    rest.sort((a, b) => b.record.createdAt - a.record.createdAt || (a.record.id < b.record.id ? 1 : -1));
    return [...pinned, ...rest];
  }

  /** The chains' member records, with the page's writers they lack. */
  members(chains: Map<string, MemberRecord>): Map<string, MemberRecord> {
    if (!this.board) return chains;
    const merged = new Map(this.board.members);
    for (const [id, member] of chains) merged.set(id, member);
    return merged;
  }

  group(chains: GroupInfoRecord | undefined): GroupInfoRecord | undefined {
    return chains ?? this.board?.group;
  }
}
