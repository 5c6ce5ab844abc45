import { localDay } from '../model/checkin.js';
import type { MeetingSlot } from '../model/schedule.js';

/**
 * An iCalendar file (RFC 5545) for a weekly meeting, made on the device. Calendar alerts show
 * on lock screens, so it names nothing but a title the person chose ("Hearth meeting" by
 * default), the place and the time: never the group's name, focus or the slot's note.
 */

export const DEFAULT_CALENDAR_TITLE = 'Hearth meeting';
const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11). */
const escapeText = (text: string): string => text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');

/** Content lines fold at 75 octets, continuing with a space (§3.1), never inside a character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = new TextEncoder().encode(char).length;
    if (octets + size > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

const utcStamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export interface CalendarInput {
  slot: MeetingSlot;
  /** The next start of the slot (ms since the epoch), for the first occurrence's date. */
  startsAt: number;
  now: number;
  /** A random id, so two downloads of one slot update the same event and nothing links it to the group. */
  uid: string;
  title?: string;
}

export function meetingCalendar({ slot, startsAt, now, uid, title }: CalendarInput): string {
  const date = localDay(startsAt, slot.timeZone).replace(/-/g, '');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Hearth//Meeting//EN',
    'CALSCALE:GREGORIAN',
    'BEGIN:VEVENT',
    `UID:${uid}@hearth.invalid`,
    `DTSTAMP:${utcStamp(now)}`,
    `DTSTART;TZID=${slot.timeZone}:${date}T${slot.time.replace(':', '')}00`,
    'DURATION:PT1H30M',
    `RRULE:FREQ=WEEKLY;BYDAY=${BYDAY[slot.weekday - 1]}`,
    `SUMMARY:${escapeText(title?.trim() || DEFAULT_CALENDAR_TITLE)}`,
    `LOCATION:${escapeText(slot.place)}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}
