import * as Y from 'yjs';
import { CARRIED_ROOT, ROOT_OF_TYPE, isNewerVersion, parseCarried, type BoardRecord } from '../model/index.js';
import type { AuthorChain } from './authorChain.js';

/** The records carried for one author, as a document of that author's (memory only, never sealed). */
export interface CarriedDoc {
  doc: Y.Doc;
  /** Their signatures in order: the document is kept while what it holds is the same. */
  digest: string;
}

/**
 * Records members carried into a new epoch for its newcomers (model/carry.ts), gathered by
 * their own author into one document each, so the board and the membership read them as that
 * author's (each was checked against its author's signature on receipt). A document is kept
 * while it holds the same records, so views do not read it again; the others are destroyed.
 */
export function carriedDocs(chains: Iterable<AuthorChain>, previous: ReadonlyMap<string, CarriedDoc>): Map<string, CarriedDoc> {
  const latest = new Map<string, BoardRecord>();
  for (const chain of chains) {
    if (!chain.doc.share.has(CARRIED_ROOT)) continue;
    chain.doc.getMap(CARRIED_ROOT).forEach((value, key) => {
      const record = parseCarried(key, value);
      const held = record && latest.get(record.id);
      if (record && (!held || isNewerVersion(record, held))) latest.set(record.id, record);
    });
  }
  const byAuthor = new Map<string, BoardRecord[]>();
  for (const record of latest.values()) byAuthor.set(record.authorId, [...(byAuthor.get(record.authorId) ?? []), record]);
  const next = new Map<string, CarriedDoc>();
  for (const [authorId, records] of byAuthor) {
    const digest = records.map((record) => record.sig).sort().join();
    const kept = previous.get(authorId);
    if (kept?.digest === digest) {
      next.set(authorId, kept);
      continue;
    }
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const record of records) doc.getMap(ROOT_OF_TYPE[record.type]).set(record.id, record);
    });
    next.set(authorId, { doc, digest });
  }
  for (const [authorId, { doc }] of previous) if (next.get(authorId)?.doc !== doc) doc.destroy();
  return next;
}
