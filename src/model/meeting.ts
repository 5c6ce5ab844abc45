import { isAuthorId, isIntegerIn, isOneOf, isRecordId, type Fields } from './checks.js';

/**
 * Meeting mode: the agenda's state is a series of ordinary records in their writers' documents.
 * A facilitator may set any state; any other member may only pass the turn on from a state in
 * which it was theirs (`basedOn` names that state). `meetingState` folds the records in one
 * fixed order, so every device that holds the same records shows the same meeting. Format in
 * docs/PROTOCOL.md §3.4.
 */

export const AGENDA_STEPS = ['opening', 'check-in-round', 'sharing-round', 'closing', 'ended'] as const;
export type AgendaStep = (typeof AGENDA_STEPS)[number];
/** The longest share timer a facilitator may set. */
export const MAX_SHARE_SECONDS = 30 * 60;
/** A meeting nobody advanced for this long is over. */
export const MEETING_IDLE_MS = 4 * 60 * 60_000;

export interface AgendaRecord {
  v: 1;
  type: 'agenda';
  id: string;
  authorId: string;
  createdAt: number;
  /** Random id of one meeting: a new meeting starts with a new one. */
  meetingId: string;
  step: AgendaStep;
  /** Whose turn it is to speak (an author id), if anyone's. */
  turn?: string;
  /** Share timer per turn, in seconds; 0 for none. */
  timerSeconds: number;
  /** The state this record moves on from; required for a member passing their turn. */
  basedOn?: string;
  sig: string;
}

export type AgendaProblem = 'bad-meeting-id' | 'bad-step' | 'bad-turn' | 'bad-timer' | 'bad-based-on';

export function checkAgenda(_key: string, v: Fields): AgendaProblem | undefined {
  if (typeof v.meetingId !== 'string' || !/^[A-Za-z0-9_-]{16}$/.test(v.meetingId)) return 'bad-meeting-id';
  if (!isOneOf(v.step, AGENDA_STEPS)) return 'bad-step';
  if (v.turn !== undefined && !isAuthorId(v.turn)) return 'bad-turn';
  if (!isIntegerIn(v.timerSeconds, 0, MAX_SHARE_SECONDS)) return 'bad-timer';
  return v.basedOn === undefined || isRecordId(v.basedOn) ? undefined : 'bad-based-on';
}

/** What a member other than a facilitator may write: a pass, moving on from a named state. */
export const isPass = (record: AgendaRecord): boolean => record.basedOn !== undefined;

/** The meeting under way, or undefined when none is. */
export function meetingState(records: readonly AgendaRecord[], facilitators: ReadonlySet<string>, now: number): AgendaRecord | undefined {
  const ordered = [...records].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let state: AgendaRecord | undefined;
  for (const record of ordered) {
    if (facilitators.has(record.authorId) || isTurnPassedBy(state, record)) state = record;
  }
  if (!state || state.step === 'ended' || now - state.createdAt > MEETING_IDLE_MS) return undefined;
  return state;
}

/** A member passing their own turn on, within the same meeting and step, with the same timer. */
function isTurnPassedBy(state: AgendaRecord | undefined, record: AgendaRecord): boolean {
  return (
    state !== undefined &&
    record.basedOn === state.id &&
    state.turn === record.authorId &&
    record.meetingId === state.meetingId &&
    record.step === state.step &&
    record.timerSeconds === state.timerSeconds
  );
}

/** The next speaker after `current` among `here` (in order), or undefined after the last. */
export function nextTurn(here: readonly string[], current: string | undefined): string | undefined {
  if (current === undefined) return here[0];
  const at = here.indexOf(current);
  return at < 0 ? here[0] : here[at + 1];
}
