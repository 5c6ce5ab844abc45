import { isIntegerIn, isOptionalText, type Fields } from './checks.js';

/**
 * Check-ins: "how am I doing today" on a 1–5 scale. Only shared check-ins are records (in the
 * author's own document); a private check-in never becomes one (src/app/personal.ts keeps it
 * sealed on the device). Format in docs/PROTOCOL.md §3.2.
 */

export const MOODS = [1, 2, 3, 4, 5] as const;
export type Mood = (typeof MOODS)[number];
export const CHECKIN_NOTE_MAX = 280;

export interface CheckinRecord {
  v: 1;
  type: 'checkin';
  id: string;
  authorId: string;
  createdAt: number;
  mood: Mood;
  /** The author's local calendar day, YYYY-MM-DD: "today" where they live. */
  day: string;
  note?: string;
  sig: string;
}

export type CheckinProblem = 'bad-mood' | 'bad-day' | 'bad-note';

const HOUR = 3_600_000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Midnight UTC of a YYYY-MM-DD day, or NaN when it is not a real calendar day. */
export function dayStart(day: string): number {
  if (!DAY_PATTERN.test(day)) return NaN;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day ? NaN : ms;
}

/**
 * A local day is a UTC window shifted by the author's offset (−12 h to +14 h), so a check-in
 * written at `createdAt` can only be for a day whose span reaches it: this bounds a claimed
 * day to the time the record was made, so nobody dates a check-in weeks ahead or behind.
 */
export function isDayOf(day: unknown, createdAt: number): boolean {
  if (typeof day !== 'string') return false;
  const start = dayStart(day);
  return !Number.isNaN(start) && createdAt >= start - 14 * HOUR && createdAt < start + 36 * HOUR;
}

export function checkCheckin(_key: string, v: Fields): CheckinProblem | undefined {
  if (!isIntegerIn(v.mood, 1, 5)) return 'bad-mood';
  if (!isDayOf(v.day, v.createdAt as number)) return 'bad-day';
  return isOptionalText(v.note, CHECKIN_NOTE_MAX) ? undefined : 'bad-note';
}

/** The device's local calendar day of `ms`, as YYYY-MM-DD. */
export function localDay(ms: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(ms);
  const get = (type: string): string => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** A check-in as the board and the chart show it, shared or private. */
export interface CheckinEntry {
  authorId: string;
  day: string;
  mood: Mood;
  note?: string;
  createdAt: number;
}

/** The latest shared check-in of each member for `day`, latest first. */
export function checkinsOfDay(records: readonly CheckinRecord[], day: string): CheckinEntry[] {
  const latest = new Map<string, CheckinRecord>();
  for (const record of records) {
    if (record.day !== day) continue;
    const held = latest.get(record.authorId);
    if (!held || record.createdAt > held.createdAt) latest.set(record.authorId, record);
  }
  return [...latest.values()].sort((a, b) => b.createdAt - a.createdAt).map(entryOf);
}

export function entryOf(record: Pick<CheckinRecord, 'authorId' | 'day' | 'mood' | 'note' | 'createdAt'>): CheckinEntry {
  return { authorId: record.authorId, day: record.day, mood: record.mood, createdAt: record.createdAt, ...(record.note ? { note: record.note } : {}) };
}

/** One point per day of the last `days` days ending with `today` (the day's latest mood, or null). */
export function moodHistory(entries: readonly CheckinEntry[], today: string, days = 30): { day: string; mood: Mood | null }[] {
  const latest = new Map<string, CheckinEntry>();
  for (const entry of entries) {
    const held = latest.get(entry.day);
    if (!held || entry.createdAt > held.createdAt) latest.set(entry.day, entry);
  }
  const end = dayStart(today);
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(end - (days - 1 - i) * 24 * HOUR).toISOString().slice(0, 10);
    return { day, mood: latest.get(day)?.mood ?? null };
  });
}
