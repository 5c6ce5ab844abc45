/**
 * The crisis lines built into Hearth: shown offline, on every group screen, and no member can
 * change them. Numbers are dialled as written (`tel:`), so they carry no spaces in `dial`.
 */
export interface BuiltInLine {
  name: string;
  where: string;
  phone: string;
  dial: string;
}

export const BUILT_IN_LINES: readonly BuiltInLine[] = [
  { name: 'Emergency services', where: 'Europe and many other countries', phone: '112', dial: '112' },
  { name: 'Emergency services', where: 'United States and Canada', phone: '911', dial: '911' },
  { name: '988 Suicide & Crisis Lifeline', where: 'United States (call or text)', phone: '988', dial: '988' },
  { name: 'Samaritans', where: 'UK and Ireland, free, day and night', phone: '116 123', dial: '116123' },
];

/** A `tel:` address for a number a person typed: digits and a leading + only. */
export function telHref(phone: string): string {
  return `tel:${phone.trim().startsWith('+') ? '+' : ''}${phone.replace(/[^0-9]/g, '')}`;
}
