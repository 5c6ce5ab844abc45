/**
 * One writer per device and group: every tab of a profile that writes to a group's chain takes
 * this lock first, so no two tabs ever sign two envelopes for one sequence number.
 */
export interface WriterLock {
  run<T>(name: string, task: () => Promise<T>): Promise<T>;
}

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** Web Locks across the tabs of this profile where the browser has them. */
export function browserWriterLock(): WriterLock | undefined {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (!locks) return undefined;
  return { run: (name, task) => locks.request(name, task) };
}

/** A lock within this page only: for node and browsers without Web Locks (one tab is then all it can guard). */
export function pageWriterLock(): WriterLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(name: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(name) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.catch(() => undefined);
      tails.set(name, tail);
      void tail.then(() => {
        if (tails.get(name) === tail) tails.delete(name);
      });
      return result;
    },
  };
}
