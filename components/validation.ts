import { LIMITS } from '../src/model/schema.js';
import { formatCount } from './text.js';

/**
 * Form checks in plain words. Limits count UTF-16 code units, as the model's parsers do, so
 * anything the form accepts the board accepts too. Each returns the message to show, or
 * undefined when the value is fine.
 */

export function checkLength(what: string, value: string, max: number): string | undefined {
  return value.length > max
    ? `${what} can be up to ${formatCount(max)} characters — this has ${formatCount(value.length)}.`
    : undefined;
}

export function checkDisplayName(value: string): string | undefined {
  const name = value.trim();
  if (!name) return 'Please choose a name to show your group. A first name or a nickname is fine.';
  return checkLength('A name', name, LIMITS.displayName);
}

export function checkGroupName(value: string): string | undefined {
  const name = value.trim();
  if (!name) return 'Please give the group a name, such as "Tuesday evening circle".';
  return checkLength('A group name', name, LIMITS.groupName);
}
