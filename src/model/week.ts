import { authorIdOf, newSuffix, ownRecord, writeRecord, type RecordsOf, type WriteContext, type WriteResult } from './board.js';
import { checkinsOfDay, entryOf, type CheckinEntry, type CheckinRecord, type Mood } from './checkin.js';
import { meetingState, type AgendaRecord, type AgendaStep } from './meeting.js';
import { recordKey } from './records.js';
import { activeSlots, type MeetingSlot, type ScheduleRecord } from './schedule.js';
import { helpedSuffix, shelfView, type HelpedRecord, type TechniqueCategory, type TechniqueRecord, type TechniqueView } from './technique.js';

/**
 * Writers and the view for the week between meetings: shared check-ins, the schedule, the
 * meeting's agenda and the coping shelf. Like board.ts, every writer refuses what the parser
 * would drop; facilitator-only records are refused here as admission.ts refuses them.
 */

export function shareCheckin(context: WriteContext, input: { mood: Mood; day: string; note?: string }): WriteResult<CheckinRecord> {
  return writeRecord<CheckinRecord>('checkins', context, 'checkin', newSuffix(), {
    mood: input.mood,
    day: input.day,
    ...(input.note ? { note: input.note } : {}),
  });
}

/** Sets (or, with `active: false`, withdraws) a meeting slot; `slotId` keeps its key when editing. */
export function setMeetingSlot(
  context: WriteContext,
  facilitators: ReadonlySet<string>,
  slot: MeetingSlot & { slotId?: string; active?: boolean },
): WriteResult<ScheduleRecord> {
  if (!facilitators.has(authorIdOf(context.author))) return { ok: false, problem: 'not-facilitator' };
  const { slotId, active = true, note, ...fields } = slot;
  return writeRecord<ScheduleRecord>('schedule', context, 'meeting-slot', slotId ?? newSuffix(), {
    ...fields,
    ...(note ? { note } : {}),
    active,
  });
}

export interface AgendaChange {
  meetingId: string;
  step: AgendaStep;
  turn?: string;
  timerSeconds: number;
  /** Set when a member passes their turn on: the state they move on from. */
  basedOn?: string;
}

/** A new agenda state; a non-facilitator may only pass their own turn on. */
export function writeAgenda(context: WriteContext, facilitators: ReadonlySet<string>, change: AgendaChange): WriteResult<AgendaRecord> {
  if (change.basedOn === undefined && !facilitators.has(authorIdOf(context.author))) return { ok: false, problem: 'not-facilitator' };
  return writeRecord<AgendaRecord>('agenda', context, 'agenda', newSuffix(), {
    meetingId: change.meetingId,
    step: change.step,
    ...(change.turn ? { turn: change.turn } : {}),
    timerSeconds: change.timerSeconds,
    ...(change.basedOn ? { basedOn: change.basedOn } : {}),
  });
}

export function addTechnique(context: WriteContext, input: { title: string; body: string; category: TechniqueCategory }): WriteResult<TechniqueRecord> {
  return writeRecord<TechniqueRecord>('techniques', context, 'technique', newSuffix(), input);
}

/** "This helped me too", or taking it back: a newer record under the same key. */
export function toggleHelped(context: WriteContext, techniqueId: string): WriteResult<HelpedRecord> {
  const current = ownRecord(context, 'helped', recordKey(authorIdOf(context.author), helpedSuffix(techniqueId))) as HelpedRecord | undefined;
  return writeRecord<HelpedRecord>('helped', context, 'helped', helpedSuffix(techniqueId), { techniqueId, active: !current?.active });
}

export interface WeekView {
  /** Today's latest shared check-in of each member. */
  today: CheckinEntry[];
  /** The viewer's own shared check-ins (for their chart, with their private ones). */
  mine: CheckinEntry[];
  slots: ScheduleRecord[];
  meeting: AgendaRecord | undefined;
  shelf: TechniqueView[];
}

/** The week as `records` holds it; reads only the week's roots, parsing nothing. */
export function weekView(
  records: RecordsOf,
  options: { viewerId: string | undefined; facilitators: ReadonlySet<string>; now: number; today: string },
): WeekView {
  const checkins = records('checkins') as CheckinRecord[];
  return {
    today: checkinsOfDay(checkins, options.today),
    mine: checkins.filter((record) => record.authorId === options.viewerId).map(entryOf),
    slots: activeSlots(records('schedule') as ScheduleRecord[], options.facilitators),
    meeting: meetingState(records('agenda') as AgendaRecord[], options.facilitators, options.now),
    shelf: shelfView(records('techniques') as TechniqueRecord[], records('helped') as HelpedRecord[], options.viewerId),
  };
}
