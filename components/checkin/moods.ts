import type { Mood } from '../../src/model/checkin.js';

/** A mood in words first: the number alone says little about a day. */
export const MOOD_WORDS: Record<Mood, string> = {
  1: 'Very hard',
  2: 'Hard',
  3: 'Okay',
  4: 'Good',
  5: 'Very good',
};

export const moodLabel = (mood: Mood): string => `${MOOD_WORDS[mood]} (${mood} of 5)`;
