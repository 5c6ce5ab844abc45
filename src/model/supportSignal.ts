import { LIMITS } from './schema.js';

/**
 * "I'm struggling", and the answers to it (support signal format version 1, PROTOCOL.md
 * §Support signal). Unlike board records these are never written to a log: each device
 * publishes at most one signal, sealed, in its live-session awareness state, and it is gone
 * when the device leaves or withdraws it. The content still names its author and time, so a
 * receiver refuses a signal replayed under another member's key, or dated far ahead.
 */
export const SIGNAL_VERSION = 1;
export const SIGNAL_LIMITS = { note: 280, answer: 500, answers: 32 } as const;
/** An alert older than this is not shown: the sender's need was then, not now. */
export const ALERT_LIFETIME_MS = 60 * 60 * 1000;
/** A signal may claim a time this far ahead of the receiver's clock (clocks drift). */
export const SIGNAL_FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export interface SupportAlert {
  id: string;
  sentAt: number;
  note?: string;
}

export const ANSWER_KINDS = ['seen', 'reply', 'calling'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

/** `seen` is sent on its own when an alert arrives, so the sender knows who received it. */
export interface AlertAnswer {
  /** The alert's author and id. */
  to: string;
  alertId: string;
  kind: AnswerKind;
  sentAt: number;
  body?: string;
}

export interface SupportSignal {
  v: 1;
  type: 'support';
  authorId: string;
  alert?: SupportAlert;
  answers: AlertAnswer[];
}

export type SignalProblem =
  | 'not-an-object'
  | 'bad-version'
  | 'not-author' // the content names someone other than the key that sealed it
  | 'bad-alert'
  | 'note-too-long'
  | 'future'
  | 'expired'
  | 'bad-answer'
  | 'answer-too-long'
  | 'too-many-answers';

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isAuthorId = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v);
const isAlertId = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{16}$/.test(v);

function timeProblem(at: number, now: number): SignalProblem | undefined {
  if (at > now + SIGNAL_FUTURE_TOLERANCE_MS) return 'future';
  return at < now - ALERT_LIFETIME_MS ? 'expired' : undefined;
}

function alertProblem(alert: unknown, now: number): SignalProblem | undefined {
  if (!isObject(alert) || !isAlertId(alert.id) || !isTime(alert.sentAt)) return 'bad-alert';
  if (alert.note !== undefined && typeof alert.note !== 'string') return 'bad-alert';
  if (typeof alert.note === 'string' && alert.note.length > SIGNAL_LIMITS.note) return 'note-too-long';
  return timeProblem(alert.sentAt, now);
}

function answerProblem(answer: unknown, now: number): SignalProblem | undefined {
  if (!isObject(answer) || !isAuthorId(answer.to) || !isAlertId(answer.alertId) || !isTime(answer.sentAt)) return 'bad-answer';
  if (typeof answer.kind !== 'string' || !(ANSWER_KINDS as readonly string[]).includes(answer.kind)) return 'bad-answer';
  const { body } = answer;
  if (body !== undefined && (typeof body !== 'string' || body.trim().length === 0)) return 'bad-answer';
  if (answer.kind === 'reply' && body === undefined) return 'bad-answer';
  if (typeof body === 'string' && body.length > Math.min(SIGNAL_LIMITS.answer, LIMITS.body)) return 'answer-too-long';
  return timeProblem(answer.sentAt, now);
}

/**
 * Why `value`, opened from a session state sealed by `authorId`, is not a support signal to
 * show at `now`; undefined when it is. Every device applies the same checks.
 */
export function signalProblem(value: unknown, context: { authorId: string; now: number }): SignalProblem | undefined {
  if (!isObject(value)) return 'not-an-object';
  if (value.v !== SIGNAL_VERSION || value.type !== 'support') return 'bad-version';
  if (value.authorId !== context.authorId) return 'not-author';
  if (value.alert !== undefined) {
    const problem = alertProblem(value.alert, context.now);
    if (problem) return problem;
  }
  if (!Array.isArray(value.answers)) return 'bad-answer';
  if (value.answers.length > SIGNAL_LIMITS.answers) return 'too-many-answers';
  for (const answer of value.answers) {
    const problem = answerProblem(answer, context.now);
    if (problem) return problem;
  }
  return undefined;
}

export type SignalResult = { ok: true; signal: SupportSignal } | { ok: false; code: SignalProblem };

export function parseSignal(value: unknown, context: { authorId: string; now: number }): SignalResult {
  const code = signalProblem(value, context);
  return code ? { ok: false, code } : { ok: true, signal: value as SupportSignal };
}
