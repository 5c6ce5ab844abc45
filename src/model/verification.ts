import type * as Y from 'yjs';
import { verifyRecord, type BoardRecord } from './records.js';

/**
 * Which records of a board doc are known to be their author's. Shared by every Board over
 * the same doc, so a check (~70 µs) is done once per record, and so the sync layer can vouch
 * for records that arrived in an update envelope their author signed, without checking again.
 */
const caches = new WeakMap<Y.Doc, Map<string, boolean>>();

function cacheFor(doc: Y.Doc): Map<string, boolean> {
  let cache = caches.get(doc);
  if (!cache) {
    cache = new Map();
    caches.set(doc, cache);
  }
  return cache;
}

const cacheKey = (record: Pick<BoardRecord, 'id' | 'sig'>): string => `${record.id}\n${record.sig}`;

export function isRecordVerified(doc: Y.Doc, record: BoardRecord): boolean {
  const cache = cacheFor(doc);
  const key = cacheKey(record);
  let verified = cache.get(key);
  if (verified === undefined) {
    verified = verifyRecord(record);
    cache.set(key, verified);
  }
  return verified;
}

/** Records the caller has proven authentic another way (an envelope signed by their author). */
export function vouchForRecord(doc: Y.Doc, record: Pick<BoardRecord, 'id' | 'sig'>): void {
  cacheFor(doc).set(cacheKey(record), true);
}
