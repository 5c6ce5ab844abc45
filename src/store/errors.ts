/** Every store call returns a value: storage trouble is an expected state on a phone, not a crash. */
export type StoreResult<T> = { ok: true; value: T } | { ok: false; error: StoreError };

export type StoreErrorCode =
  | 'unavailable'
  | 'blocked'
  | 'quota-exceeded'
  | 'corrupt'
  | 'version-too-new'
  | 'locked'
  | 'wrong-passphrase'
  | 'failed';

export interface StoreError {
  code: StoreErrorCode;
  /** Plain words for a person; shown as is. */
  message: string;
}

export const STORE_ERROR_MESSAGES: Record<StoreErrorCode, string> = {
  unavailable:
    "Hearth can't use this device's storage right now (private browsing can cause this). " +
    'Anything new will not be kept after you close Hearth.',
  blocked: 'Hearth is open in another tab or window that is out of date. Close the other ones, then reload this page.',
  'quota-exceeded':
    'This device is out of space for Hearth. Everything saved before is safe; ' +
    'your newest changes will be saved once some space is freed.',
  corrupt: 'Some of what Hearth saved on this device could not be read. It was left as it is, and nothing else was changed.',
  'version-too-new': 'What Hearth saved on this device comes from a newer version of Hearth. Reload to get the newest version.',
  locked: "Hearth's saved data on this device is locked. Unlock Hearth to continue.",
  'wrong-passphrase': "That passphrase didn't open Hearth. Please check it and try again.",
  failed: 'Hearth could not save or load on this device. Please try again.',
};

export function storeError(code: StoreErrorCode, message = STORE_ERROR_MESSAGES[code]): StoreError {
  return { code, message };
}

export function fail<T>(code: StoreErrorCode, message?: string): StoreResult<T> {
  return { ok: false, error: storeError(code, message) };
}

export const OK: StoreResult<void> = { ok: true, value: undefined };

/** Thrown inside the store when a record does not open; turned into `corrupt` at the API edge. */
export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';
}

/** Thrown inside the store for a known condition; carries its StoreError to the API edge. */
export class StoreFailure extends Error {
  constructor(readonly error: StoreError) {
    super(error.message);
  }
}

/** Maps what IndexedDB (and the store's own checks) throw onto the stable codes. */
export function toStoreError(cause: unknown): StoreError {
  if (cause instanceof StoreFailure) return cause.error;
  if (cause instanceof CorruptRecordError) return storeError('corrupt');
  const name = typeof cause === 'object' && cause !== null && 'name' in cause ? String(cause.name) : '';
  switch (name) {
    case 'QuotaExceededError':
      return storeError('quota-exceeded');
    case 'VersionError':
      return storeError('version-too-new');
    case 'DataCloneError':
    case 'DataError':
      return storeError('corrupt');
    case 'InvalidStateError':
    case 'UnknownError':
    case 'SecurityError':
      return storeError('unavailable');
    default:
      return storeError('failed');
  }
}

/** Plain words for records skipped because they do not open (they stay on disk). */
export function unreadableMessage(count: number, what: 'group' | 'change'): string {
  const noun = what === 'group' ? (count === 1 ? 'group' : 'groups') : count === 1 ? 'saved change' : 'saved changes';
  return `${count} ${noun} on this device could not be read and ${count === 1 ? 'was' : 'were'} skipped. Nothing was deleted.`;
}
