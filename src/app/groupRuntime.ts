import { toBase64Url, type DeviceIdentity } from '../../crypto/index.js';
import { EnvelopeCounter } from '../log/counter.js';
import { GroupLog, type Rejection, type WriteOutcome } from '../log/groupLog.js';
import { GroupKeyring } from '../log/keyring.js';
import type { EnvelopeStorePort } from '../log/ports.js';
import { BoardIndex } from '../model/boardIndex.js';
import {
  addCrisisLine,
  addPost,
  addReply,
  authorIdOf,
  boardView,
  deleteOwnPost,
  deleteOwnReply,
  MAX_PINS,
  membershipEntries,
  moderatedView,
  moderationOf,
  removeCrisisLine,
  setGroupInfo,
  setHidden,
  setMember,
  setPinned,
  toggleReaction,
  type BoardRecord,
  type RecordsOf,
  type BoardView,
  type NewPost,
  type PostKind,
  type Reaction,
  type WriteContext,
  type WriteResult,
} from '../model/index.js';
import { firstPageOf } from './firstPage.js';
import { CatchUpView } from './catchUpView.js';
import { recentPageKey, recentPageOf } from './recentPage.js';
import { carryV1Board, loadLegacyRecords, readStoredV1Board } from './carryV1Board.js';
import { GroupMembership } from './groupMembership.js';
import type { AppDeps, GroupRecord, SessionPort, StorePort } from './ports.js';
import type { BoardScreen } from './state.js';
import { draftOf, readDraft } from './drafts.js';
import { SupportNow } from './supportNow.js';
import type { Draft } from './supportState.js';

/** The recent page is saved at most this long after the first change it has not saved yet. */
const RECENT_SAVE_DELAY_MS = 2_000;

/** Settings key holding the ids of my posts that no peer has seen yet. */
export const unsharedKey = (groupId: string): string => `unshared:${groupId}`;
/** Settings key holding my half-written post for the group (sealed like every setting). */
export const draftKey = (groupId: string): string => `draft:${groupId}`;

export interface RuntimeEvents {
  /** The board, sync status or presence changed: the screen should be recomputed. */
  changed(): void;
  /** Something went wrong that the person should hear about; `code` is logged, never content. */
  problem(kind: 'rejected' | 'store' | 'forked', code: string, message?: string): void;
}

export interface OpenGroupInput {
  record: GroupRecord;
  device: { identity: DeviceIdentity; displayName: string };
  store: StorePort;
  deps: Pick<AppDeps, 'createSession' | 'createRendezvous'>;
  events: RuntimeEvents;
  /** Set when this device just created the group: it states the group's name on the board. */
  creator?: { name: string; focus?: GroupRecord['focus']; guidelines?: string };
}

/** How long a device stays in the previous epoch's room after moving, so the move itself reaches everyone there. */
export const ROOM_MOVE_GRACE_MS = 3_000;

/** How long a leaving device waits for a peer, and then stays, so its leave reaches the members who are around. */
export const LEAVE_GRACE_MS = 3_000;

/** Why a change of mine was not made, in the person's words. */
export type EditOutcome = { ok: true } | { ok: false; message: string };

/**
 * One open group: its log (every author's chain and document, memory only), the envelope store
 * that keeps the chains on disk, and the session that meets peers. The app holds at most one;
 * `close()` saves and tears it all down.
 */
export class GroupRuntime {
  readonly unshared = new Set<string>();
  private closed = false;
  private counterSaved: number;
  /** Own changes being saved now, and whether the screen owes a refresh once they are. */
  private saving = 0;
  private changeWaiting = false;
  private lastScreen: BoardScreen | undefined;
  /** The session has been up to date with a peer since the board opened. */
  private reachedPeers = false;
  private draft: Draft | undefined;
  readonly support: SupportNow;
  readonly membership: GroupMembership;
  /** The board view, re-parsing only what each change touched. */
  private readonly index: BoardIndex;
  /** The recent page as last saved (JSON), and the timer of the next save. */
  private recentSaved = '';
  private recentTimer: ReturnType<typeof setTimeout> | undefined;
  /** The moderated view as last built, and what it was built from. */
  private moderated:
    | { board: BoardView; hides: readonly BoardRecord[]; pins: readonly BoardRecord[]; facilitators: ReadonlySet<string>; view: BoardView; pinned: readonly string[] }
    | undefined;
  /** A member's page of the newest posts, shown while this device's chains catch up. */
  private readonly catchUp: CatchUpView;

  private constructor(
    public record: GroupRecord,
    private readonly device: OpenGroupInput['device'],
    private readonly store: StorePort,
    private readonly events: RuntimeEvents,
    readonly log: GroupLog,
    private readonly envelopes: EnvelopeStorePort,
    public session: SessionPort,
    private readonly counter: EnvelopeCounter,
    private readonly legacy: BoardRecord[],
    private readonly keyring: GroupKeyring,
    private readonly deps: OpenGroupInput['deps'],
  ) {
    this.counterSaved = record.counter;
    this.support = new SupportNow(session, authorIdOf(device.identity), () => Date.now());
    session.on('support', this.onSupport);
    this.membership = new GroupMembership({
      log,
      record: () => this.record,
      identity: device.identity,
      store,
      createRendezvous: deps.createRendezvous,
      now: () => Date.now(),
      changed: () => this.onChanged(),
      problem: (code, message) => this.events.problem('store', code, message),
      offer: () => {
        const { name, focus, guidelines } = this.screen('all').group;
        return { name, ...(focus ? { focus } : {}), ...(guidelines ? { guidelines } : {}) };
      },
    });
    log.on('epochs', this.onEpochs);
    this.index = new BoardIndex(
      {
        authors: () => log.authors(),
        get creatorId() {
          return log.creatorId;
        },
        legacy,
        get editors() {
          return log.membership.editors;
        },
        get facilitators() {
          return log.membership.facilitators;
        },
      },
      authorIdOf(device.identity),
    );
    this.catchUp = new CatchUpView({
      keyring,
      identity: device.identity,
      creatorId: () => log.creatorId,
      managed: () => this.record.salt !== undefined || log.membership.managed,
      now: () => Date.now(),
    });
    log.catchUp = {
      // With history kept from newcomers, the newest posts may predate the peer's admission: a
      // page sealed under the current epoch would hand them over, so none is sent.
      page: () =>
        !log.membership.settings.history
          ? undefined
          : this.catchUp.page(this.view(), membershipEntries({ authors: () => log.authors() }), log.membership.managed ? log.membership.members : undefined),
      receive: (page) => this.receiveCatchUp(page),
    };
    log.on('changed', this.onChanged);
    log.on('rejected', this.onRejected);
    log.on('forked', this.onForked);
    log.on('problem', this.onProblem);
    envelopes.on('error', this.onProblem);
    session.on('status', this.onStatus);
    session.on('presence', this.onPresence);
  }

  static async open(input: OpenGroupInput): Promise<GroupRuntime> {
    const { device, store, events } = input;
    let record = input.record;
    const keyring = new GroupKeyring(record.groupId, record.epochs);
    const v1 = await readStoredV1Board(record, store, keyring);
    if (!v1.ok) events.problem('store', v1.error.code, v1.error.message);
    const v1Board = v1.ok ? v1.value : undefined;
    const creatorId = record.creatorId ?? v1Board?.creatorId;
    const envelopes = store.envelopes(record.id);
    const log = await GroupLog.open({ keyring, identity: device.identity, store: envelopes, creatorId });
    if (log.openProblem) events.problem('store', log.openProblem.code, log.openProblem.message);
    if (v1Board) {
      const carried = await carryV1Board({ record, board: v1Board, creatorId, store, log });
      if (carried.ok) record = carried.value;
      else events.problem('store', carried.error.code, carried.error.message);
    }
    const legacy = await loadLegacyRecords(record.id, store);
    const counter = new EnvelopeCounter(record.counter);
    // The session asks only once connected, after the runtime exists.
    const isMember = (key: Uint8Array): boolean => runtime.isMember(key);
    const session = input.deps.createSession({ log, keyring, identity: device.identity, displayName: device.displayName, counter, isMember });
    const runtime = new GroupRuntime(record, device, store, events, log, envelopes, session, counter, legacy, keyring, input.deps);
    await runtime.loadUnshared();
    runtime.draft = await readDraft(store, draftKey(record.id));
    if (input.creator) await runtime.edit((context) => setGroupInfo(context, input.creator!));
    await runtime.introduce(device.displayName);
    await runtime.membership.start();
    void runtime.saveRecent();
    session.connect();
    return runtime;
  }

  get viewerId(): string {
    return authorIdOf(this.device.identity);
  }

  /**
   * Whether a device key belongs to the group now: the one question a venue link asks. Today
   * the board's member records answer it; the membership log will.
   */
  readonly isMember = (signPublicKey: Uint8Array): boolean => {
    const id = toBase64Url(signPublicKey);
    const membership = this.log.membership;
    return membership.managed ? membership.members.has(id) : this.view().members.has(id);
  };

  /** A member's name as the board states it. */
  memberName(authorId: string): string | undefined {
    return this.view().members.get(authorId)?.displayName;
  }

  /** States this member's name on the board, unless it already says exactly that. */
  async introduce(displayName: string): Promise<void> {
    this.device.displayName = displayName;
    this.session.setDisplayName(displayName);
    if (this.view().members.get(this.viewerId)?.displayName === displayName) return;
    await this.edit((context) => setMember(context, this.device.identity.boxPublicKey, displayName));
  }

  /** The board as the person sees it; while a change of mine is being saved, the screen from before it. */
  screen(filter: PostKind | 'all'): BoardScreen {
    if (this.saving > 0 && this.lastScreen?.filter === filter) return this.lastScreen;
    this.lastScreen = this.computeScreen(filter);
    return this.lastScreen;
  }

  private computeScreen(filter: PostKind | 'all'): BoardScreen {
    const view = this.view();
    const info = this.catchUp.group(view.group);
    const posts = this.catchUp.posts(view.posts);
    const session = this.session.status;
    const stats = this.log.getStats();
    return {
      group: {
        id: this.record.id,
        // The board's own record wins once it has synced; the invite's name stands in until then.
        name: info?.name ?? this.record.name,
        ...((info?.focus ?? this.record.focus) ? { focus: info?.focus ?? this.record.focus } : {}),
        ...((info?.guidelines ?? this.record.guidelines) ? { guidelines: info?.guidelines ?? this.record.guidelines } : {}),
      },
      viewerId: this.viewerId,
      posts: filter === 'all' ? posts : posts.filter((post) => post.record.kind === filter),
      members: this.catchUp.members(view.members),
      facilitators: this.facilitators,
      pinsFull: this.pinned().length >= MAX_PINS,
      ...(this.catchUp.board ? { catchingUp: { shown: this.catchUp.board.posts.length } } : {}),
      unshared: new Set(this.unshared),
      sync: { ...session, rejected: Math.max(session.rejected, stats.rejected) },
      diagnostics: {
        rejectedByCode: stats.rejectedByCode,
        waiting: stats.waiting,
        forked: stats.forked.map((id) => view.members.get(id)?.displayName ?? 'A member'),
      },
      presence: [...this.session.presence],
      filter,
      // The creator's details arrive with the group's first sync; until then the board is not empty, just behind.
      caughtUp: info !== undefined || this.reachedPeers || view.posts.length > 0,
      ...(this.draft ? { draft: this.draft } : {}),
      membership: this.membership.view(view.members, new Set(this.session.presence.map((p) => p.authorId))),
      support: {
        groupLines: view.crisisLines.map(({ id, name, phone, note }) => ({ id, name, phone, ...(note ? { note } : {}) })),
        canEditLines: this.facilitators.has(this.viewerId),
        contacts: [],
        ...this.support.view((id) => view.members.get(id)?.displayName ?? 'A member'),
      },
    };
  }

  async addCrisisLine(line: { name: string; phone: string; note?: string }): Promise<EditOutcome> {
    return outcome(await this.edit((context) => addCrisisLine({ ...context, facilitators: this.facilitators }, line)));
  }

  async removeCrisisLine(id: string): Promise<EditOutcome> {
    const line = this.view().crisisLines.find((candidate) => candidate.id === id);
    if (!line) return { ok: true };
    return outcome(await this.edit((context) => removeCrisisLine({ ...context, facilitators: this.facilitators }, line)));
  }

  /** Keeps (or with null, forgets) my half-written post for this group. */
  async saveDraft(draft: Draft | null): Promise<void> {
    this.draft = draft ?? undefined;
    const saved = await this.store.setSetting(draftKey(this.record.id), draft);
    if (!saved.ok) this.events.problem('store', saved.error.code, saved.error.message);
  }

  /** Facilitators restate the group's name, focus and guidelines; every device shows the latest a facilitator wrote. */
  async editGroup(info: { name: string; focus?: GroupRecord['focus']; guidelines?: string }): Promise<EditOutcome> {
    return outcome(await this.edit((context) => setGroupInfo(context, info)));
  }

  async post(input: NewPost): Promise<EditOutcome> {
    const written = await this.edit((context) => addPost(context, input));
    if (!written.ok) {
      // The composer emptied itself on Share: the words come back as the draft, kept in memory
      // even when the disk that refused the post refuses the draft too.
      await this.saveDraft(draftOf(input));
      return { ok: false, message: `${problemMessage(written)} ${POST_KEPT}` };
    }
    // Shown at once: forgetting the draft on disk need not hold the post back from the screen.
    if (this.draft) void this.saveDraft(null);
    if (this.session.status.peers === 0) {
      this.unshared.add(written.record.id);
      void this.saveUnshared();
    }
    return { ok: true };
  }

  async reply(postId: string, body: string): Promise<EditOutcome> {
    return outcome(await this.edit((context) => addReply(context, postId, body)));
  }

  async react(postId: string, reaction: Reaction): Promise<EditOutcome> {
    return outcome(await this.edit((context) => toggleReaction(context, postId, reaction)));
  }

  async hide(postId: string, hidden: boolean): Promise<EditOutcome> {
    return outcome(await this.edit((context) => setHidden(context, postId, hidden, this.facilitators)));
  }

  async pin(postId: string, pinned: boolean): Promise<EditOutcome> {
    return outcome(await this.edit((context) => setPinned(context, postId, pinned, this.facilitators, this.pinned())));
  }

  /** The posts pinned now, most recently pinned first. */
  private pinned(): readonly string[] {
    this.view();
    return this.moderated!.pinned;
  }

  /** Deletes my post; a checkpoint follows at once, so its text leaves the disks that hold my chain. */
  async deletePost(postId: string): Promise<EditOutcome> {
    const deleted = outcome(await this.edit((context) => deleteOwnPost(context, postId), { checkpoint: true }));
    if (deleted.ok && this.unshared.delete(postId)) void this.saveUnshared();
    return deleted;
  }

  async deleteReply(replyId: string): Promise<EditOutcome> {
    return outcome(await this.edit((context) => deleteOwnReply(context, replyId), { checkpoint: true }));
  }

  /** Who may hide, pin, schedule meetings and add crisis lines: the membership log's facilitators (the creator in a group from before it). */
  get facilitators(): ReadonlySet<string> {
    return this.log.membership.facilitators;
  }

  /**
   * Leaves the group before its data is deleted: waits a moment for a peer, writes this device's
   * leave (the others then start a new epoch), and stays a moment so it reaches them. Nobody
   * around means nobody hears it; they rotate when a facilitator removes the device.
   */
  async leave(): Promise<void> {
    await this.untilPeer(LEAVE_GRACE_MS);
    if ((await this.membership.leave()) && this.session.status.peers > 0) await new Promise((resolve) => setTimeout(resolve, LEAVE_GRACE_MS));
  }

  private untilPeer(ms: number): Promise<void> {
    const session = this.session;
    const met = (): boolean => session.status.state === 'up-to-date' && session.status.peers > 0;
    if (met()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        session.off('status', check);
        resolve();
      };
      const check = (): void => {
        if (met()) done();
      };
      const timer = setTimeout(done, ms);
      session.on('status', check);
    });
  }

  /** Saves what is pending now (leaving the page). */
  async flush(): Promise<void> {
    await Promise.allSettled([this.envelopes.flush(), this.saveCounter(), this.saveRecent()]);
  }

  /** Saves and tears down; with `discard`, writes nothing more (the group is being deleted). */
  async close({ discard = false } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.log.off('changed', this.onChanged);
    this.log.off('rejected', this.onRejected);
    this.log.off('forked', this.onForked);
    this.log.off('problem', this.onProblem);
    this.log.off('epochs', this.onEpochs);
    this.membership.destroy();
    this.envelopes.off('error', this.onProblem);
    this.session.off('status', this.onStatus);
    this.session.off('presence', this.onPresence);
    this.session.off('support', this.onSupport);
    this.session.destroy();
    for (const old of this.leaving) old.destroy();
    this.leaving.clear();
    clearTimeout(this.recentTimer);
    if (!discard) await Promise.all([this.saveCounter(), this.saveRecent()]);
    await this.envelopes.close({ discard });
    this.index.destroy();
    this.log.destroy();
  }

  /** The records this group's board shows, by root, each parsed once: for views beyond the posts (src/app/week.ts). */
  readonly records: RecordsOf = (root) => this.index.records(root);

  /**
   * The board as this member sees it: every author's records, then the facilitators' hides and
   * pins. Kept until the board, the hides, the pins or the facilitators change, so a refresh
   * with nothing new rebuilds nothing.
   */
  private view(): BoardView {
    const board = this.index.view();
    const hides = this.index.records('hides');
    const pins = this.index.records('pins');
    const facilitators = this.facilitators;
    const last = this.moderated;
    if (last?.board === board && last.hides === hides && last.pins === pins && last.facilitators === facilitators) return last.view;
    const moderation = moderationOf(this.records, facilitators, { has: (id) => this.index.hasPost(id) });
    const view = moderatedView(board, moderation, this.viewerId, facilitators);
    this.moderated = { board, hides, pins, facilitators, view, pinned: moderation.pinned };
    return view;
  }

  /**
   * One path for every change of mine: the log seals and saves it. While it is being saved, the
   * screen is not recomputed (my document already holds the change), so nothing is shown before
   * it is on disk.
   */
  async edit<R extends { createdAt: number }>(
    mutate: (context: WriteContext) => WriteResult<R>,
    options?: { checkpoint?: boolean },
  ): Promise<WriteOutcome<R>> {
    this.saving++;
    try {
      return await this.log.write(mutate, options);
    } finally {
      this.saving--;
      if (this.saving === 0 && this.changeWaiting) this.onChanged();
    }
  }

  private readonly onChanged = (): void => {
    this.membership?.update();
    this.changeWaiting = this.saving > 0;
    if (!this.changeWaiting) this.events.changed();
    this.recentTimer ??= setTimeout(() => {
      this.recentTimer = undefined;
      void this.saveRecent();
    }, RECENT_SAVE_DELAY_MS);
  };

  /** Keeps the recent page of the board on disk, when it changed since it was last saved. */
  private async saveRecent(): Promise<void> {
    clearTimeout(this.recentTimer);
    this.recentTimer = undefined;
    const page = recentPageOf(this.view());
    const json = JSON.stringify(page);
    if (json === this.recentSaved) return;
    this.recentSaved = json;
    const [saved, first] = await Promise.all([
      this.store.setSetting(recentPageKey(this.record.id), page),
      this.store.saveFirstPage(firstPageOf({ id: this.record.id, name: this.record.name }, this.viewerId, page)),
    ]);
    for (const result of [saved, first]) if (!result.ok) this.events.problem('store', result.error.code, result.error.message);
  }
  private readonly onRejected = (rejection: Rejection): void => {
    this.events.problem('rejected', rejection.code);
    this.onChanged();
  };
  private readonly onForked = (authorId: string): void =>
    this.events.problem('forked', 'forked', this.view().members.get(authorId)?.displayName ?? 'A member');
  private readonly onProblem = (error: { code: string; message: string }): void => this.events.problem('store', error.code, error.message);

  /** A peer's catch-up page: shown only if every check passes, and only while the chains are behind. */
  private receiveCatchUp(page: Uint8Array): void {
    const { state, peers } = this.session.status;
    if (this.closed || (state === 'up-to-date' && peers > 0)) return;
    const received = this.catchUp.receive(page);
    if (!received.ok) return this.events.problem('rejected', `catch-up-${received.error}`);
    this.onChanged();
  }

  private readonly onStatus = (): void => {
    const { state, peers } = this.session.status;
    if (state === 'up-to-date' && peers > 0) {
      this.reachedPeers = true;
      // Every author's chain a peer holds is here now: the board is the chains' alone.
      this.catchUp.clear();
    }
    // A peer has everything we have once the session reports the sync as complete.
    if (state === 'up-to-date' && peers > 0 && this.unshared.size > 0) {
      this.unshared.clear();
      void this.saveUnshared();
    }
    this.onChanged();
  };

  private readonly onPresence = (): void => this.onChanged();
  private readonly onSupport = (): void => {
    this.support.onSignals();
    this.onChanged();
  };

  /**
   * The keyring gained a secret or moved to a new epoch: the secrets are saved with the group,
   * and on a move the session leaves the old room for the new one (room name and signaling
   * password come from the epoch's secret), so a removed device can no longer find the group.
   */
  private readonly onEpochs = (moved: boolean): void => {
    if (this.closed) return;
    this.record = { ...this.record, epochs: this.keyring.all() };
    void this.store.saveGroup(this.record).then((saved) => {
      if (!saved.ok) this.events.problem('store', saved.error.code, saved.error.message);
    });
    if (!moved) return;
    const visible = this.presenceVisible;
    const old = this.session;
    old.off('status', this.onStatus);
    old.off('presence', this.onPresence);
    // The old room stays a moment, so the entry that moved the group (a removal) reaches everyone there.
    this.leaving.add(old);
    setTimeout(() => {
      this.leaving.delete(old);
      old.destroy();
    }, ROOM_MOVE_GRACE_MS);
    this.session = this.deps.createSession({
      log: this.log,
      keyring: this.keyring,
      identity: this.device.identity,
      displayName: this.device.displayName,
      counter: this.counter,
      isMember: this.isMember,
    });
    this.session.on('status', this.onStatus);
    this.session.on('presence', this.onPresence);
    this.session.setPresenceVisible(visible);
    this.session.connect();
    this.onChanged();
  };

  private readonly leaving = new Set<SessionPort>();

  /** Whether this device shows in others' "Here now" (kept across a move to a new room). */
  private presenceVisible = true;

  setPresenceVisible(visible: boolean): void {
    this.presenceVisible = visible;
    this.session.setPresenceVisible(visible);
  }

  private async loadUnshared(): Promise<void> {
    const stored = await this.store.getSetting(unsharedKey(this.record.id));
    if (!stored.ok || !Array.isArray(stored.value)) return;
    for (const id of stored.value) if (typeof id === 'string') this.unshared.add(id);
  }

  private async saveUnshared(): Promise<void> {
    const saved = await this.store.setSetting(unsharedKey(this.record.id), [...this.unshared]);
    if (!saved.ok) this.events.problem('store', saved.error.code, saved.error.message);
  }

  /** The presence counter must only grow on disk, so a restarted device never reuses one. */
  private async saveCounter(): Promise<void> {
    const counter = this.counter.current;
    if (counter <= this.counterSaved) return;
    this.counterSaved = counter;
    this.record = { ...this.record, counter };
    const saved = await this.store.saveGroup(this.record);
    if (!saved.ok) this.events.problem('store', saved.error.code, saved.error.message);
  }
}

const POST_KEPT = 'Your words are kept: “Continue your draft…” brings them back.';

function problemMessage(written: Extract<WriteOutcome<{ createdAt: number }>, { ok: false }>): string {
  if (written.problem === 'not-saved') return `Your change could not be saved on this device, so it was not shared. ${written.message}`;
  if (written.problem === 'not-creator') return 'Only the person who created this group can change its details.';
  if (written.problem === 'not-facilitator') return "Only the group's facilitators can do that.";
  if (written.problem === 'too-many-pins') return `${MAX_PINS} posts are pinned already. Unpin one first.`;
  if (written.problem === 'not-own') return 'You can only delete what you wrote.';
  if (written.problem === 'no-such-record') return 'That is gone already.';
  if (written.problem === 'bad-phone') return 'That phone number cannot be dialled. Use digits, spaces and an optional + at the start.';
  if (written.problem === 'body-too-long') return 'That is longer than Hearth can share. Please shorten it a little.';
  if (written.problem === 'empty-body') return 'There is nothing to share yet.';
  return 'Hearth could not make that change. Please check it and try again.';
}

function outcome(written: WriteOutcome<{ createdAt: number }>): EditOutcome {
  return written.ok ? { ok: true } : { ok: false, message: problemMessage(written) };
}
