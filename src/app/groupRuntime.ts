import type { DeviceIdentity } from '../../crypto/index.js';
import { EnvelopeCounter } from '../log/counter.js';
import { GroupLog, type Rejection, type WriteOutcome } from '../log/groupLog.js';
import { GroupKeyring } from '../log/keyring.js';
import type { EnvelopeStorePort } from '../log/ports.js';
import { BoardIndex } from '../model/boardIndex.js';
import {
  addPost,
  addReply,
  authorIdOf,
  setGroupInfo,
  setMember,
  toggleReaction,
  type BoardRecord,
  type NewPost,
  type PostKind,
  type Reaction,
  type WriteContext,
  type WriteResult,
} from '../model/index.js';
import { recentPageKey, recentPageOf } from './recentPage.js';
import { carryV1Board, loadLegacyRecords, readStoredV1Board } from './carryV1Board.js';
import type { AppDeps, GroupRecord, SessionPort, StorePort } from './ports.js';
import type { BoardScreen } from './state.js';

/** The recent page is saved at most this long after the first change it has not saved yet. */
const RECENT_SAVE_DELAY_MS = 2_000;

/** Settings key holding the ids of my posts that no peer has seen yet. */
export const unsharedKey = (groupId: string): string => `unshared:${groupId}`;

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
  deps: Pick<AppDeps, 'createSession'>;
  events: RuntimeEvents;
  /** Set when this device just created the group: it states the group's name on the board. */
  creator?: { name: string; focus?: GroupRecord['focus']; guidelines?: string };
}

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
  /** The board view, re-parsing only what each change touched. */
  private readonly index: BoardIndex;
  /** The recent page as last saved (JSON), and the timer of the next save. */
  private recentSaved = '';
  private recentTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    public record: GroupRecord,
    private readonly device: OpenGroupInput['device'],
    private readonly store: StorePort,
    private readonly events: RuntimeEvents,
    readonly log: GroupLog,
    private readonly envelopes: EnvelopeStorePort,
    readonly session: SessionPort,
    private readonly counter: EnvelopeCounter,
    legacy: BoardRecord[],
  ) {
    this.counterSaved = record.counter;
    this.index = new BoardIndex(
      {
        authors: () => log.authors(),
        get creatorId() {
          return log.creatorId;
        },
        legacy,
      },
      authorIdOf(device.identity),
    );
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
    const session = input.deps.createSession({ log, keyring, identity: device.identity, displayName: device.displayName, counter });
    const runtime = new GroupRuntime(record, device, store, events, log, envelopes, session, counter, legacy);
    await runtime.loadUnshared();
    if (input.creator) await runtime.edit((context) => setGroupInfo(context, input.creator!));
    await runtime.introduce(device.displayName);
    void runtime.saveRecent();
    session.connect();
    return runtime;
  }

  get viewerId(): string {
    return authorIdOf(this.device.identity);
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
    const info = view.group;
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
      posts: filter === 'all' ? view.posts : view.posts.filter((post) => post.record.kind === filter),
      members: view.members,
      unshared: new Set(this.unshared),
      sync: { ...session, rejected: Math.max(session.rejected, stats.rejected) },
      diagnostics: {
        rejectedByCode: stats.rejectedByCode,
        waiting: stats.waiting,
        forked: stats.forked.map((id) => view.members.get(id)?.displayName ?? 'A member'),
      },
      presence: [...this.session.presence],
      filter,
    };
  }

  async post(input: NewPost): Promise<EditOutcome> {
    const written = await this.edit((context) => addPost(context, input));
    if (written.ok && this.session.status.peers === 0) {
      this.unshared.add(written.record.id);
      void this.saveUnshared();
    }
    return written.ok ? { ok: true } : { ok: false, message: problemMessage(written) };
  }

  async reply(postId: string, body: string): Promise<EditOutcome> {
    return outcome(await this.edit((context) => addReply(context, postId, body)));
  }

  async react(postId: string, reaction: Reaction): Promise<EditOutcome> {
    return outcome(await this.edit((context) => toggleReaction(context, postId, reaction)));
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
    this.envelopes.off('error', this.onProblem);
    this.session.off('status', this.onStatus);
    this.session.off('presence', this.onPresence);
    this.session.destroy();
    clearTimeout(this.recentTimer);
    if (!discard) await Promise.all([this.saveCounter(), this.saveRecent()]);
    await this.envelopes.close({ discard });
    this.index.destroy();
    this.log.destroy();
  }

  private view() {
    return this.index.view();
  }

  /**
   * One path for every change of mine: the log seals and saves it. While it is being saved, the
   * screen is not recomputed (my document already holds the change), so nothing is shown before
   * it is on disk.
   */
  private async edit<R extends { createdAt: number }>(mutate: (context: WriteContext) => WriteResult<R>): Promise<WriteOutcome<R>> {
    this.saving++;
    try {
      return await this.log.write(mutate);
    } finally {
      this.saving--;
      if (this.saving === 0 && this.changeWaiting) this.onChanged();
    }
  }

  private readonly onChanged = (): void => {
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
    const saved = await this.store.setSetting(recentPageKey(this.record.id), page);
    if (!saved.ok) this.events.problem('store', saved.error.code, saved.error.message);
  }
  private readonly onRejected = (rejection: Rejection): void => {
    this.events.problem('rejected', rejection.code);
    this.onChanged();
  };
  private readonly onForked = (authorId: string): void =>
    this.events.problem('forked', 'forked', this.view().members.get(authorId)?.displayName ?? 'A member');
  private readonly onProblem = (error: { code: string; message: string }): void => this.events.problem('store', error.code, error.message);

  private readonly onStatus = (): void => {
    const { state, peers } = this.session.status;
    // A peer has everything we have once the session reports the sync as complete.
    if (state === 'up-to-date' && peers > 0 && this.unshared.size > 0) {
      this.unshared.clear();
      void this.saveUnshared();
    }
    this.onChanged();
  };

  private readonly onPresence = (): void => this.onChanged();

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

function problemMessage(written: Extract<WriteOutcome<{ createdAt: number }>, { ok: false }>): string {
  if (written.problem === 'not-saved') return `Your change could not be saved on this device, so it was not shared. ${written.message}`;
  if (written.problem === 'not-creator') return 'Only the person who created this group can change its details.';
  if (written.problem === 'body-too-long') return 'That is longer than Hearth can share. Please shorten it a little.';
  if (written.problem === 'empty-body') return 'There is nothing to share yet.';
  return 'Hearth could not make that change. Please check it and try again.';
}

function outcome(written: WriteOutcome<{ createdAt: number }>): EditOutcome {
  return written.ok ? { ok: true } : { ok: false, message: problemMessage(written) };
}
