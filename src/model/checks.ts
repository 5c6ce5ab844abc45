/** Shape checks shared by every record type's rules (parse.ts and the per-type modules). */

export type Fields = Record<string, unknown>;

export const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
export const isNonEmptyText = (v: unknown, max: number): v is string => isText(v, max) && v.trim().length > 0;
export const isOneOf = <T extends string>(v: unknown, options: readonly T[]): v is T =>
  typeof v === 'string' && (options as readonly string[]).includes(v);
export const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
export const isAuthorId = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v);
/** A record id made by `recordKey` with a random or fixed suffix: author id, slash, suffix. */
export const isRecordId = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{43}\/[A-Za-z0-9_-]{1,64}$/.test(v);
export const isIntegerIn = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
/** An optional text field: absent, or non-empty and at most `max` characters. */
export const isOptionalText = (v: unknown, max: number): boolean => v === undefined || isNonEmptyText(v, max);
