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
  return `${milestone.value.toLocaleString('en')} ${milestone.value === 1 ? one : many}`;
}

export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A record's time as words and as a machine value; a time other devices sent may be absurd. */
export function timeOf(ms: number): { text: string; iso: string } | undefined {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return undefined;
  return { text: dateFormat.format(date), iso: date.toISOString() };
}
