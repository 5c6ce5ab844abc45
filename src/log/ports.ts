/**
 * What the log layer needs from storage, and what it offers the network. The network (src/sync)
 * and the disk (src/store) only ever see envelopes the log produced or accepted.
 */

export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** One author's newest link as this device holds it. `seq` 0 means none. */
export interface Head {
  /** The author's Ed25519 public key (32 bytes). */
  authorKey: Uint8Array;
  seq: number;
  /** BLAKE2b-256 of the envelope at `seq`. */
  hash: Uint8Array;
}

/**
 * The catch-up page exchange (docs/PROTOCOL.md §6.2): the app, which holds the board view,
 * makes a sealed page of the newest posts for a peer far behind, and checks one a peer sent.
 */
export interface CatchUpPort {
  /** A sealed page of the newest posts; undefined when there is nothing to send. */
  page(): Uint8Array | undefined;
  /** A peer's sealed page: nothing of it shows before every check passed. */
  receive(page: Uint8Array): void;
}

/** What the envelope sync needs from a group's log. */
export interface SyncableLog {
  /** Set by the app that shows the board; without it no page is sent and pages received are ignored. */
  readonly catchUp?: CatchUpPort | undefined;
  /** The group's id (16 bytes): sync messages of another group are ignored. */
  readonly groupId: Uint8Array;
  /** Every author this device holds, with their newest link. */
  heads(): Head[];
  /** Whether this device can never read the chain (sealed before its admission), so a peer's head of it is not waited for. */
  isClosedChain?(chainKeyHex: string): boolean;
  /**
   * What a peer whose newest link of this author is `seq` (0: none) lacks, oldest first. A peer
   * behind the author's latest checkpoint gets the checkpoint and what follows it.
   */
  envelopesAfter(authorKey: Uint8Array, seq: number): Uint8Array[];
  /** The envelope this device holds at `seq` of the author's chain, if any (fork evidence). */
  envelopeAt(authorKey: Uint8Array, seq: number): Uint8Array | undefined;
  /**
   * Checks and applies envelopes from a peer. Never throws: rejected ones are counted and
   * reported through the log's own events. `waiting` is true when some wait for an envelope
   * this device lacks (a gap): the sync should ask the peer again.
   */
  receive(envelopes: Uint8Array[]): { waiting: boolean };
  /**
   * Fires once for every envelope that became part of this device's log, whoever wrote it
   * (own ones after they are committed to disk), so the sync can send or relay it.
   */
  on(event: 'appended', listener: (envelopes: Uint8Array[]) => void): void;
  off(event: 'appended', listener: (envelopes: Uint8Array[]) => void): void;
}

/** One stored chain link. Sealed by the store under the device's storage key. */
export interface StoredEnvelope {
  /** base64url of the author's key. */
  authorId: string;
  seq: number;
  envelope: Uint8Array;
}

/** One group's envelopes on disk (IndexedDB store `envelopes`, key [groupId, authorId, seq]). */
export interface EnvelopeStorePort {
  /** Every stored envelope of the group, by author, then seq ascending. Writes nothing. */
  load(): Promise<Result<StoredEnvelope[]>>;
  /**
   * One author's stored links above `seq`, ascending: the writer reads its own chain under the
   * cross-tab lock, so a link another tab of this profile wrote is never written again.
   */
  loadAfter(authorId: string, seq: number): Promise<Result<StoredEnvelope[]>>;
  /**
   * Queues envelopes received from peers; they are on disk within 250 ms of the first one
   * queued (not postponed by later ones). A failed write stays queued, is retried, and is
   * reported through `error`.
   */
  queue(entries: StoredEnvelope[]): void;
  /** Queues the removal of an author's links below `seq` (superseded by a checkpoint at `seq`). */
  supersede(authorId: string, seq: number): void;
  /** Queues the removal of an author's links above `seq` (the losing branch of a fork). */
  truncateAfter(authorId: string, seq: number): void;
  /**
   * Writes `entries` and everything queued before them in one transaction, and settles once it
   * has committed: own envelopes go through here before they are shown or sent.
   */
  commit(entries: StoredEnvelope[]): Promise<Result<void>>;
  /** Writes everything queued now. */
  flush(): Promise<Result<void>>;
  on(event: 'error', listener: (error: { code: string; message: string }) => void): void;
  off(event: 'error', listener: (error: { code: string; message: string }) => void): void;
  /** Stops; `discard` drops what is queued (the group is being deleted). */
  close(options?: { discard?: boolean }): Promise<void>;
}
