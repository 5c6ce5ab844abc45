import { isBoardRoot, recordProblem, type RecordProblem } from './parse.js';
import { verifyRecord, type BoardRecord } from './records.js';

/**
 * The board's rules for a record arriving in its author's document: who may write it, when it
 * may claim to have been written, and that its signature is its author's. Every device applies
 * the same rules to the same chain, so every device reaches the same board.
 */

/** A record may claim a time at most this far ahead of the receiver's clock before it is held. */
export const FUTURE_TOLERANCE_MS = 10 * 60 * 1000;

export type AdmissionCode =
  | RecordProblem
  | 'unknown-root' // not one of the board's root maps
  | 'not-author' // the record names someone other than the document's author
  | 'bad-record-signature'
  | 'backdated'; // createdAt before the author's previous record

export type Admission =
  | { ok: true; createdAt: number }
  | { ok: false; code: AdmissionCode }
  /** Dated in the future: held until `until` (receiver's clock), then checked again. */
  | { ok: false; holdUntil: number };

export interface AdmissionContext {
  /** The author whose document the record is in. */
  authorId: string;
  /** The group's creator; undefined when unknown. Whose group details count is the board's choice (facilitators). */
  creatorId: string | undefined;
  /** The author's latest createdAt so far: no new record may be older. */
  notBefore: number;
  now: number;
}

export function admitRecord(root: unknown, key: string, value: unknown, context: AdmissionContext): Admission {
  if (!isBoardRoot(root)) return { ok: false, code: 'unknown-root' };
  const problem = recordProblem(root, key, value);
  if (problem) return { ok: false, code: problem };
  const record = value as BoardRecord;
  if (record.authorId !== context.authorId) return { ok: false, code: 'not-author' };
  if (record.createdAt < context.notBefore) return { ok: false, code: 'backdated' };
  if (record.createdAt > context.now + FUTURE_TOLERANCE_MS) return { ok: false, holdUntil: record.createdAt - FUTURE_TOLERANCE_MS };
  if (!verifyRecord(record)) return { ok: false, code: 'bad-record-signature' };
  return { ok: true, createdAt: record.createdAt };
}

/**
 * Who counts as a facilitator when a view or a writer is not told: the creator alone. Records only
 * facilitators write (hides, pins, meeting slots, agenda states, crisis lines) are admitted like any
 * other and counted by the views only when their author is a facilitator, because who is one
 * changes over time and a refusal on receipt would differ between devices.
 */
export const facilitatorsOf = (context: { creatorId: string | undefined; facilitators?: ReadonlySet<string> }): ReadonlySet<string> =>
  context.facilitators ?? new Set(context.creatorId === undefined ? [] : [context.creatorId]);
