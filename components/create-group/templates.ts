import type { GroupFocus } from '../../src/model/schema.js';

/**
 * Starting points for specialised groups: a focus and guidelines the creator can change.
 * Each begins with the confidentiality every Hearth group keeps.
 */
export interface GroupTemplate {
  id: string;
  label: string;
  focus: GroupFocus;
  guidelines: string;
}

const SHARED = [
  'What is said here stays here: no names, words or stories leave the group.',
  'Speak for yourself ("I"), listen without judging, and give advice only when asked.',
  'If someone is in danger, use Support now: call a crisis line or emergency services.',
];

const guidelines = (...specific: string[]): string => [...SHARED, ...specific].map((line) => `• ${line}`).join('\n');

export const GROUP_TEMPLATES: readonly GroupTemplate[] = [
  {
    id: 'alcohol',
    label: 'Alcohol',
    focus: 'substance-use',
    guidelines: guidelines('Come as you are, whether today is day one or year ten.', 'No drinking stories told to glamorise.'),
  },
  {
    id: 'other-drugs',
    label: 'Other drugs',
    focus: 'substance-use',
    guidelines: guidelines('No naming of dealers, sources or prices.', 'Talk about harm, not about how to get or use.'),
  },
  {
    id: 'gambling',
    label: 'Gambling',
    focus: 'gambling',
    guidelines: guidelines('No tips, odds or links to betting sites.', 'Money worries are welcome here; lending between members is not.'),
  },
  {
    id: 'family-and-friends',
    label: 'Family and friends',
    focus: 'family-and-friends',
    guidelines: guidelines(
      'We talk about our own experience, not about the person we worry for.',
      'We keep the people we love anonymous too.',
    ),
  },
  {
    id: 'dual-diagnosis',
    label: 'Dual diagnosis',
    focus: 'dual-diagnosis',
    guidelines: guidelines('Medication and treatment choices are personal: share what helped, never instruct.', 'Every part of recovery counts here.'),
  },
];
