import * as Y from 'yjs';
import type { EnvelopeKind } from './envelope.js';
import { NO_PREVIOUS } from './envelope.js';

/** One accepted link of an author's chain, as this device holds it. */
export interface Link {
  seq: number;
  hash: Uint8Array;
  kind: EnvelopeKind;
  envelope: Uint8Array;
}

/** Envelopes held ahead of an author's head (a gap) at most; more are fetched again later. */
export const MAX_WAITING_PER_AUTHOR = 1024;

/**
 * One author's append-only chain on this device: its links (a checkpoint or seq 1 first, then
 * consecutive), the author's own document that only these links change, and what waits.
 */
export class AuthorChain {
  doc = new Y.Doc();
  /** Consecutive links; the first is seq 1 or the author's latest checkpoint. */
  links: Link[] = [];
  /** The author's latest record time: no later record may be older. */
  latestCreatedAt = 0;
  /** Signed envelopes ahead of the head, by seq, waiting for the links before them. */
  readonly waiting = new Map<number, Uint8Array>();
  /** Hex hashes of this author's envelopes refused here: each is checked and counted once. */
  readonly refused = new Set<string>();
  /** Set once two different envelopes for one seq were seen. */
  forked = false;
  /** An envelope dated too far ahead, held until its time comes. */
  held: { seq: number; until: number } | undefined;

  constructor(
    readonly authorKey: Uint8Array,
    readonly authorId: string,
  ) {}

  get head(): { seq: number; hash: Uint8Array } {
    const last = this.links[this.links.length - 1];
    return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: NO_PREVIOUS };
  }

  /** The first seq held: 1, or the seq of the checkpoint the chain starts from. */
  get base(): number {
    return this.links[0]?.seq ?? 0;
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
