import type { StoredEnvelope } from '../log/ports.js';
import { sealRecord, type SealedRecord } from './sealedRecord.js';

/**
 * The changes an EnvelopeStore queues, and the two places they apply: an IndexedDB object
 * store (every request issued synchronously, so a write needs no await to be complete) and
 * an in-memory view (so a read also sees what is queued but not yet written).
 */
export type EnvelopeOperation =
  | { kind: 'put'; entry: StoredEnvelope; sealed: SealedRecord }
  /** Removes the author's links below `seq`. */
  | { kind: 'supersede'; authorId: string; seq: number }
  /** Removes the author's links above `seq`. */
  | { kind: 'truncateAfter'; authorId: string; seq: number };

export const ENVELOPES_STORE = 'envelopes';

/** What the sealed record of one link is bound to: its group, author and seq (see PROTOCOL.md §10). */
export function envelopeRecordKey(groupId: string, authorId: string, seq: number): string {
  return `${groupId}:${authorId}:${seq}`;
}

export function sealEnvelope(storageKey: Uint8Array, groupId: string, entry: StoredEnvelope): EnvelopeOperation {
  checkLink(entry.authorId, entry.seq);
  return { kind: 'put', entry, sealed: sealRecord(storageKey, 'envelope', envelopeRecordKey(groupId, entry.authorId, entry.seq), entry.envelope) };
}

/**
 * A malformed key would make IndexedDB refuse the whole batch on every retry, stalling every
 * later write: it is the caller's bug, so it throws at once instead.
 */
export function checkLink(authorId: string, seq: number): void {
  if (typeof authorId !== 'string' || authorId.length === 0) throw new TypeError('an envelope needs its author id');
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError('an envelope seq is a non-negative integer');
}

/** Every link of the group, in key order: author, then seq. */
export function groupRange(groupId: string): IDBKeyRange {
  // Arrays sort after strings, so [groupId, []] is above every [groupId, authorId, seq].
  return IDBKeyRange.bound([groupId], [groupId, []]);
}

export function linksAfter(groupId: string, authorId: string, seq: number): IDBKeyRange {
  return IDBKeyRange.bound([groupId, authorId, seq], [groupId, authorId, Infinity], true, false);
}

function linksBelow(groupId: string, authorId: string, seq: number): IDBKeyRange {
  return IDBKeyRange.bound([groupId, authorId, -Infinity], [groupId, authorId, seq], false, true);
}

/** Issues one request per operation, in order, without waiting for any. */
export function issueOperations(store: IDBObjectStore, groupId: string, operations: readonly EnvelopeOperation[]): void {
  for (const operation of operations) {
    if (operation.kind === 'put') store.put(operation.sealed, [groupId, operation.entry.authorId, operation.entry.seq]);
    else if (operation.kind === 'supersede') store.delete(linksBelow(groupId, operation.authorId, operation.seq));
    else store.delete(linksAfter(groupId, operation.authorId, operation.seq));
  }
}

/**
 * Writes `operations` in one readwrite transaction; settles when it committed or failed (a
 * quota error arrives as an abort after every request succeeded). The transaction is
 * committed explicitly right after the last request: that is what lets a write started in
 * `pagehide` outlive the page, and it spares every other batch a wait for auto-commit.
 */
export function writeOperations(
  db: IDBDatabase,
  groupId: string,
  operations: readonly EnvelopeOperation[],
  durability: IDBTransactionDurability,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let tx: IDBTransaction;
    try {
      tx = db.transaction(ENVELOPES_STORE, 'readwrite', { durability });
    } catch (error) {
      reject(error);
      return;
    }
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('The write was aborted.', 'AbortError'));
    try {
      issueOperations(tx.objectStore(ENVELOPES_STORE), groupId, operations);
      tx.commit();
    } catch (error) {
      reject(error);
      try {
        tx.abort();
      } catch {
        // Already aborting: nothing of this batch lands either way.
      }
    }
  });
}

/** Applies `operations` to links read from disk: what the group's links will be once they are written. */
export function applyOperations(links: StoredEnvelope[], operations: readonly EnvelopeOperation[]): StoredEnvelope[] {
  const byAuthor = new Map<string, Map<number, StoredEnvelope>>();
  const chainOf = (authorId: string): Map<number, StoredEnvelope> => {
    let chain = byAuthor.get(authorId);
    if (!chain) byAuthor.set(authorId, (chain = new Map()));
    return chain;
  };
  for (const link of links) chainOf(link.authorId).set(link.seq, link);
  for (const operation of operations) {
    if (operation.kind === 'put') {
      chainOf(operation.entry.authorId).set(operation.entry.seq, operation.entry);
      continue;
    }
    const chain = byAuthor.get(operation.authorId);
    if (!chain) continue;
    for (const seq of chain.keys()) {
      if (operation.kind === 'supersede' ? seq < operation.seq : seq > operation.seq) chain.delete(seq);
    }
  }
  return [...byAuthor.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([, chain]) => [...chain.values()].sort((a, b) => a.seq - b.seq));
}
