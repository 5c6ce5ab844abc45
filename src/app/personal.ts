import { CHECKIN_NOTE_MAX, dayStart, isDayOf, type CheckinEntry, type Mood } from '../model/index.js';
import type { StorePort } from './ports.js';
import type { RecoveryView } from './weekState.js';

/**
 * What a person keeps for themselves on this device: private check-ins and recovery days.
 * Both live in the sealed settings store (sealed under the storage key, re-sealed by the app
 * lock like everything else) and never enter a group's log. Values read back are checked,
 * since a setting may come from an older version. Formats in docs/PROTOCOL.md §5.2.
 */

export const PRIVATE_CHECKINS_KEY = 'private-checkins';
export const RECOVERY_KEY = 'recovery';
/** The private history keeps about a year; the chart shows 30 days. */
const KEEP_CHECKINS = 400;
export const MILESTONE_DAYS = [1, 7, 30, 60, 90, 180, 365] as const;
const DAY_MS = 86_400_000;

export interface PrivateCheckin {
  day: string;
  mood: Mood;
  note?: string;
  createdAt: number;
}

export interface Recovery {
  start: string;
  /** Days counted before the latest start (gentle resets keep them). */
  earlierDays: number;
  /** Milestones already shared or set aside. */
  settled: number[];
}

export interface PersonalData {
  checkins: PrivateCheckin[];
  recovery: Recovery | undefined;
}

export async function loadPersonal(store: StorePort): Promise<PersonalData> {
  const [checkins, recovery] = await Promise.all([store.getSetting(PRIVATE_CHECKINS_KEY), store.getSetting(RECOVERY_KEY)]);
  return {
    checkins: checkins.ok && Array.isArray(checkins.value) ? checkins.value.filter(isPrivateCheckin) : [],
    recovery: recovery.ok && isRecovery(recovery.value) ? recovery.value : undefined,
  };
}

export function withCheckin(list: readonly PrivateCheckin[], entry: PrivateCheckin): PrivateCheckin[] {
  return [...list, entry].slice(-KEEP_CHECKINS);
}

const isPrivateCheckin = (v: unknown): v is PrivateCheckin => {
  const c = v as Partial<PrivateCheckin> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.createdAt === 'number' &&
    isDayOf(c.day, c.createdAt) &&
    [1, 2, 3, 4, 5].includes(c.mood as number) &&
    (c.note === undefined || (typeof c.note === 'string' && c.note.length <= CHECKIN_NOTE_MAX))
  );
};

const isRecovery = (v: unknown): v is Recovery => {
  const r = v as Partial<Recovery> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.start === 'string' &&
    !Number.isNaN(dayStart(r.start)) &&
    Number.isSafeInteger(r.earlierDays) &&
    r.earlierDays! >= 0 &&
    Array.isArray(r.settled) &&
    r.settled.every((n) => Number.isSafeInteger(n))
  );
};

export const privateEntries = (list: readonly PrivateCheckin[], authorId: string): CheckinEntry[] =>
  list.map((c) => ({ authorId, day: c.day, mood: c.mood, createdAt: c.createdAt, ...(c.note ? { note: c.note } : {}) }));

/** Whole days from `from` to `to` (YYYY-MM-DD), never negative. */
export function daysBetween(from: string, to: string): number {
  return Math.max(0, Math.round((dayStart(to) - dayStart(from)) / DAY_MS));
}

/** A gentle reset: the days so far stay in the total, and counting starts again today. */
export function resetRecovery(recovery: Recovery, today: string): Recovery {
  return { ...recovery, start: today, earlierDays: recovery.earlierDays + daysBetween(recovery.start, today) };
}

/** The milestone a total of days has reached: 1, 7, 30, 60, 90, 180, 365 days, then each year. */
export function milestoneReached(total: number): number | undefined {
  if (total >= 365) return Math.floor(total / 365) * 365;
  return [...MILESTONE_DAYS].reverse().find((days) => total >= days);
}

export function recoveryView(recovery: Recovery, today: string): RecoveryView {
  const sinceStart = daysBetween(recovery.start, today);
  const total = recovery.earlierDays + sinceStart;
  const reached = milestoneReached(total);
  return {
    start: recovery.start,
    total,
    sinceStart,
    ...(reached !== undefined && !recovery.settled.includes(reached) ? { milestone: reached } : {}),
  };
}
