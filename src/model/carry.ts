import type * as Y from 'yjs';
import { ROOT_OF_TYPE, authorIdOf, isNewerVersion, type WriteContext, type WriteResult } from './board.js';
import { isObject } from './checks.js';
import { parseRecord } from './parse.js';
import { verifyRecord, type BoardRecord } from './records.js';

/**
 * A group that keeps its history from newcomers starts a new epoch when it admits one, and
 * the newcomer holds only that epoch's secret. What a newcomer needs of the group's standing
 * records (the membership log, members' names, the group's details, its crisis lines) is
 * carried into the admitter's chain of the new epoch: copies of records signed by their own
 * authors, in the root `carried` under `<carrier id>/c/<record id>` (docs/PROTOCOL.md §13).
 * Posts, replies, reactions, hides, pins and the week's records are the board's history and
 * are never carried.
 */
export const CARRIED_ROOT = 'carried';

export const CARRIED_TYPES: ReadonlySet<string> = new Set<BoardRecord['type']>(['membership', 'member', 'group-info', 'crisis-line']);

export const carriedKey = (carrierId: string, recordId: string): string => `${carrierId}/c/${recordId}`;

/** The record a carried value is, when it is a well-formed record of a carried type under a key naming it. */
export function parseCarried(key: string, value: unknown): BoardRecord | null {
  if (!isObject(value) || typeof value.type !== 'string' || typeof value.id !== 'string' || !CARRIED_TYPES.has(value.type)) return null;
  const record = parseRecord(ROOT_OF_TYPE[value.type as BoardRecord['type']], value.id, value);
  return record && key.endsWith(`/c/${record.id}`) ? record : null;
}

/** Why a carried record is refused. */
export type CarriedProblem = 'bad-carried' | 'not-author' | 'bad-record-signature';

/** The rules for a record carried into `carrierId`'s document: its shape, its key, its own author's signature. */
export function carriedProblem(key: string, value: unknown, carrierId: string): CarriedProblem | undefined {
  const record = parseCarried(key, value);
  if (!record) return 'bad-carried';
  if (key !== carriedKey(carrierId, record.id)) return 'not-author';
  return verifyRecord(record) ? undefined : 'bad-record-signature';
}

/** The latest version of every standing record the documents hold (each document only its author's). */
export function standingRecords(documents: Iterable<readonly [authorId: string, doc: Y.Doc, ...rest: unknown[]]>): BoardRecord[] {
  const latest = new Map<string, BoardRecord>();
  for (const [authorId, doc] of documents) {
    for (const type of CARRIED_TYPES) {
      const root = ROOT_OF_TYPE[type as BoardRecord['type']];
      doc.getMap(root).forEach((value, key) => {
        const record = parseRecord(root, key, value);
        const held = record && latest.get(record.id);
        if (record && record.authorId === authorId && (!held || isNewerVersion(record, held))) latest.set(record.id, record);
      });
    }
  }
  return [...latest.values()];
}

/** Carries `records` into the writer's document: the chain of the epoch a newcomer starts in. */
export function writeCarry(context: WriteContext, records: readonly BoardRecord[]): WriteResult<{ carried: number; createdAt: number }> {
  const carrierId = authorIdOf(context.author);
  const map = context.doc.getMap(CARRIED_ROOT);
  let carried = 0;
  for (const record of records) {
    if (!CARRIED_TYPES.has(record.type)) continue;
    map.set(carriedKey(carrierId, record.id), record);
    carried++;
  }
  return { ok: true, record: { carried, createdAt: context.now } };
}
