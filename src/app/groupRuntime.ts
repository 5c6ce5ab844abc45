import * as Y from 'yjs';
import type { DeviceIdentity } from '../../crypto/index.js';
import { Board, authorIdOf, type NewPost, type PostKind, type Reaction } from '../model/index.js';
import { CiphertextLog, type Rejection } from '../sync/ciphertextLog.js';
import { EnvelopeCounter } from '../log/counter.js';
import { GroupKeyring } from '../log/keyring.js';
import type { AppDeps, GroupRecord, LogPersistencePort, SessionPort, StorePort } from './ports.js';
import type { BoardScreen } from './state.js';

/** Envelopes in a group's log before it compacts itself (see CiphertextLog). */
const LOG_COMPACT_AFTER = 300;

/** Settings key holding the ids of my posts that no peer has seen yet. */
export const unsharedKey = (groupId: string): string => `unshared:${groupId}`;

export interface RuntimeEvents {
  /** The board, sync status or presence changed: the screen should be recomputed. */
  changed(): void;
  /** Something went wrong that the person should hear about; `code` is logged, never content. */
  problem(kind: 'rejected' | 'store', code: string, message?: string): void;
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

/**
 * One open group: its readable board (memory only), the ciphertext log that is stored and
 * synced, the persistence that saves the log, and the session that meets peers. The app holds
 * at most one; `close()` saves and tears it all down.
 */
export class GroupRuntime {
  readonly board: Board;
  readonly unshared = new Set<string>();
  private readonly unsubscribeBoard: () => void;
  private closed = false;
  private counterSaved: number;

  private constructor(
    readonly record: GroupRecord,
    private readonly device: OpenGroupInput['device'],
    private readonly store: StorePort,
    private readonly events: RuntimeEvents,
    readonly log: CiphertextLog,
    private readonly persistence: LogPersistencePort,
    readonly session: SessionPort,
  ) {
    this.board = new Board(log.board);
    this.counterSaved = record.counter;
    this.unsubscribeBoard = this.board.observe(() => events.changed());
    log.on('rejected', this.onRejected);
    session.on('status', this.onStatus);
    session.on('presence', this.onPresence);
  }

  static async open(input: OpenGroupInput): Promise<GroupRuntime> {
    const { record, device, store, events } = input;
    const boardDoc = new Y.Doc();
    const logDoc = new Y.Doc();
    // The stored log goes in before the bridge exists, so it is opened in one batch.
    const loaded = await store.loadLog(record.id, logDoc);
    if (!loaded.ok) events.problem('store', loaded.error.code, loaded.error.message);
    const log = new CiphertextLog({
      board: boardDoc,
      log: logDoc,
      keyring: new GroupKeyring(record.groupId, record.epochs),
      identity: device.identity,
      counter: new EnvelopeCounter(record.counter),
      // Past a few hundred envelopes, a snapshot makes the next open or join one signature check.
      compactAfter: LOG_COMPACT_AFTER,
    });
    const persistence = store.persistLog(record.id, logDoc);
    persistence.on('error', (error) => events.problem('store', error.code, error.message));
    const session = input.deps.createSession({ log, identity: device.identity, displayName: device.displayName });
    const runtime = new GroupRuntime(record, device, store, events, log, persistence, session);
    await runtime.loadUnshared();
    if (input.creator) runtime.board.setGroupInfo(device.identity, input.creator);
    runtime.introduce(device.displayName);
    session.connect();
    return runtime;
  }

  get viewerId(): string {
    return authorIdOf(this.device.identity);
  }

  /** States this member's name on the board, unless it already says exactly that. */
  introduce(displayName: string): void {
    this.device.displayName = displayName;
    this.session.setDisplayName(displayName);
    if (this.board.view(this.viewerId).members.get(this.viewerId)?.displayName === displayName) return;
    this.board.setMember(this.device.identity, displayName);
  }

  screen(filter: PostKind | 'all'): BoardScreen {
    const view = this.board.view(this.viewerId);
    const info = view.group;
    const session = this.session.status;
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
      sync: { ...session, rejected: Math.max(session.rejected, this.log.getStats().rejected) },
      presence: [...this.session.presence],
      filter,
    };
  }

  post(input: NewPost): void {
    const record = this.board.addPost(this.device.identity, input);
    if (this.session.status.peers === 0) {
      this.unshared.add(record.id);
      void this.saveUnshared();
    }
    void this.saveCounter();
  }

  reply(postId: string, body: string): void {
    this.board.addReply(this.device.identity, postId, body);
    void this.saveCounter();
  }

  react(postId: string, reaction: Reaction): void {
    this.board.toggleReaction(this.device.identity, postId, reaction);
    void this.saveCounter();
  }

  /** Saves what is pending now (leaving the page). */
  async flush(): Promise<void> {
    await Promise.allSettled([this.persistence.flush(), this.saveCounter()]);
  }

  /** Saves and tears down; with `discard`, writes nothing more (the group is being deleted). */
  async close({ discard = false } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribeBoard();
    this.log.off('rejected', this.onRejected);
    this.session.off('status', this.onStatus);
    this.session.off('presence', this.onPresence);
    this.session.destroy();
    if (discard) {
      this.persistence.discard();
    } else {
      await this.flush();
      await this.persistence.destroy();
    }
    this.log.destroy();
    this.log.board.destroy();
    this.log.log.destroy();
  }

  private readonly onRejected = (rejection: Rejection): void => this.events.problem('rejected', rejection.code);

  private readonly onStatus = (): void => {
    const { state, peers } = this.session.status;
    // A peer has everything we have once the session reports the sync as complete.
    if (state === 'up-to-date' && peers > 0 && this.unshared.size > 0) {
      this.unshared.clear();
      void this.saveUnshared();
    }
    this.events.changed();
  };

  private readonly onPresence = (): void => this.events.changed();

  private async loadUnshared(): Promise<void> {
    const stored = await this.store.getSetting(unsharedKey(this.record.id));
    if (!stored.ok || !Array.isArray(stored.value)) return;
    for (const id of stored.value) if (typeof id === 'string') this.unshared.add(id);
  }

  private async saveUnshared(): Promise<void> {
    const saved = await this.store.setSetting(unsharedKey(this.record.id), [...this.unshared]);
    if (!saved.ok) this.events.problem('store', saved.error.code, saved.error.message);
  }

  /** The counter must only grow on disk, so a restarted device never reuses one. */
  private async saveCounter(): Promise<void> {
    const counter = this.log.counter.current;
    if (counter <= this.counterSaved) return;
    this.counterSaved = counter;
    this.record.counter = counter;
    const saved = await this.store.saveGroup({ ...this.record });
    if (!saved.ok) this.events.problem('store', saved.error.code, saved.error.message);
  }
}
