import { formatCount, milestoneText, plural, timeOf } from '../../components/text.js';
import { assertEqual } from '../assert.js';

describe('the words the board shows for counts and times', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes counts with English thousands separators', () => {
    assertEqual(formatCount(0), '0');
    assertEqual(formatCount(999), '999');
    assertEqual(formatCount(1000), '1,000');
    assertEqual(formatCount(12345), '12,345');
    assertEqual(formatCount(1234567), '1,234,567');
    assertEqual(formatCount(-1234), '-1,234');
    assertEqual(plural(1, 'reaction', 'reactions'), '1 reaction');
    assertEqual(plural(10000, 'reaction', 'reactions'), '10,000 reactions');
    assertEqual(milestoneText({ value: 1000, unit: 'days' }), '1,000 days');
  });

  it('writes a time as day, month word, year and a 24-hour clock in the device’s time zone', () => {
    const local = new Date(2026, 11, 2, 9, 5).getTime();
    assertEqual(timeOf(local)?.text, '2 Dec 2026, 09:05');
    assertEqual(timeOf(local)?.iso, new Date(local).toISOString());
    assertEqual(timeOf(new Date(2027, 0, 31, 23, 59).getTime())?.text, '31 Jan 2027, 23:59');
  });

  it('returns no time for a timestamp no date can hold', () => {
    assertEqual(timeOf(Number.NaN), undefined);
    assertEqual(timeOf(8.64e15 + 1), undefined);
  });

  it('uses no Intl formatter for a post’s counts and time, so the first board render does not load locale data', () => {
    const dateFormats = vi.spyOn(Intl, 'DateTimeFormat');
    const numberFormats = vi.spyOn(Intl, 'NumberFormat');
    const localeStrings = vi.spyOn(Number.prototype, 'toLocaleString');
    timeOf(Date.now());
    plural(12, 'reaction', 'reactions');
    milestoneText({ value: 30, unit: 'days' });
    assertEqual(dateFormats.mock.calls.length + numberFormats.mock.calls.length + localeStrings.mock.calls.length, 0);
  });
});
