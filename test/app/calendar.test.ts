import ICAL from 'ical.js';
import { DEFAULT_CALENDAR_TITLE, meetingCalendar } from '../../src/app/calendar.js';
import { nextStart, type MeetingSlot } from '../../src/model/index.js';
import { assert, assertEqual } from '../assert.js';

/** The .ics file a member downloads, read back by ical.js as a calendar app would. */

const NOW = Date.UTC(2026, 10, 30, 12);
const slot: MeetingSlot = { weekday: 2, time: '19:30', timeZone: 'Europe/London', place: 'St Mary’s hall; room 2, side door', note: 'Alcohol group' };

function parse(text: string): ICAL.Event {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
}

describe('the meeting calendar file', () => {
  it('parses as a weekly event titled "Hearth meeting" at the slot’s wall time and zone', () => {
    const text = meetingCalendar({ slot, startsAt: nextStart(slot, NOW)!, now: NOW, uid: 'u1' });
    const event = parse(text);
    assertEqual(event.summary, DEFAULT_CALENDAR_TITLE);
    assertEqual(event.location, slot.place);
    assertEqual(event.startDate.toString(), '2026-12-01T19:30:00');
    assertEqual(event.component.getFirstProperty('dtstart')!.getParameter('tzid'), 'Europe/London');
    const rule = event.component.getFirstPropertyValue('rrule') as ICAL.Recur;
    assertEqual(rule.freq, 'WEEKLY');
    assertEqual(String(rule.parts.BYDAY), 'TU');
    assertEqual(event.duration.toSeconds(), 90 * 60);
  });

  it('carries a title the person chose, and never the slot’s note', () => {
    const text = meetingCalendar({ slot, startsAt: nextStart(slot, NOW)!, now: NOW, uid: 'u1', title: 'Book club' });
    assertEqual(parse(text).summary, 'Book club');
    assert(!text.includes('Alcohol'), 'the note is not in the file');
  });

  it('folds long lines at 75 octets with CRLF and still reads them back whole', () => {
    const long = { ...slot, place: 'Ünïcode hall '.repeat(12).trim() };
    const text = meetingCalendar({ slot: long, startsAt: nextStart(long, NOW)!, now: NOW, uid: 'u1' });
    for (const line of text.split('\r\n')) assert(new TextEncoder().encode(line).length <= 75, `line of ${line.length}`);
    assertEqual(parse(text).location, long.place);
  });
});
