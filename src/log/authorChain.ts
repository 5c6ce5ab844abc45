import * as Y from 'yjs';
import { bytesEqual, toBase64Url } from '../../crypto/index.js';
import { NO_PREVIOUS, type EnvelopeHeader, type EnvelopeKind } from './envelope.js';

/** One accepted link of an author's chain, as this device holds it. */
export interface Link {
  seq: number;
  hash: Uint8Array;
  kind: EnvelopeKind;
  envelope: Uint8Array;
}

/** Envelopes held ahead of an author's head (a gap) at most; more are fetched again later. */
export const MAX_WAITING_PER_AUTHOR = 1024;
/** Bytes of waiting envelopes a device holds for all authors of a group together. */
export const MAX_WAITING_BYTES = 64 * 1024 * 1024;

/** The bytes every chain of one group holds waiting, so one author cannot fill memory. */
export interface WaitingBudget {
  bytes: number;
}

/**
 * Signed envelopes ahead of an author's head, by seq, waiting for the links before them. What
 * does not fit is not kept: the sync asks the peer again once the gap closes.
 */
export class WaitingRoom {
  private readonly bySeq = new Map<number, Uint8Array>();

  constructor(private readonly budget: WaitingBudget) {}

  get size(): number {
    return this.bySeq.size;
  }

  get(seq: number): Uint8Array | undefined {
    return this.bySeq.get(seq);
  }

  /** Keeps `envelope` unless one is already kept for `seq` or there is no room; true when kept. */
  hold(seq: number, envelope: Uint8Array): boolean {
    if (this.bySeq.has(seq)) return this.bySeq.get(seq) === envelope;
    if (this.bySeq.size >= MAX_WAITING_PER_AUTHOR || this.budget.bytes + envelope.length > MAX_WAITING_BYTES) return false;
    this.bySeq.set(seq, envelope);
    this.budget.bytes += envelope.length;
    return true;
  }

  take(seq: number): Uint8Array | undefined {
    const envelope = this.bySeq.get(seq);
    if (envelope) {
      this.bySeq.delete(seq);
      this.budget.bytes -= envelope.length;
    }
    return envelope;
  }

  /** Lets go of everything at or below `seq`: the chain has moved past it. */
  dropThrough(seq: number): void {
    for (const held of [...this.bySeq.keys()]) if (held <= seq) this.take(held);
  }

  clear(): void {
    this.dropThrough(Infinity);
  }
}

/**
 * One append-only chain of an author on this device: its links (a checkpoint or seq 1 first,
 * then consecutive), the document that only these links change, and what waits. A chain is
 * the author's one chain of version 2 links (`epoch` undefined), or the chain of version 3
 * links of one author and epoch, whose document holds what the author wrote in that epoch.
 */
export class AuthorChain {
  doc = new Y.Doc();
  /** Consecutive links; the first is seq 1 or the author's latest checkpoint. */
  links: Link[] = [];
  /** The author's latest record time: no later record may be older. */
  latestCreatedAt = 0;
  /** Signed envelopes ahead of the head, waiting for the links before them. */
  readonly waiting: WaitingRoom;
  /** Hex hashes of this author's envelopes refused here: each is checked and counted once. */
  readonly refused = new Set<string>();
  /** Set once two different envelopes for one seq were seen. */
  forked = false;
  /** An envelope dated too far ahead, held until its time comes. */
  held: { seq: number; until: number } | undefined;

  /** base64url of `key`: the chain's name on disk. */
  readonly id: string;

  constructor(
    readonly authorKey: Uint8Array,
    readonly authorId: string,
    /** The chain's name in heads (see chainKeyOf): the author's key for a version 2 chain. */
    readonly key: Uint8Array,
    /** The epoch every link is sealed under, for a version 3 chain. */
    readonly epoch: number | undefined,
    budget: WaitingBudget,
  ) {
    this.id = toBase64Url(key);
    this.waiting = new WaitingRoom(budget);
  }

  get head(): { seq: number; hash: Uint8Array } {
    const last = this.links[this.links.length - 1];
    return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: NO_PREVIOUS };
  }

  /** The first seq held: 1, or the seq of the checkpoint the chain starts from. */
  get base(): number {
    return this.links[0]?.seq ?? 0;
  }

  /** Whether `header` is the next link: seq 1 or a checkpoint on an empty chain, else head + 1 naming the head. */
  follows(header: Pick<EnvelopeHeader, 'seq' | 'kind' | 'prev'>): boolean {
    if (this.links.length === 0) return header.seq === 1 || header.kind === 'checkpoint';
    const head = this.head;
    return header.seq === head.seq + 1 && bytesEqual(header.prev, head.hash);
  }

  linkAt(seq: number): Link | undefined {
    const first = this.links[0];
    return first ? this.links[seq - first.seq] : undefined;
  }

  /** What a peer holding up to `seq` lacks: from the checkpoint when it is behind it. */
  after(seq: number): Uint8Array[] {
    const first = this.links[0];
    if (!first) return [];
    const start = seq < first.seq ? 0 : seq - first.seq + 1;
    return this.links.slice(start).map((link) => link.envelope);
  }

  /** Replaces the document (a rebuild or a fresh checkpoint); the old one is destroyed. */
  replaceDoc(doc: Y.Doc): void {
    if (doc === this.doc) return;
    this.doc.destroy();
    this.doc = doc;
  }
}
