import type { GroupFocus, Milestone, MilestoneUnit, PostKind, Reaction } from '../src/model/schema.js';

/** Words the UI shows for model values, in one place so every view says the same thing. */

export const KIND_LABELS: Record<PostKind, { one: string; many: string; icon: string }> = {
  story: { one: 'Story', many: 'Stories', icon: '❝' },
  encouragement: { one: 'Encouragement', many: 'Encouragements', icon: '♥' },
  victory: { one: 'Victory', many: 'Victories', icon: '★' },
};

export const REACTION_LABELS: Record<Reaction, string> = {
  'me-too': 'Me too',
  'proud-of-you': 'Proud of you',
  'sending-strength': 'Sending strength',
};

export const FOCUS_LABELS: Record<GroupFocus, string> = {
  'substance-use': 'Substance use',
  'mental-health': 'Mental health',
  'dual-diagnosis': 'Dual diagnosis',
  gambling: 'Gambling',
  'family-and-friends': 'Family and friends',
  other: 'Other',
};

const UNIT_WORDS: Record<MilestoneUnit, [string, string]> = {
  days: ['day', 'days'],
  weeks: ['week', 'weeks'],
  months: ['month', 'months'],
  years: ['year', 'years'],
};

export function unitLabel(unit: MilestoneUnit): string {
  return UNIT_WORDS[unit][1].replace(/^./, (c) => c.toUpperCase());
}

export function milestoneText(milestone: Milestone): string {
  const [one, many] = UNIT_WORDS[milestone.unit];
  return `${formatCount(milestone.value)} ${milestone.value === 1 ? one : many}`;
}

export function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/*
 * Counts and times on the board are written without Intl: a page's first Intl call loads ICU's
 * locale data, 170–270 ms of main thread at 4× CPU throttle, ahead of the first posts on screen.
 */

/** A whole number with thousands separators, as English writes it ("12,345"). */
export function formatCount(count: number): string {
  return Number.isSafeInteger(count) ? String(count).replace(/\B(?=(\d{3})+$)/g, ',') : count.toLocaleString('en');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const twoDigits = (value: number): string => String(value).padStart(2, '0');

/**
 * A record's time as words ("2 Dec 2026, 13:20", the device's time zone, a 24-hour clock: the
 * month as a word reads the same whichever order a reader's country puts day and month in) and
 * as a machine value; a time other devices sent may be absurd.
 */
export function timeOf(ms: number): { text: string; iso: string } | undefined {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return undefined;
  const day = `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`;
  return { text: `${day}, ${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}`, iso: date.toISOString() };
}
