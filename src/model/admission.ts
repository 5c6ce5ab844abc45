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
  | 'backdated' // createdAt before the author's previous record
  | 'not-creator' // group details from someone other than the group's creator
  | 'not-facilitator'; // a crisis line from someone who is not a facilitator

export type Admission =
  | { ok: true; createdAt: number }
  | { ok: false; code: AdmissionCode }
  /** Dated in the future: held until `until` (receiver's clock), then checked again. */
  | { ok: false; holdUntil: number };

export interface AdmissionContext {
  /** The author whose document the record is in. */
  authorId: string;
  /** The group's creator, the only one who may state its name and guidelines; undefined when unknown. */
  creatorId: string | undefined;
  /** Who may add the group's crisis lines; the creator alone until roles exist. */
  facilitators?: ReadonlySet<string>;
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
  if (root === 'group' && record.authorId !== context.creatorId) return { ok: false, code: 'not-creator' };
  if (root === 'crisisLines' && !facilitatorsOf(context).has(record.authorId)) return { ok: false, code: 'not-facilitator' };
  if (record.createdAt < context.notBefore) return { ok: false, code: 'backdated' };
  if (record.createdAt > context.now + FUTURE_TOLERANCE_MS) return { ok: false, holdUntil: record.createdAt - FUTURE_TOLERANCE_MS };
  if (!verifyRecord(record)) return { ok: false, code: 'bad-record-signature' };
  return { ok: true, createdAt: record.createdAt };
}

/** The facilitators the context names, or the creator alone (until roles exist). */
export function facilitatorsOf(context: Pick<AdmissionContext, 'creatorId' | 'facilitators'>): ReadonlySet<string> {
  return context.facilitators ?? new Set(context.creatorId ? [context.creatorId] : []);
}
