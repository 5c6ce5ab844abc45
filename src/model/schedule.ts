import { isIntegerIn, isNonEmptyText, isOptionalText, type Fields } from './checks.js';

/**
 * The group's recurring meetings. Only facilitators write them (admission.ts and the writer
 * both check); every member reads them from the facilitators' documents. A slot is withdrawn
 * by writing it again with `active: false` (records are never deleted). Format in
 * docs/PROTOCOL.md §3.3.
 */

/** ISO weekdays: 1 is Monday, 7 is Sunday. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const SCHEDULE_LIMITS = { place: 120, note: 280, timeZone: 64 } as const;
/** How long a meeting counts as "happening now" after it starts. */
export const MEETING_LENGTH_MS = 90 * 60_000;

export interface MeetingSlot {
  weekday: Weekday;
  /** Wall-clock start in `timeZone`, HH:MM (24 h). */
  time: string;
  /** IANA time zone name, e.g. Europe/London. */
  timeZone: string;
  /** Where: an address or room, or "online". */
  place: string;
  note?: string;
}

export interface ScheduleRecord extends MeetingSlot {
  v: 1;
  type: 'meeting-slot';
  id: string;
  authorId: string;
  createdAt: number;
  active: boolean;
  sig: string;
}

export type ScheduleProblem = 'bad-weekday' | 'bad-time' | 'bad-time-zone' | 'bad-place' | 'bad-note' | 'bad-active';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
// The shape of an IANA name; whether this device knows the zone is decided when it is shown,
// so every device admits the same records.
const TIME_ZONE = /^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+){1,2})$/;

export function checkScheduleSlot(_key: string, v: Fields): ScheduleProblem | undefined {
  if (!isIntegerIn(v.weekday, 1, 7)) return 'bad-weekday';
  if (typeof v.time !== 'string' || !TIME.test(v.time)) return 'bad-time';
  if (typeof v.timeZone !== 'string' || v.timeZone.length > SCHEDULE_LIMITS.timeZone || !TIME_ZONE.test(v.timeZone)) return 'bad-time-zone';
  if (!isNonEmptyText(v.place, SCHEDULE_LIMITS.place)) return 'bad-place';
  if (!isOptionalText(v.note, SCHEDULE_LIMITS.note)) return 'bad-note';
  return typeof v.active === 'boolean' ? undefined : 'bad-active';
}

/** The slots the group keeps: facilitators' active records, earliest in the week first. */
export function activeSlots(records: readonly ScheduleRecord[], facilitators: ReadonlySet<string>): ScheduleRecord[] {
  return records
    .filter((record) => record.active && facilitators.has(record.authorId))
    .sort((a, b) => a.weekday - b.weekday || (a.time < b.time ? -1 : a.time > b.time ? 1 : 0) || (a.id < b.id ? -1 : 1));
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: Weekday;
}

const formats = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Wall time of `ms` in `timeZone`; throws RangeError for a zone this device does not know. */
function wallTime(ms: number, timeZone: string): WallTime {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: (WEEKDAY_NAMES.indexOf(parts.weekday!) + 1) as Weekday,
  };
}

/** The instant a wall-clock time in `timeZone` happens (the later reading when a change of clocks repeats it). */
export function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const offsetAt = (ms: number): number => {
    const w = wallTime(ms, timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(ms / 60_000) * 60_000;
  };
  // The offset at a first guess may differ from the offset at the answer (near a change of clocks).
  return asUtc - offsetAt(asUtc - offsetAt(asUtc));
}

/** When `slot` next starts at or after `now - MEETING_LENGTH_MS` (so a meeting under way still counts); undefined for an unknown zone. */
export function nextStart(slot: MeetingSlot, now: number): number | undefined {
  try {
    const today = wallTime(now, slot.timeZone);
    const [hour, minute] = slot.time.split(':').map(Number) as [number, number];
    for (let ahead = 0; ahead <= 7; ahead++) {
      const date = new Date(Date.UTC(today.year, today.month - 1, today.day + ahead));
      const weekday = (((date.getUTCDay() + 6) % 7) + 1) as Weekday;
      if (weekday !== slot.weekday) continue;
      const start = zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hour, minute, slot.timeZone);
      if (start + MEETING_LENGTH_MS > now) return start;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** The group's next meeting (or the one under way), with its start. */
export function nextMeeting<S extends MeetingSlot>(slots: readonly S[], now: number): { slot: S; startsAt: number } | undefined {
  let best: { slot: S; startsAt: number } | undefined;
  for (const slot of slots) {
    const startsAt = nextStart(slot, now);
    if (startsAt !== undefined && (!best || startsAt < best.startsAt)) best = { slot, startsAt };
  }
  return best;
}
