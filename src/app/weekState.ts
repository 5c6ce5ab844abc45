import type { AgendaRecord, AgendaStep, CheckinEntry, MeetingSlot, Mood, ScheduleRecord, TechniqueCategory, TechniqueView } from '../model/index.js';

/**
 * What the board shows of the week between meetings, and what a person can ask for there.
 * Device-only parts (private check-ins, recovery days) come from this device's sealed
 * settings and never from the board.
 */

export interface RecoveryView {
  /** The chosen start (YYYY-MM-DD), on this device only. */
  start: string;
  /** Every day counted since the first start, across gentle resets. */
  total: number;
  /** Days since the latest start. */
  sinceStart: number;
  /** A milestone reached and not yet shared or set aside: offered as a victory to share. */
  milestone?: number;
}

export interface WeekScreen {
  /** This device's calendar day, YYYY-MM-DD. */
  today: string;
  /** ms since the epoch when the screen was made (countdowns count from it). */
  now: number;
  /** Today's latest shared check-in of each member. */
  checkins: CheckinEntry[];
  /** The viewer's own check-ins, shared and private, for their chart. */
  mine: (CheckinEntry & { private: boolean })[];
  slots: ScheduleRecord[];
  next?: { slot: ScheduleRecord; startsAt: number };
  meeting?: AgendaRecord;
  shelf: TechniqueView[];
  /** The viewer may set the schedule and run meetings. */
  facilitator: boolean;
  recovery?: RecoveryView;
}

export type WeekIntent =
  | { type: 'check-in'; mood: Mood; note?: string; share: boolean }
  | { type: 'set-recovery-start'; day: string }
  | { type: 'reset-recovery' }
  /** Posts a victory with the milestone chip; `words` are the person's own, if any. */
  | { type: 'share-milestone'; days: number; words?: string }
  | { type: 'dismiss-milestone'; days: number }
  | { type: 'set-meeting-slot'; slot: MeetingSlot; slotId?: string }
  | { type: 'remove-meeting-slot'; slotId: string }
  /** A facilitator sets the meeting's state; `newMeeting` starts a fresh one. */
  | { type: 'set-agenda'; step: AgendaStep; turn?: string; timerSeconds: number; newMeeting?: boolean }
  /** The member whose turn it is hands it to `to` (or to nobody, after the last). */
  | { type: 'pass-turn'; to?: string }
  | { type: 'add-technique'; title: string; body: string; category: TechniqueCategory }
  | { type: 'mark-helped'; techniqueId: string };

const WEEK_INTENTS: ReadonlySet<string> = new Set<WeekIntent['type']>([
  'check-in',
  'set-recovery-start',
  'reset-recovery',
  'share-milestone',
  'dismiss-milestone',
  'set-meeting-slot',
  'remove-meeting-slot',
  'set-agenda',
  'pass-turn',
  'add-technique',
  'mark-helped',
]);

export const isWeekIntent = (intent: { type: string }): intent is WeekIntent => WEEK_INTENTS.has(intent.type);
