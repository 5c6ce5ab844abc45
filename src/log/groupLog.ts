import { ObservableV2 } from 'lib0/observable';
import * as Y from 'yjs';
import { bytesEqual, toBase64Url, toHex, type DeviceIdentity } from '../../crypto/index.js';
import { latestCreatedAt, writeShare, type MembershipState, type WriteContext, type WriteResult } from '../model/index.js';
import { AuthorChain, type Link, type WaitingBudget } from './authorChain.js';
import { carriedDocs, type CarriedDoc } from './carriedDocs.js';
import {
  CHAIN_ENVELOPE_VERSION,
  ENVELOPE_VERSION,
  NO_PREVIOUS,
  chainKeyOf,
  decryptEnvelope,
  envelopeHash,
  parseEnvelopeHeader,
  sealEnvelope,
  verifyEnvelopeSignature,
  type EnvelopeError,
  type EnvelopeHeader,
} from './envelope.js';
import { EpochKeeper } from './epochKeeper.js';
import { readableEpochs, shareEpoch } from './shareReach.js';
import type { GroupKeyring } from './keyring.js';
import type { CatchUpPort, EnvelopeStorePort, Head, StoredEnvelope, SyncableLog } from './ports.js';
import { checkUpdate, type UpdateCheck, type UpdateRejection } from './updateCheck.js';
import { browserWriterLock, pageWriterLock, type WriterLock } from './writerLock.js';

/** Why an envelope was not applied. Stable codes, listed in docs/PROTOCOL.md §4. */
export type RejectionCode =
  | EnvelopeError
  | UpdateRejection
  | 'not-an-envelope'
  | 'wrong-kind'
  | 'too-large'
  | 'too-many-authors'
  | 'bad-chain-start' // a version 3 link at seq 1 that names a previous link: chains start anew in each epoch
  | 'before-admission'; // sealed under an epoch older than any this device was given: the group keeps its history from newcomers

export interface Rejection {
  code: RejectionCode;
  /** base64url signing key the envelope claimed, when its signature held. */
  authorId?: string;
}

export interface LogStats {
  /** Envelopes refused since the log opened, in all and by code. */
  rejected: number;
  rejectedByCode: Partial<Record<RejectionCode, number>>;
  /** Envelopes held ahead of a gap, waiting for the links before them. */
  waiting: number;
  /** Authors seen signing two different envelopes for one sequence number. */
  forked: string[];
}

export type GroupLogEvents = {
  /** Envelopes that became part of this device's log (own ones after they are on disk). */
  appended: (envelopes: Uint8Array[]) => void;
  /** The board changed: some author's document was changed by accepted envelopes. */
  changed: () => void;
  rejected: (rejection: Rejection) => void;
  /** An author signed two different envelopes for one sequence number. */
  forked: (authorId: string) => void;
  /** Storage trouble, in plain words; the log keeps going. */
  problem: (error: { code: string; message: string }) => void;
  /** The keyring gained a secret or the sealing epoch changed: the group's saved epochs and room follow. */
  epochs: (moved: boolean) => void;
};

/** Caps that bound what one author can cost every other member. */
export const LIMITS = {
  /** An update envelope: one local change. */
  updateBytes: 1024 * 1024,
  updateRecords: 256,
  /** A checkpoint: an author's whole document. */
  checkpointBytes: 32 * 1024 * 1024,
  checkpointRecords: 100_000,
} as const;

/** Chains (an author's, per epoch) a device keeps; more (keys made up to fill memory) are refused. */
export const MAX_CHAINS = 4096;

/** An author compacts their own chain once it holds this many links after its last checkpoint. */
export const CHECKPOINT_AFTER = 300;

/** Own commits that fail are tried this many times, these many ms apart, before the change is dropped. */
const COMMIT_RETRY_MS = [100, 400, 1600];

/** Transaction origin of this device's own writes: the only updates the log seals. */
const OWN_WRITE = Symbol('own-write');

export interface GroupLogOptions {
  keyring: GroupKeyring;
  /** Signing keys write the chain; the box keys (when given) open epoch secrets sealed to this device. */
  identity: Pick<DeviceIdentity, 'signPublicKey' | 'signSecretKey'> & Partial<Pick<DeviceIdentity, 'boxPublicKey' | 'boxSecretKey'>>;
  store: EnvelopeStorePort;
  /** The group's creator (base64url key): only they may state the group's details. */
  creatorId: string | undefined;
  now?: () => number;
  lock?: WriterLock;
  checkpointAfter?: number;
}

export type WriteOutcome<R> = WriteResult<R> | { ok: false; problem: 'not-saved'; message: string };

/**
 * A group's envelope set: one append-only chain per author, each applied only to that author's
 * own document. Envelopes from peers are checked (signature, chain position, content rules)
 * before anything is applied; own changes are sealed as the next link of this device's chain,
 * committed to disk, and only then shown and sent.
 */
export class GroupLog extends ObservableV2<GroupLogEvents> implements SyncableLog {
  readonly groupId: Uint8Array;
  readonly ownId: string;
  readonly creatorId: string | undefined;
  private readonly keyring: GroupKeyring;
  private readonly identity: GroupLogOptions['identity'];
  private readonly store: EnvelopeStorePort;
  private readonly now: () => number;
  private readonly lock: WriterLock;
  private readonly checkpointAfter: number;
  /** By chain id (see AuthorChain): an author's version 2 chain, and one chain per author and epoch. */
  private readonly chains = new Map<string, AuthorChain>();
  /** Hex hashes of envelopes refused before any chain took them (before-admission, bad-chain-start). */
  private readonly refusedUnplaced = new Set<string>();
  /** Hex keys of chains sealed under epochs before this device's admission: never readable here. */
  private readonly closedChains = new Set<string>();
  /** Records other members carried into a new epoch for its newcomers, by their author (see carriedDocs). */
  private carried = new Map<string, CarriedDoc>();
  private readonly keeper: EpochKeeper;
  /** Which secret sealed each of my links (see ownLinkSecrets). */
  private readonly linkSecrets = new WeakMap<Link, Uint8Array | null>();
  private readonly waitingBudget: WaitingBudget = { bytes: 0 };
  private readonly stats: Omit<LogStats, 'waiting' | 'forked'> = { rejected: 0, rejectedByCode: {} };
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;
  /** The app's catch-up page exchange (docs/PROTOCOL.md §6.2), handed to the sync. */
  catchUp: CatchUpPort | undefined;

  private constructor(options: GroupLogOptions) {
    super();
    this.keyring = options.keyring;
    this.groupId = options.keyring.groupId;
    this.identity = options.identity;
    this.ownId = toBase64Url(options.identity.signPublicKey);
    this.creatorId = options.creatorId;
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.lock = options.lock ?? browserWriterLock() ?? pageWriterLock();
    this.checkpointAfter = options.checkpointAfter ?? CHECKPOINT_AFTER;
    this.keeper = new EpochKeeper(options.keyring, this.ownId, options.identity, { authors: () => this.authors(), creatorId: this.creatorId });
  }

  /** The group's membership as this device derives it from every author's entries. */
  get membership(): MembershipState {
    return this.keeper.state;
  }

  /** The epoch this device seals under now, with its secret. */
  get keyringEpoch(): { epoch: number; secret: Uint8Array } {
    return { epoch: this.keyring.currentEpoch, secret: this.keyring.currentSecret };
  }

  /** The secret of the epoch an entry names (its id, or "genesis"), when this device holds it. */
  epochSecret(ref: string): Uint8Array | undefined {
    return this.keeper.secretOf(ref);
  }

  /**
   * Opens a group's log from disk. Stored envelopes were checked when they arrived and are
   * sealed under this device's storage key, so they are decrypted and applied, not re-verified.
   */
  static async open(options: GroupLogOptions): Promise<GroupLog> {
    const log = new GroupLog(options);
    const loaded = await options.store.load();
    if (!loaded.ok) log.openProblem = loaded.error;
    else log.restore(loaded.value);
    log.refreshMembership();
    return log;
  }

  /** What went wrong reading the stored chains when the log opened, for the person to hear once. */
  openProblem: { code: string; message: string } | undefined;

  override destroy(): void {
    this.destroyed = true;
    clearTimeout(this.holdTimer);
    for (const chain of this.chains.values()) chain.doc.destroy();
    for (const { doc } of this.carried.values()) doc.destroy();
    super.destroy();
  }

  /**
   * Every document with its author and chain: the board is their union. An author has one
   * document per chain (per epoch), and one more for records others carried for them.
   */
  *authors(): Iterable<[authorId: string, doc: Y.Doc, chain: string]> {
    for (const chain of this.chains.values()) yield [chain.authorId, chain.doc, chain.id];
    for (const [authorId, { doc }] of this.carried) yield [authorId, doc, `carried:${authorId}`];
  }

  /** This device's document for the epoch it seals under now. */
  get ownDoc(): Y.Doc {
    return this.ownChain().doc;
  }

  getStats(): LogStats {
    let waiting = 0;
    const forked: string[] = [];
    for (const chain of this.chains.values()) {
      waiting += chain.waiting.size;
      if (chain.forked && !forked.includes(chain.authorId)) forked.push(chain.authorId);
    }
    return { ...this.stats, rejectedByCode: { ...this.stats.rejectedByCode }, waiting, forked };
  }

  heads(): Head[] {
    const heads: Head[] = [];
    for (const chain of this.chains.values()) {
      if (chain.links.length > 0) heads.push({ authorKey: chain.key, ...chain.head });
    }
    return heads;
  }

  envelopesAfter(authorKey: Uint8Array, seq: number): Uint8Array[] {
    return this.chains.get(toBase64Url(authorKey))?.after(seq) ?? [];
  }

  envelopeAt(authorKey: Uint8Array, seq: number): Uint8Array | undefined {
    return this.chains.get(toBase64Url(authorKey))?.linkAt(seq)?.envelope;
  }

  receive(envelopes: Uint8Array[]): { waiting: boolean } {
    const batch = new Batch();
    for (const envelope of envelopes) this.accept(envelope, batch);
    this.finish(batch);
    return { waiting: batch.waiting };
  }

  /**
   * Runs `mutate` on this device's document for the epoch it seals under (or `epoch`) and seals
   * what it changed as the next link of that chain, under the cross-tab writer lock. Settles
   * once the envelope is on disk; only then is the change shown (`changed`) and sent
   * (`appended`). A change that cannot be saved is taken back, so nothing unsaved is ever shown
   * or sent. With `checkpoint` (a delete), a checkpoint follows at once, so the removed text
   * leaves every disk that holds this chain; with `asCheckpoint` the change goes out as a
   * checkpoint of the chain itself (a carry of many records, see membershipOps). A delete of a
   * record written in an earlier epoch is a link of that epoch's chain, sealed under that epoch:
   * nothing older is ever sealed again under a newer epoch.
   */
  write<R extends { createdAt: number }>(
    mutate: (context: WriteContext) => WriteResult<R>,
    { checkpoint = false, epoch, asCheckpoint = false }: { checkpoint?: boolean; epoch?: number; asCheckpoint?: boolean } = {},
  ): Promise<WriteOutcome<R>> {
    return this.lock.run(`hearth-writer:${toBase64Url(this.groupId)}`, async () => {
      let target = this.ownChain(epoch);
      await this.catchUpOwnChain(target);
      if ((await this.shareWithMyNewcomers()) === 'failed') return { ok: false, problem: 'not-saved', message: 'The group\'s keys could not be saved.' };
      let ran = this.runOwn(target, mutate);
      for (const older of ran.result.ok || ran.result.problem !== 'no-such-record' ? [] : this.olderOwnChains(target)) {
        await this.catchUpOwnChain(older);
        ran = this.runOwn(older, mutate);
        target = older;
        if (ran.result.ok || ran.result.problem !== 'no-such-record') break;
      }
      const { result, update } = ran;
      if (!result.ok || !update) return result;
      const saved = asCheckpoint
        ? await this.appendOwn(target, 'checkpoint', Y.encodeStateAsUpdate(target.doc), true)
        : await this.appendOwn(target, 'update', update, true);
      if (!saved.ok) return saved;
      target.latestCreatedAt = Math.max(target.latestCreatedAt, result.record.createdAt);
      this.finish(new Batch());
      if (!asCheckpoint && (checkpoint || target.links.length > this.checkpointAfter)) {
        await this.appendOwn(target, 'checkpoint', Y.encodeStateAsUpdate(target.doc), false);
      }
      return result;
    });
  }

  /** Runs `mutate` on one of my chains' documents, capturing what it changed. */
  private runOwn<R>(chain: AuthorChain, mutate: (context: WriteContext) => WriteResult<R>): { result: WriteResult<R>; update: Uint8Array | undefined } {
    const updates: Uint8Array[] = [];
    const capture = (update: Uint8Array, origin: unknown): void => void (origin === OWN_WRITE && updates.push(update));
    chain.doc.on('update', capture);
    let result: WriteResult<R>;
    try {
      result = chain.doc.transact(() => mutate({ ...this.ownContext(chain), editors: this.keeper.state.editors }), OWN_WRITE);
    } finally {
      chain.doc.off('update', capture);
    }
    return { result, update: updates.length === 0 ? undefined : updates.length === 1 ? updates[0] : Y.mergeUpdates(updates) };
  }

  /** What my records are written with: never dated before my latest record in any of my chains. */
  private ownContext(chain: AuthorChain): WriteContext {
    let latest = 0;
    for (const own of this.chains.values()) if (own.authorId === this.ownId) latest = Math.max(latest, own.latestCreatedAt);
    const ownRecord = (root: string, key: string): unknown => {
      let found: { createdAt: number } | undefined;
      for (const own of this.chains.values()) {
        if (own.authorId !== this.ownId) continue;
        const value = own.doc.getMap(root).get(key) as { createdAt?: unknown } | undefined;
        if (typeof value?.createdAt === 'number' && (!found || value.createdAt > found.createdAt)) found = value as { createdAt: number };
      }
      return found;
    };
    return { doc: chain.doc, author: this.identity, now: Math.max(this.now(), latest), creatorId: this.creatorId, ownRecord };
  }

  /** My chain for `epoch` (default: the epoch I seal under), made empty when I have none yet. */
  private ownChain(epoch = this.keyring.currentEpoch): AuthorChain {
    return this.chainFor({ version: CHAIN_ENVELOPE_VERSION, authorKey: this.identity.signPublicKey, epoch });
  }

  /** My other chains that hold links, newest epoch first, my version 2 chain last. */
  private olderOwnChains(than: AuthorChain): AuthorChain[] {
    const rank = (chain: AuthorChain): number => chain.epoch ?? -1;
    return [...this.chains.values()]
      .filter((chain) => chain.authorId === this.ownId && chain !== than && chain.links.length > 0)
      .sort((a, b) => rank(b) - rank(a));
  }

  /**
   * A member who lacks an epoch I hold (one started concurrently with their admission) gets its
   * secret from me, sealed in a link of my chain for the newest epoch whose very secret they
   * hold (see shareReach), before I write anything more under it.
   */
  private async shareWithMyNewcomers(): Promise<'none' | 'written' | 'failed'> {
    const shares = this.pendingShares();
    let written = false;
    for (const epoch of new Set(shares.map((share) => share.epoch))) {
      const chain = this.ownChain(epoch);
      await this.catchUpOwnChain(chain);
      const state = this.keeper.state;
      const these = shares.filter((share) => share.epoch === epoch);
      const { update } = this.runOwn(chain, (context) =>
        writeShare(context, state, these.map(({ ref, secret, member, boxKey }) => ({ ref, secret, to: [[member, boxKey] as [string, string]] }))),
      );
      if (!update) continue;
      const saved = await this.appendOwn(chain, 'update', update, true);
      if (!saved.ok) return 'failed';
      this.finish(new Batch());
      written = true;
    }
    return written ? 'written' : 'none';
  }

  /** The numbers of the epochs sealed to `member`, as far as this device can read them. */
  private heldBy(member: string): number[] {
    return this.keeper.state.sealedFor(member).map(({ epoch }) => epoch.epoch);
  }

  /**
   * Epoch secrets I hold that members lack, for the members who can read some chain of mine
   * whole (so they can read the link that carries them), with that chain's epoch; listed even
   * once I am removed, since I may be the last who holds them. A member
   * is owed only epochs from the first one sealed to them on: a newcomer admitted while the group
   * keeps its history from newcomers never gets an older secret from anyone.
   */
  pendingShares(): { ref: string; secret: Uint8Array; member: string; boxKey: string; epoch: number }[] {
    const state = this.keeper.state;
    if (!state.members.has(this.ownId) && !state.removed.has(this.ownId)) return [];
    const held = this.keeper.held();
    const heldByRef = new Map(held);
    const epochNumber = new Map(state.announced.map((epoch) => [epoch.ref, epoch.epoch]));
    return [...state.members.values()].flatMap((member) => {
      const theirs = this.heldBy(member.id);
      const first = Math.min(...theirs);
      // Announced, not only valid, epochs: an epoch voided by a concurrent removal still seals entries its members must read.
      const lacking = held.filter(([ref]) => !state.holds(member.id, ref) && (epochNumber.get(ref) ?? -1) >= first);
      if (lacking.length === 0) return [];
      const place = shareEpoch(
        readableEpochs(state, member.id, heldByRef),
        (epoch) => this.keyring.secret(epoch),
        (epoch) => this.ownLinkSecrets(epoch),
      );
      return place ? lacking.map(([ref, secret]) => ({ ref, secret, member: member.id, boxKey: member.boxKey, epoch: place.epoch })) : [];
    });
  }

  /** The secret each link of my chain of `epoch` is sealed under (null: none I hold), found once per link. */
  private ownLinkSecrets(epoch: number): (Uint8Array | null)[] {
    const chain = this.chains.get(toBase64Url(chainKeyOf({ version: CHAIN_ENVELOPE_VERSION, authorKey: this.identity.signPublicKey, epoch })));
    return (chain?.links ?? []).map((link) => {
      if (!this.linkSecrets.has(link)) {
        this.linkSecrets.set(link, this.keyring.secretThatOpens(epoch, link.kind, (key) => decryptEnvelope(link.envelope, key) !== null) ?? null);
      }
      return this.linkSecrets.get(link)!;
    });
  }

  /** Writes the shares pendingShares() lists now, as their own link; true when one was written. */
  shareKeys(): Promise<boolean> {
    return this.lock.run(`hearth-writer:${toBase64Url(this.groupId)}`, async () => (await this.shareWithMyNewcomers()) === 'written');
  }

  /**
   * Seals, commits and only then publishes one own link of `chain`, under the chain's epoch (a
   * version 2 chain: under the epoch of its newest link). A link that cannot be saved is taken
   * back: when `unsaved`, the document holds the change and is rebuilt from the chain.
   */
  private async appendOwn(
    own: AuthorChain,
    kind: 'update' | 'checkpoint',
    plaintext: Uint8Array,
    unsaved: boolean,
  ): Promise<{ ok: true } | { ok: false; problem: 'not-saved'; message: string }> {
    const head = own.head;
    const epoch = own.epoch ?? this.epochOfLink(own.links[own.links.length - 1]) ?? this.keyring.currentEpoch;
    const key = this.keyring.keyFor(epoch, kind);
    if (!key) {
      if (unsaved) this.rebuild(own);
      return { ok: false, problem: 'not-saved', message: 'This device no longer holds the key that change needs.' };
    }
    const envelope = sealEnvelope({
      version: own.epoch === undefined ? ENVELOPE_VERSION : CHAIN_ENVELOPE_VERSION,
      kind,
      groupId: this.groupId,
      epoch,
      seq: head.seq + 1,
      prev: head.hash,
      authorKey: this.identity.signPublicKey,
      authorSecretKey: this.identity.signSecretKey,
      key,
      plaintext,
    });
    const entry: StoredEnvelope = { authorId: own.id, seq: head.seq + 1, envelope };
    let committed = await this.store.commit([entry]);
    for (const delay of COMMIT_RETRY_MS) {
      if (committed.ok || this.destroyed) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
      committed = await this.store.commit([entry]);
    }
    if (!committed.ok) {
      // Never shown, never sent: the document goes back to what the chain holds, and the link
      // still queued in the store is cancelled, so this seq is never on disk twice.
      this.store.truncateAfter(own.id, head.seq);
      if (unsaved) this.rebuild(own);
      this.emit('problem', [committed.error]);
      return { ok: false, problem: 'not-saved', message: committed.error.message };
    }
    if (kind === 'checkpoint') {
      own.links = [];
      this.store.supersede(own.id, entry.seq);
    }
    own.links.push({ seq: entry.seq, hash: envelopeHash(envelope), kind, envelope });
    this.emit('appended', [[envelope]]);
    this.emit('changed', []);
    return { ok: true };
  }

  private epochOfLink(link: Link | undefined): number | undefined {
    const parsed = link && parseEnvelopeHeader(link.envelope);
    return parsed && parsed.ok ? parsed.header.epoch : undefined;
  }

  /** Links another tab of this profile wrote to one of my chains since this tab last looked. */
  private async catchUpOwnChain(own: AuthorChain): Promise<void> {
    const newer = await this.store.loadAfter(own.id, own.head.seq);
    if (!newer.ok) {
      this.emit('problem', [newer.error]);
      return;
    }
    if (newer.value.length > 0) this.receive(newer.value.map((stored) => stored.envelope));
  }

  /** The chain a link belongs to (see chainKeyOf), made empty when first named. */
  private chainFor(header: Pick<EnvelopeHeader, 'version' | 'authorKey' | 'epoch'>): AuthorChain {
    const key = chainKeyOf(header);
    const id = toBase64Url(key);
    let chain = this.chains.get(id);
    if (!chain) {
      const epoch = header.version === CHAIN_ENVELOPE_VERSION ? header.epoch : undefined;
      chain = new AuthorChain(header.authorKey, toBase64Url(header.authorKey), key, epoch, this.waitingBudget);
      this.chains.set(id, chain);
    }
    return chain;
  }

  /** Rebuilds each stored chain: consecutive links from seq 1 or a checkpoint; the rest is fetched again. */
  private restore(stored: StoredEnvelope[]): void {
    let unreadable = 0;
    let current: { chain: AuthorChain; broken: boolean } | undefined;
    for (const { envelope } of stored) {
      const parsed = parseEnvelopeHeader(envelope);
      if (!parsed.ok) {
        unreadable++;
        continue;
      }
      const { header } = parsed;
      const chain = this.chainFor(header);
      if (current?.chain !== chain) current = { chain, broken: false };
      const plaintext = !current.broken && chain.follows(header) ? this.open(envelope, header) : null;
      if (!plaintext || !applyCleanly(chain.doc, plaintext)) {
        current.broken = true;
        unreadable++;
        continue;
      }
      chain.links.push({ seq: header.seq, hash: envelopeHash(envelope), kind: header.kind, envelope });
    }
    for (const chain of this.chains.values()) chain.latestCreatedAt = latestCreatedAt(chain.doc);
    if (unreadable > 0) {
      const changes = unreadable === 1 ? 'change' : 'changes';
      this.openProblem = { code: 'corrupt', message: `${unreadable} saved ${changes} could not be read; they will be fetched again from the group.` };
    }
  }

  private accept(envelope: unknown, batch: Batch): void {
    if (!(envelope instanceof Uint8Array)) return this.reject({ code: 'not-an-envelope' });
    if (envelope.length > LIMITS.checkpointBytes) return this.reject({ code: 'too-large' });
    const parsed = parseEnvelopeHeader(envelope);
    if (!parsed.ok) return this.reject({ code: parsed.error });
    const { header } = parsed;
    if (!bytesEqual(header.groupId, this.groupId)) return this.reject({ code: 'wrong-group' });
    if (header.kind === 'presence') return this.reject({ code: 'wrong-kind' });
    if (header.kind === 'update' && envelope.length > LIMITS.updateBytes) return this.reject({ code: 'too-large' });
    const hash = envelopeHash(envelope);
    const known = this.chains.get(toBase64Url(chainKeyOf(header)));
    // Duplicates are dropped before any signature check: a peer resending costs one hash.
    if (known && (bytesEqualOrUndefined(known.linkAt(header.seq)?.hash, hash) || known.refused.has(toHex(hash)))) return;
    if (this.refusedUnplaced.has(toHex(hash))) return;
    if (!verifyEnvelopeSignature(envelope, header.authorKey)) return this.reject({ code: 'bad-signature' });
    const authorId = toBase64Url(header.authorKey);
    // Each epoch's chain starts afresh: a first link may not claim to continue another chain.
    if (header.version === CHAIN_ENVELOPE_VERSION && header.seq === 1 && !bytesEqual(header.prev, NO_PREVIOUS)) return this.refuseUnplaced(hash, 'bad-chain-start', authorId);
    if (!known && this.chains.size >= MAX_CHAINS) return this.reject({ code: 'too-many-authors' });
    if (this.keyring.keysFor(header.epoch, header.kind).length === 0) {
      if (this.keeper.beforeAdmission(header.epoch)) return this.refuseBeforeAdmission(header, hash, authorId);
      // Its key may come with an entry later in this batch: decided once the batch is in.
      return void batch.unopened.push({ header, envelope });
    }
    this.place(this.chainFor(header), header, envelope, hash, batch);
  }

  /** Puts a signed envelope where it belongs in its author's chain: applied, waiting, or fork evidence. */
  private place(chain: AuthorChain, header: EnvelopeHeader, envelope: Uint8Array, hash: Uint8Array, batch: Batch): void {
    if (header.seq <= chain.head.seq) return this.fork(chain, header, envelope, hash, batch);
    if (chain.follows(header)) return this.apply(chain, header, envelope, hash, batch, chain.links.length > 0 ? 'extend' : 'fresh');
    // A checkpoint ahead of the head supersedes everything before it: a new start for the chain.
    if (header.kind === 'checkpoint') return this.apply(chain, header, envelope, hash, batch, 'fresh');
    chain.waiting.hold(header.seq, envelope);
    batch.waiting = true;
  }

  /**
   * Checks an envelope against the author's document and applies it: `extend` adds it to the
   * chain, `fresh` starts the chain anew from it (a checkpoint, or seq 1).
   */
  private apply(
    chain: AuthorChain,
    header: EnvelopeHeader,
    envelope: Uint8Array,
    hash: Uint8Array,
    batch: Batch,
    mode: 'extend' | 'fresh',
  ): void {
    if (this.keyring.keysFor(header.epoch, header.kind).length === 0) {
      chain.waiting.hold(header.seq, envelope);
      return;
    }
    // The entry sealing this epoch's secret may have been applied earlier in this very batch.
    const plaintext = this.open(envelope, header) ?? (this.refreshMembership(batch).gained ? this.open(envelope, header) : null);
    // Two members may have started an epoch of this number at once: the entry sealing the other
    // secret may come later in this batch or in another, so this is decided once the batch is in.
    if (!plaintext) return void batch.unopened.push({ header, envelope });
    const target = mode === 'fresh' ? new Y.Doc() : chain.doc;
    const check = this.check(chain, header.kind, target, plaintext, mode === 'fresh' ? 0 : chain.latestCreatedAt);
    if (!check.ok && 'holdUntil' in check) {
      chain.waiting.hold(header.seq, envelope);
      this.holdUntil(chain, header.seq, check.holdUntil);
      if (mode === 'fresh') target.destroy();
      return;
    }
    if (!check.ok) {
      if (mode === 'fresh') target.destroy();
      return this.refuse(chain, hash, check.code);
    }
    if (!applyCleanly(target, plaintext)) {
      // The checks above make this unreachable for any update Yjs decodes the same way; the
      // document is rebuilt from the chain all the same, so nothing half-applied stays.
      if (mode === 'fresh') target.destroy();
      else this.rebuild(chain);
      return this.refuse(chain, hash, 'pending-structs');
    }
    if (mode === 'fresh' || header.kind === 'checkpoint') {
      chain.replaceDoc(target);
      chain.links = [];
      chain.latestCreatedAt = check.latestCreatedAt;
      if (header.seq > 1) {
        this.store.supersede(chain.id, header.seq);
        // Links of this chain accepted earlier in this batch are not on disk or sent yet: never
        // store or relay them (a deleted post's text would outlive the checkpoint that removed it).
        const superseded = new Set(batch.stored.flatMap((e) => (e.authorId === chain.id && e.seq < header.seq ? [e.envelope] : [])));
        batch.stored = batch.stored.filter((entry) => !superseded.has(entry.envelope));
        batch.appended = batch.appended.filter((envelope) => !superseded.has(envelope));
      }
    } else {
      chain.latestCreatedAt = Math.max(chain.latestCreatedAt, check.latestCreatedAt);
    }
    chain.links.push({ seq: header.seq, hash, kind: header.kind, envelope });
    if (chain.held?.seq === header.seq) chain.held = undefined;
    chain.waiting.take(header.seq);
    batch.stored.push({ authorId: chain.id, seq: header.seq, envelope });
    batch.appended.push(envelope);
    this.drain(chain, batch);
  }

  /** The checks of one link of `chain` against `doc`, the author's document as it stands before it. */
  private check(chain: AuthorChain, kind: EnvelopeHeader['kind'], doc: Y.Doc, update: Uint8Array, notBefore: number): UpdateCheck {
    return checkUpdate({
      doc,
      update,
      authorId: chain.authorId,
      creatorId: this.creatorId,
      notBefore,
      now: this.now(),
      maxRecords: kind === 'checkpoint' ? LIMITS.checkpointRecords : LIMITS.updateRecords,
    });
  }

  /** Applies what waited for the link that just arrived. */
  private drain(chain: AuthorChain, batch: Batch): void {
    chain.waiting.dropThrough(chain.head.seq);
    if (chain.held) return;
    const next = chain.waiting.take(chain.head.seq + 1);
    if (!next) return;
    const parsed = parseEnvelopeHeader(next);
    if (parsed.ok) this.place(chain, parsed.header, next, envelopeHash(next), batch);
  }

  /**
   * Two signed envelopes for one seq: the author forked their chain. Every device keeps the
   * branch whose envelope at the fork has the lower hash, if it passes the checks, so every
   * device reaches the same board whatever the order of delivery.
   */
  private fork(chain: AuthorChain, header: EnvelopeHeader, envelope: Uint8Array, hash: Uint8Array, batch: Batch): void {
    const held = chain.linkAt(header.seq);
    if (!held || bytesEqual(held.hash, hash)) return; // superseded by a checkpoint, or a duplicate
    if (!chain.forked) {
      chain.forked = true;
      this.emit('forked', [chain.authorId]);
    }
    if (compareBytes(hash, held.hash) >= 0) return;
    const index = header.seq - chain.base;
    const before = chain.links.slice(0, index);
    const previous = before[before.length - 1];
    const startsChain = index === 0 && (header.seq === 1 || header.kind === 'checkpoint');
    if (!startsChain && !(previous && bytesEqual(header.prev, previous.hash))) return;
    // Check the lower branch on a copy first: if it fails, the branch already held stays.
    const trial = this.rebuiltDoc(before);
    const plaintext = this.open(envelope, header);
    const check = plaintext ? this.check(chain, header.kind, trial, plaintext, before.length === 0 ? 0 : latestCreatedAt(trial)) : undefined;
    trial.destroy();
    if (!check?.ok) return this.refuse(chain, hash, check && 'code' in check ? check.code : 'decrypt-failed');
    chain.links = before;
    this.rebuild(chain);
    this.store.truncateAfter(chain.id, header.seq - 1);
    batch.changed = true;
    this.apply(chain, header, envelope, hash, batch, before.length === 0 ? 'fresh' : 'extend');
  }

  /** Rebuilds an author's document from the links the chain holds (a fork or a failed save). */
  private rebuild(chain: AuthorChain): void {
    chain.replaceDoc(this.rebuiltDoc(chain.links));
    chain.latestCreatedAt = latestCreatedAt(chain.doc);
  }

  private rebuiltDoc(links: Link[]): Y.Doc {
    const doc = new Y.Doc();
    for (const link of links) {
      const parsed = parseEnvelopeHeader(link.envelope);
      const plaintext = parsed.ok ? this.open(link.envelope, parsed.header) : null;
      if (plaintext) applyCleanly(doc, plaintext);
    }
    return doc;
  }

  /** Schedules another look at a held envelope once its time has come. */
  private holdUntil(chain: AuthorChain, seq: number, until: number): void {
    chain.held = { seq, until };
    clearTimeout(this.holdTimer);
    const next = Math.min(...[...this.chains.values()].flatMap((c) => (c.held ? [c.held.until] : [])));
    this.holdTimer = setTimeout(() => this.releaseHeld(), Math.max(0, next - this.now()) + 10);
  }

  private releaseHeld(): void {
    if (this.destroyed) return;
    const batch = new Batch();
    for (const chain of this.chains.values()) {
      const held = chain.held;
      if (!held || held.until > this.now()) continue;
      chain.held = undefined;
      const envelope = chain.waiting.take(held.seq);
      const parsed = envelope && parseEnvelopeHeader(envelope);
      if (parsed && parsed.ok) this.place(chain, parsed.header, envelope, envelopeHash(envelope), batch);
    }
    this.finish(batch);
    const pending = [...this.chains.values()].find((chain) => chain.held);
    if (pending?.held) this.holdUntil(pending, pending.held.seq, pending.held.until);
  }

  /** Decrypts a signed envelope with whichever key of its epoch fits. */
  private open(envelope: Uint8Array, header: EnvelopeHeader): Uint8Array | null {
    for (const key of this.keyring.keysFor(header.epoch, header.kind)) {
      const plaintext = decryptEnvelope(envelope, key);
      if (plaintext) return plaintext;
    }
    return null;
  }

  /**
   * Once a batch is in: membership entries it brought may have sealed new secrets to this device,
   * so envelopes waiting on a key are tried again until nothing more opens. An envelope of an
   * epoch no entry here has announced is refused; one of an announced epoch waits for its key.
   */
  private settleEpochs(batch: Batch): void {
    for (let round = 0; round < 64; round++) {
      this.refreshMembership(batch);
      if (!batch.gained) break;
      batch.gained = false;
      const retry = batch.unopened;
      batch.unopened = [];
      for (const { header, envelope } of retry) {
        if (this.keyring.keysFor(header.epoch, header.kind).length === 0) batch.unopened.push({ header, envelope });
        else this.place(this.chainFor(header), header, envelope, envelopeHash(envelope), batch);
      }
      for (const chain of this.chains.values()) if (!chain.held) this.drain(chain, batch);
    }
    for (const { header, envelope } of batch.unopened) {
      const authorId = toBase64Url(header.authorKey);
      const noKey = this.keyring.keysFor(header.epoch, header.kind).length === 0;
      if (this.keeper.beforeAdmission(header.epoch)) this.refuseBeforeAdmission(header, envelopeHash(envelope), authorId);
      else if ((noKey ? this.keeper.announced(header.epoch) : this.keeper.awaiting(header.epoch)) && this.chainFor(header).waiting.hold(header.seq, envelope)) batch.waiting = true;
      // Not remembered as refused: the secret that opens it may still be sealed to this device later.
      else this.reject({ code: noKey ? 'unknown-epoch' : 'decrypt-failed', authorId });
    }
    batch.unopened = [];
  }

  private finish(batch: Batch): void {
    this.settleEpochs(batch);
    if (batch.epochs) this.emit('epochs', [batch.moved]);
    if (batch.stored.length > 0) this.store.queue(batch.stored);
    if (batch.appended.length > 0) this.emit('appended', [batch.appended]);
    if (batch.appended.length > 0 || batch.changed) this.emit('changed', []);
  }

  /**
   * Records carried for newcomers may have changed with what was applied: the membership is
   * derived again over them (see EpochKeeper.refresh).
   */
  private refreshMembership(batch?: Batch): { gained: boolean; moved: boolean } {
    this.carried = carriedDocs(this.chains.values(), this.carried);
    const refreshed = this.keeper.refresh();
    if (batch) {
      if (refreshed.gained) batch.gained = true;
      if (refreshed.moved) batch.moved = true;
      if (refreshed.gained || refreshed.moved) batch.epochs = true;
    }
    return refreshed;
  }

  /** A signed envelope refused before it reached a chain: refused once, counted, never kept. */
  private refuseBeforeAdmission(header: EnvelopeHeader, hash: Uint8Array, authorId: string): void {
    this.closedChains.add(toHex(chainKeyOf(header)));
    this.refuseUnplaced(hash, 'before-admission', authorId);
  }

  /** Whether the chain is one this device can never read (sealed before its admission): not worth waiting for. */
  isClosedChain(chainKeyHex: string): boolean {
    return this.closedChains.has(chainKeyHex);
  }

  private refuseUnplaced(hash: Uint8Array, code: RejectionCode, authorId: string): void {
    this.refusedUnplaced.add(toHex(hash));
    this.reject({ code, authorId });
  }

  /** A signed envelope that fails a check: refused once, counted, never applied. */
  private refuse(chain: AuthorChain, hash: Uint8Array, code: RejectionCode): void {
    chain.refused.add(toHex(hash));
    this.reject({ code, authorId: chain.authorId });
  }

  private reject(rejection: Rejection): void {
    this.stats.rejected++;
    this.stats.rejectedByCode[rejection.code] = (this.stats.rejectedByCode[rejection.code] ?? 0) + 1;
    this.emit('rejected', [rejection]);
  }
}

/** What one call to receive() produced, published together once it is done. */
class Batch {
  appended: Uint8Array[] = [];
  /** Signed envelopes no key this device holds opens (yet). */
  unopened: { header: EnvelopeHeader; envelope: Uint8Array }[] = [];
  epochs = false;
  moved = false;
  /** A secret was gained since envelopes waiting on keys were last tried: they are tried again. */
  gained = false;
  stored: StoredEnvelope[] = [];
  waiting = false;
  changed = false;
}

/** Applies a Yjs update; false when it throws or leaves anything pending. */
function applyCleanly(doc: Y.Doc, update: Uint8Array): boolean {
  try {
    Y.applyUpdate(doc, update);
  } catch {
    return false;
  }
  return doc.store.pendingStructs === null && doc.store.pendingDs === null;
}

function bytesEqualOrUndefined(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && bytesEqual(a, b);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
