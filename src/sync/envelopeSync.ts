import { ObservableV2 } from 'lib0/observable';
import { bytesEqual, toHex } from '../../crypto/index.js';
import { chainKeyOf, envelopeHash, parseEnvelopeHeader } from '../log/envelope.js';
import type { Head, SyncableLog } from '../log/ports.js';
import type { PeerLink, PeerTransport } from './peerTransport.js';
import {
  MAX_SYNC_MESSAGE_BYTES,
  decodeSyncMessage,
  encodeCatchUp,
  encodeEnvelopes,
  encodeHeads,
  envelopesMessageBytes,
  type SyncMessageError,
} from './syncMessages.js';

/**
 * Per-link limits. The rate cap slows a link down (its messages wait) and never drops a valid
 * envelope: a dropped envelope would leave boards different. Only a link that floods past
 * its queue, or sends one message over the cap, is closed; it resyncs when it reconnects.
 */
export interface EnvelopeSyncLimits {
  /** A message over this closes the link. */
  maxMessageBytes: number;
  /** What is sent in one ENVELOPES message (a single larger envelope goes alone). */
  batchBytes: number;
  /** Token bucket: bytes a link may cost per second (its messages, and what we send in reply to its HEADS). */
  bytesPerSecond: number;
  /** Token bucket size: what a link may cost at once after a quiet spell. */
  burstBytes: number;
  /** Messages waiting for the rate cap; past this the link is closed. */
  maxQueuedBytes: number;
  /** Asking one link for envelopes again (HEADS after a gap) happens at most this often. */
  headsIntervalMs: number;
  /**
   * How long a relay waits after a HAVE to every link: peers that got an envelope from its
   * author meanwhile say so, and are skipped. 0 relays at once (and sends no HAVE).
   */
  relayDelayMs: number;
  /**
   * A peer whose heads lack at least this many links of the chains held here gets a catch-up
   * page (the newest posts, docs/PROTOCOL.md §6.2) before the envelopes.
   */
  catchUpAfterLinks: number;
  /**
   * After a catch-up page is handed to the app, the link's next messages wait this long, so the
   * page reaches the screen before the chains (a checkpoint can take seconds to check) are handled.
   */
  catchUpPauseMs: number;
}

export const DEFAULT_ENVELOPE_SYNC_LIMITS: EnvelopeSyncLimits = {
  maxMessageBytes: MAX_SYNC_MESSAGE_BYTES,
  batchBytes: 1024 * 1024,
  bytesPerSecond: 8 * 1024 * 1024,
  burstBytes: 32 * 1024 * 1024,
  maxQueuedBytes: 2 * MAX_SYNC_MESSAGE_BYTES,
  headsIntervalMs: 1000,
  relayDelayMs: 0,
  catchUpAfterLinks: 64,
  catchUpPauseMs: 50,
};

export interface EnvelopeSyncOptions {
  log: SyncableLog;
  transport: PeerTransport;
  limits?: Partial<EnvelopeSyncLimits>;
  /** The clock of the rate cap (tests pass a fake). */
  now?: () => number;
}

/** Why a peer's message was dropped; each is counted, per code. */
export type EnvelopeSyncDropCode =
  | SyncMessageError // the message did not decode (for message-too-large, the link was closed too)
  | 'wrong-group' // a sync message of another group
  | 'queue-full'; // the link flooded past the rate cap's queue and was closed

export interface EnvelopeSyncStatus {
  /** Links open now. */
  links: number;
  /** Links whose peer sent its heads, and this device holds at least each of them. */
  synced: number;
}

export interface EnvelopeSyncCounters {
  messagesReceived: number;
  messagesSent: number;
  envelopesReceived: number;
  envelopesSent: number;
  linksClosed: number;
  dropped: Partial<Record<EnvelopeSyncDropCode, number>>;
}

export type EnvelopeSyncEvents = {
  status: (status: EnvelopeSyncStatus) => void;
  /** A peer's message was dropped; `linkId` is for diagnostics only. */
  dropped: (code: EnvelopeSyncDropCode, linkId: string) => void;
};

interface KnownHead {
  seq: number;
  hash: Uint8Array;
}

interface LinkState {
  link: PeerLink;
  /** What the peer holds, by author (hex key): what it said, raised by what we sent or got. */
  heads: Map<string, KnownHead>;
  headsReceived: boolean;
  /** One catch-up page each way per link: more are not sent, and ignored. */
  catchUpSent: boolean;
  catchUpReceived: boolean;
  /** The link's messages wait until then (a catch-up page is being shown). */
  pausedUntil: number;
  inbox: Uint8Array[];
  inboxBytes: number;
  tokens: number;
  refilledAt: number;
  drainTimer: ReturnType<typeof setTimeout> | undefined;
  /** When we last asked this link again after a gap. */
  askedAt: number;
  headsTimer: ReturnType<typeof setTimeout> | undefined;
  detach: () => void;
}

/**
 * Hearth's envelope sync (docs/PROTOCOL.md §6.1) between this device's log and every link of a
 * transport: on open each side sends HEADS; each answers with what the other lacks, plus its own
 * envelope where the other's head is another branch (fork evidence: the log picks one). New
 * envelopes of the log go to every link that lacks them, so one received from a peer is relayed
 * once to the others and never echoed. A gap (`receive` says `waiting`) asks the sender again.
 */
export class EnvelopeSync extends ObservableV2<EnvelopeSyncEvents> {
  private readonly log: SyncableLog;
  private readonly transport: PeerTransport;
  private readonly limits: EnvelopeSyncLimits;
  private readonly now: () => number;
  private readonly states = new Map<PeerLink, LinkState>();
  private currentStatus: EnvelopeSyncStatus = { links: 0, synced: 0 };
  private readonly counts: EnvelopeSyncCounters = {
    messagesReceived: 0,
    messagesSent: 0,
    envelopesReceived: 0,
    envelopesSent: 0,
    linksClosed: 0,
    dropped: {},
  };
  private destroyed = false;
  /** The link whose envelopes the log is taking in right now: what it appends is a relay. */
  private receivedFrom: LinkState | undefined;
  private relayQueue: { envelope: Uint8Array; author: string; seq: number; hash: Uint8Array | null }[] = [];
  private relayTimer: ReturnType<typeof setTimeout> | undefined;

  constructor({ log, transport, limits, now = Date.now }: EnvelopeSyncOptions) {
    super();
    this.log = log;
    this.transport = transport;
    this.limits = { ...DEFAULT_ENVELOPE_SYNC_LIMITS, ...limits };
    this.now = now;
    transport.on('link', this.onLink);
    log.on('appended', this.onAppended);
    for (const link of transport.links()) this.onLink(link);
  }

  get status(): EnvelopeSyncStatus {
    return { ...this.currentStatus };
  }

  counters(): EnvelopeSyncCounters {
    return { ...this.counts, dropped: { ...this.counts.dropped } };
  }

  /** Stops syncing; the transport's links stay open for whoever else uses them. */
  override destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.transport.off('link', this.onLink);
    this.log.off('appended', this.onAppended);
    clearTimeout(this.relayTimer);
    this.relayQueue = [];
    for (const state of this.states.values()) this.forget(state);
    this.states.clear();
    super.destroy();
  }

  private readonly onLink = (link: PeerLink): void => {
    if (this.destroyed || this.states.has(link) || !link.open) return;
    const onMessage = (message: Uint8Array) => this.enqueue(state, message);
    const onClose = () => {
      this.forget(state);
      this.states.delete(link);
      this.updateStatus();
    };
    const state: LinkState = {
      link,
      heads: new Map(),
      headsReceived: false,
      catchUpSent: false,
      catchUpReceived: false,
      pausedUntil: -Infinity,
      inbox: [],
      inboxBytes: 0,
      tokens: this.limits.burstBytes,
      refilledAt: this.now(),
      drainTimer: undefined,
      askedAt: -Infinity,
      headsTimer: undefined,
      detach: () => {
        link.off('message', onMessage);
        link.off('close', onClose);
      },
    };
    this.states.set(link, state);
    link.on('message', onMessage);
    link.on('close', onClose);
    this.sendHeads(state);
    this.updateStatus();
  };

  private forget(state: LinkState): void {
    state.detach();
    clearTimeout(state.drainTimer);
    clearTimeout(state.headsTimer);
    state.inbox = [];
    state.inboxBytes = 0;
  }

  private enqueue(state: LinkState, message: Uint8Array): void {
    if (message.byteLength > this.limits.maxMessageBytes) return this.closeLink(state, 'message-too-large');
    if (state.inboxBytes + message.byteLength > this.limits.maxQueuedBytes) return this.closeLink(state, 'queue-full');
    state.inbox.push(message);
    state.inboxBytes += message.byteLength;
    this.drain(state);
  }

  /** Handles waiting messages while the link's bucket holds tokens; the rest waits for a refill. */
  private drain(state: LinkState): void {
    if (state.drainTimer !== undefined) return;
    this.refill(state);
    while (state.inbox.length > 0 && state.tokens > 0 && state.link.open && !this.destroyed && this.now() >= state.pausedUntil) {
      const message = state.inbox.shift()!;
      state.inboxBytes -= message.byteLength;
      state.tokens -= message.byteLength;
      this.handle(state, message);
    }
    if (state.inbox.length === 0 || !state.link.open || this.destroyed) return;
    const paused = state.pausedUntil - this.now();
    const waitMs = paused > 0 ? Math.ceil(paused) : Math.ceil(((1 - state.tokens) * 1000) / this.limits.bytesPerSecond);
    state.drainTimer = setTimeout(() => {
      state.drainTimer = undefined;
      this.drain(state);
    }, waitMs);
  }

  private refill(state: LinkState): void {
    const now = this.now();
    const earned = ((now - state.refilledAt) * this.limits.bytesPerSecond) / 1000;
    state.tokens = Math.min(this.limits.burstBytes, state.tokens + earned);
    state.refilledAt = now;
  }

  private handle(state: LinkState, bytes: Uint8Array): void {
    this.counts.messagesReceived += 1;
    const decoded = decodeSyncMessage(bytes);
    if (!decoded.ok) return this.drop(state, decoded.error);
    const { message } = decoded;
    if (!bytesEqual(message.groupId, this.log.groupId)) return this.drop(state, 'wrong-group');
    if (message.type === 'heads') this.receiveHeads(state, message.heads);
    else if (message.type === 'have') this.receiveHave(state, message.heads);
    else if (message.type === 'catch-up') this.receiveCatchUp(state, message.page);
    else this.receiveEnvelopes(state, message.envelopes);
    this.updateStatus();
  }

  /** Sends the peer what it lacks, and our envelope wherever its head is on another branch. */
  private receiveHeads(state: LinkState, heads: Head[]): void {
    state.heads = new Map(heads.map((head) => [toHex(head.authorKey), { seq: head.seq, hash: head.hash }]));
    state.headsReceived = true;
    const missing: Uint8Array[] = [];
    const mineHeads = this.log.heads();
    // The page goes first: the link is ordered, so the newest posts arrive before the chains.
    state.tokens -= this.sendCatchUp(state, mineHeads);
    for (const mine of mineHeads) {
      const author = toHex(mine.authorKey);
      const theirs = state.heads.get(author);
      if (theirs && theirs.seq <= mine.seq) {
        const own = this.log.envelopeAt(mine.authorKey, theirs.seq);
        const ownHash = theirs.seq === mine.seq ? mine.hash : own && envelopeHash(own);
        if (own && ownHash && !bytesEqual(ownHash, theirs.hash)) missing.push(own);
      }
      if ((theirs?.seq ?? 0) < mine.seq) {
        missing.push(...this.log.envelopesAfter(mine.authorKey, theirs?.seq ?? 0));
        state.heads.set(author, { seq: mine.seq, hash: mine.hash });
      }
    }
    // What we send in answer costs the link too: a tiny HEADS must not buy unlimited replies.
    state.tokens -= this.sendEnvelopes(state, missing);
  }

  private receiveEnvelopes(state: LinkState, envelopes: Uint8Array[]): void {
    this.counts.envelopesReceived += envelopes.length;
    // The peer holds what it sent: raise its heads first, so nothing is echoed back to it.
    const newest = new Map<string, { seq: number; envelope: Uint8Array }>();
    for (const envelope of envelopes) {
      const parsed = parseEnvelopeHeader(envelope);
      if (!parsed.ok || parsed.header.kind === 'presence') continue;
      // Heads name chains (an author's, per epoch: docs/PROTOCOL.md §4), not authors.
      const author = toHex(chainKeyOf(parsed.header));
      const seq = Math.max(newest.get(author)?.seq ?? 0, state.heads.get(author)?.seq ?? 0);
      if (parsed.header.seq > seq) newest.set(author, { seq: parsed.header.seq, envelope });
    }
    for (const [author, { seq, envelope }] of newest) state.heads.set(author, { seq, hash: envelopeHash(envelope) });
    this.receivedFrom = state;
    try {
      const { waiting } = this.log.receive(envelopes);
      if (waiting) this.requestHeads(state);
    } finally {
      this.receivedFrom = undefined;
    }
  }

  /** A far-behind peer gets the newest posts first, once per link; returns the bytes sent. */
  private sendCatchUp(state: LinkState, mine: Head[]): number {
    const catchUp = this.log.catchUp;
    if (!catchUp || state.catchUpSent) return 0;
    let lacking = 0;
    for (const head of mine) lacking += Math.max(0, head.seq - (state.heads.get(toHex(head.authorKey))?.seq ?? 0));
    if (lacking < this.limits.catchUpAfterLinks) return 0;
    state.catchUpSent = true;
    const page = catchUp.page();
    if (!page) return 0;
    const message = encodeCatchUp(this.log.groupId, page);
    state.link.send(message);
    this.counts.messagesSent += 1;
    return message.byteLength;
  }

  private receiveCatchUp(state: LinkState, page: Uint8Array): void {
    if (state.catchUpReceived) return;
    state.catchUpReceived = true;
    if (!this.log.catchUp) return;
    this.log.catchUp.receive(page);
    state.pausedUntil = this.now() + this.limits.catchUpPauseMs;
  }

  /** The peer now holds these links: remember it, so no relay sends them to it. Nothing is sent back. */
  private receiveHave(state: LinkState, heads: Head[]): void {
    for (const head of heads) {
      const author = toHex(head.authorKey);
      if ((state.heads.get(author)?.seq ?? 0) < head.seq) state.heads.set(author, { seq: head.seq, hash: head.hash });
    }
  }

  /**
   * New envelopes in the log go to each link that lacks them (never the one they came from).
   * Own ones (and those from this profile's other tabs) go at once; with a relay delay, ones
   * received from a peer are first announced with HAVE to every other link, and relayed after
   * the delay only to links that have not announced them meanwhile: in a meeting where everyone
   * hears the author directly, nobody relays.
   */
  private readonly onAppended = (envelopes: Uint8Array[]): void => {
    if (this.destroyed) return;
    const entries = envelopes.flatMap((envelope) => {
      const result = parseEnvelopeHeader(envelope);
      if (!result.ok || result.header.kind === 'presence') return [];
      const chain = chainKeyOf(result.header);
      return [{ envelope, authorKey: chain, author: toHex(chain), seq: result.header.seq, hash: null as Uint8Array | null }];
    });
    const source = this.receivedFrom;
    if (!source || this.limits.relayDelayMs <= 0) {
      this.sendLacking(entries);
      return this.updateStatus();
    }
    const have = new Map<string, Head>();
    for (const entry of entries) {
      entry.hash ??= envelopeHash(entry.envelope);
      if ((have.get(entry.author)?.seq ?? 0) < entry.seq) have.set(entry.author, { authorKey: entry.authorKey, seq: entry.seq, hash: entry.hash });
    }
    const announcement = encodeHeads(this.log.groupId, [...have.values()], 'have');
    for (const state of this.states.values()) {
      if (state === source || !state.headsReceived || !state.link.open) continue;
      state.link.send(announcement);
      this.counts.messagesSent += 1;
    }
    this.relayQueue.push(...entries);
    this.relayTimer ??= setTimeout(() => {
      this.relayTimer = undefined;
      const queued = this.relayQueue;
      this.relayQueue = [];
      if (this.destroyed) return;
      this.sendLacking(queued);
      this.updateStatus();
    }, this.limits.relayDelayMs);
  };

  private sendLacking(entries: { envelope: Uint8Array; author: string; seq: number; hash: Uint8Array | null }[]): void {
    for (const state of this.states.values()) {
      if (!state.headsReceived || !state.link.open) continue;
      const lacking: Uint8Array[] = [];
      for (const entry of entries) {
        if ((state.heads.get(entry.author)?.seq ?? 0) >= entry.seq) continue;
        entry.hash ??= envelopeHash(entry.envelope);
        state.heads.set(entry.author, { seq: entry.seq, hash: entry.hash });
        lacking.push(entry.envelope);
      }
      this.sendEnvelopes(state, lacking);
    }
  }

  /** Sends envelopes in messages of at most `batchBytes`; returns the bytes sent. */
  private sendEnvelopes(state: LinkState, envelopes: Uint8Array[]): number {
    let sent = 0;
    let batch: Uint8Array[] = [];
    let batchBytes = 0;
    const flush = () => {
      if (batch.length === 0) return;
      const message = encodeEnvelopes(this.log.groupId, batch);
      state.link.send(message);
      this.counts.messagesSent += 1;
      this.counts.envelopesSent += batch.length;
      sent += message.byteLength;
      batch = [];
      batchBytes = 0;
    };
    for (const envelope of envelopes) {
      if (batch.length > 0 && envelopesMessageBytes(batchBytes + envelope.byteLength, batch.length + 1) > this.limits.batchBytes) {
        flush();
      }
      batch.push(envelope);
      batchBytes += envelope.byteLength;
    }
    flush();
    return sent;
  }

  private sendHeads(state: LinkState): void {
    // A chain with no link yet has nothing to say (and seq 0 is not a valid head on the wire).
    const heads = this.log.heads().filter((head) => head.seq >= 1);
    state.link.send(encodeHeads(this.log.groupId, heads));
    this.counts.messagesSent += 1;
  }

  /** HEADS again after a gap, at most once per `headsIntervalMs` per link. */
  private requestHeads(state: LinkState): void {
    if (state.headsTimer !== undefined) return;
    const waitMs = state.askedAt + this.limits.headsIntervalMs - this.now();
    const ask = () => {
      state.askedAt = this.now();
      this.sendHeads(state);
    };
    if (waitMs <= 0) return ask();
    state.headsTimer = setTimeout(() => {
      state.headsTimer = undefined;
      if (state.link.open && !this.destroyed) ask();
    }, waitMs);
  }

  private drop(state: LinkState, code: EnvelopeSyncDropCode): void {
    this.counts.dropped[code] = (this.counts.dropped[code] ?? 0) + 1;
    this.emit('dropped', [code, state.link.id]);
  }

  private closeLink(state: LinkState, code: EnvelopeSyncDropCode): void {
    this.drop(state, code);
    this.counts.linksClosed += 1;
    state.link.close();
  }

  private updateStatus(): void {
    if (this.destroyed) return;
    const mine = new Map(this.log.heads().map((head) => [toHex(head.authorKey), head.seq]));
    let synced = 0;
    for (const state of this.states.values()) {
      if (!state.headsReceived) continue;
      let holds = true;
      for (const [author, head] of state.heads) {
        if ((mine.get(author) ?? 0) < head.seq && !this.log.isClosedChain?.(author)) {
          holds = false;
          break;
        }
      }
      if (holds) synced += 1;
    }
    const status = { links: this.states.size, synced };
    if (status.links === this.currentStatus.links && status.synced === this.currentStatus.synced) return;
    this.currentStatus = status;
    this.emit('status', [this.status]);
  }
}
