import { unlockWaitMs } from '../store/unlockGuard.js';
import type { UnlockGuardRecord } from './ports.js';
import { AUTO_LOCK_DELAYS, type AutoLockDelay, type GroupSummary, type PrivacyChoices, type PrivacyView } from './state.js';

/**
 * The app lock's rules that need no storage or page: the privacy choices as sealed settings,
 * the wait between wrong passphrases, discreet mode, and the auto-lock timer.
 */

/** Sealed settings keys of the privacy choices (wipeAfter lives in the unlock guard, readable while locked). */
export const PRIVACY_KEYS = ['autoLockAfterMs', 'discreet', 'showPresence'] as const satisfies readonly (keyof PrivacyChoices)[];

export const LOCK_NOTICES = {
  on: 'The lock is on. Hearth will ask for your passphrase each time it opens.',
  off: 'The lock is off. Anyone who can open this browser can open Hearth.',
  tooShort: 'Please choose a passphrase of at least 6 characters.',
  wait: (ms: number): string => `Please wait ${Math.ceil(ms / 1000)} seconds before trying again.`,
} as const;

/** When (ms since the epoch) the next unlock may be tried, or 0 for now (waits: src/store/unlockGuard.ts). */
export function unlockWait(guard: UnlockGuardRecord, now: number): number {
  const at = guard.lastFailureAt + unlockWaitMs(guard.failures);
  return at > now ? at : 0;
}

/** The choices from stored values; anything missing or malformed falls back to the defaults. */
export function privacyFrom(stored: Record<string, unknown>, lock: boolean, wipeAfter: number | null): PrivacyView {
  const delay = stored['autoLockAfterMs'];
  return {
    lock,
    busy: false,
    autoLockAfterMs: (AUTO_LOCK_DELAYS as readonly unknown[]).includes(delay) ? (delay as AutoLockDelay) : 60_000,
    discreet: stored['discreet'] === true,
    showPresence: stored['showPresence'] !== false,
    wipeAfter,
  };
}

/** Discreet mode: a group as shown without its focus label. */
export function withoutFocus<T extends Pick<GroupSummary, 'focus'>>(group: T): T {
  const { focus: _hidden, ...rest } = group;
  return rest as T;
}

export interface AutoLockPage {
  readonly hidden: boolean;
  onVisibilityChange(listener: () => void): () => void;
  setTimer(task: () => void, ms: number): () => void;
  now(): number;
}

/**
 * Locks when the page has been hidden for `delayMs()`: at once for 0, by a timer while hidden,
 * and on coming back when the timer was held back (a frozen or throttled background tab).
 * Returns the stop function.
 */
export function watchAutoLock(page: AutoLockPage, options: { delayMs(): number | undefined; lock(): void }): () => void {
  let hiddenAt: number | undefined;
  let cancelTimer: (() => void) | undefined;
  const stopTimer = (): void => {
    cancelTimer?.();
    cancelTimer = undefined;
  };
  const unsubscribe = page.onVisibilityChange(() => {
    const delay = options.delayMs();
    if (page.hidden) {
      hiddenAt = page.now();
      if (delay === undefined) return;
      if (delay === 0) return options.lock();
      stopTimer();
      cancelTimer = page.setTimer(() => options.lock(), delay);
      return;
    }
    stopTimer();
    if (hiddenAt !== undefined && delay !== undefined && page.now() - hiddenAt >= delay) options.lock();
    hiddenAt = undefined;
  });
  return () => {
    stopTimer();
    unsubscribe();
  };
}
