import type { BoardScreen } from '../../src/app/state.js';
import type { WeekScreen } from '../../src/app/weekState.js';
import type { AgendaRecord, ScheduleRecord, TechniqueView } from '../../src/model/index.js';
import { ANA, BEN, CAL, T0, boardScreen } from './fixtures.js';

/** Small readable fixtures for the week's views; `sig` is a placeholder (views never verify). */

const SIG = 's'.repeat(86);
export const TODAY = '2025-03-04';

export const SLOT: ScheduleRecord = {
  v: 1,
  type: 'meeting-slot',
  id: `${ANA}/slot1`,
  authorId: ANA,
  createdAt: T0,
  weekday: 2,
  time: '19:30',
  timeZone: 'Europe/London',
  place: 'St Mary’s hall, side door',
  note: 'Tea from 19:15.',
  active: true,
  sig: SIG,
};

export function agenda(fields: Partial<AgendaRecord> = {}): AgendaRecord {
  return { v: 1, type: 'agenda', id: `${ANA}/a1`, authorId: ANA, createdAt: T0, meetingId: 'm'.repeat(16), step: 'sharing-round', turn: BEN, timerSeconds: 180, sig: SIG, ...fields };
}

export function technique(title: string, authorId: string, helped: number, mine = false): TechniqueView {
  return {
    record: { v: 1, type: 'technique', id: `${authorId}/${title.replace(/\W/g, '')}`, authorId, createdAt: T0, title, body: 'Breathe in for four, hold for four, out for four.', category: 'stress', sig: SIG },
    helped,
    mine,
  };
}

export function weekScreen(fields: Partial<WeekScreen> = {}): WeekScreen {
  return {
    today: TODAY,
    now: T0,
    checkins: [
      { authorId: BEN, day: TODAY, mood: 4, note: 'Slept properly for once.', createdAt: T0 - 60_000 },
      { authorId: CAL, day: TODAY, mood: 2, createdAt: T0 - 120_000 },
    ],
    mine: [
      { authorId: ANA, day: '2025-03-01', mood: 2, createdAt: T0 - 3 * 86_400_000, private: true },
      { authorId: ANA, day: '2025-03-03', mood: 4, createdAt: T0 - 86_400_000, private: false },
    ],
    slots: [SLOT],
    next: { slot: SLOT, startsAt: T0 + 26 * 3_600_000 },
    shelf: [technique('Box breathing', BEN, 2, true), technique('Call before the hard hour', ANA, 1)],
    facilitator: true,
    recovery: { start: '2024-12-04', total: 90, sinceStart: 30, milestone: 90 },
    ...fields,
  };
}

export function weekBoard(week: Partial<WeekScreen> = {}, fields: Partial<BoardScreen> = {}): BoardScreen {
  return boardScreen({ week: weekScreen(week), ...fields });
}
