import type { Weekday } from '../../src/model/schedule.js';
import { plural } from '../text.js';

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  1: 'Monday',
  2: 'Tuesday',
  3: 'Wednesday',
  4: 'Thursday',
  5: 'Friday',
  6: 'Saturday',
  7: 'Sunday',
};

/** "in 2 days, 3 hours", "in 45 minutes", or "happening now". */
export function countdownText(startsAt: number, now: number): string {
  const minutes = Math.ceil((startsAt - now) / 60_000);
  if (minutes <= 0) return 'happening now';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `in ${plural(days, 'day', 'days')}${hours ? `, ${plural(hours, 'hour', 'hours')}` : ''}`;
  if (hours > 0) return `in ${plural(hours, 'hour', 'hours')}${minutes % 60 ? `, ${plural(minutes % 60, 'minute', 'minutes')}` : ''}`;
  return `in ${plural(minutes, 'minute', 'minutes')}`;
}
