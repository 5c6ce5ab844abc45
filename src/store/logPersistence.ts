import { ObservableV2 } from 'lib0/observable';
import * as Y from 'yjs';
import { OK, toStoreError, type StoreError, type StoreResult } from './errors.js';

/** Transaction origin of updates the store applied from disk: they are never written back. */
export const LOADED_FROM_STORE = Symbol('loaded-from-store');

/** What a LogPersistence needs from the store: one group's log, already bound to its id. */
export interface LogWriter {
  /** Appends one update; returns the number of stored entries after it. */
  append(update: Uint8Array): Promise<StoreResult<number>>;
  compact(): Promise<StoreResult<void>>;
}

export interface LogPersistenceOptions {
  /** Quiet time before queued updates are written (default 300 ms). */
  debounceMs?: number;
  /** Stored entries above which they are merged into one (default 100). */
  compactAfter?: number;
}

export type LogPersistenceEvents = {
  /** A write failed; its updates stay queued and are retried on the next change or flush(). */
  error: (error: StoreError) => void;
};

/**
 * Saves a group's ciphertext log doc as it changes. Updates are queued in memory and written
 * as one merged entry after a quiet moment, when the page is hidden, or on flush(). A failed
 * write keeps its updates queued; nothing already stored is touched by a failure.
 */
export class LogPersistence extends ObservableV2<LogPersistenceEvents> {
  private queue: Uint8Array[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<StoreResult<void>> = Promise.resolve(OK);
  private stopped = false;
  private readonly debounceMs: number;
  private readonly compactAfter: number;

  constructor(
    private readonly doc: Y.Doc,
    private readonly writer: LogWriter,
    options: LogPersistenceOptions = {},
  ) {
    super();
    this.debounceMs = options.debounceMs ?? 300;
    this.compactAfter = options.compactAfter ?? 100;
    doc.on('update', this.onUpdate);
    globalThis.addEventListener?.('pagehide', this.onHide);
    globalThis.document?.addEventListener('visibilitychange', this.onHide);
  }

  /** Updates waiting to be written. */
  get queued(): number {
    return this.queue.length;
  }

  /** Writes everything queued now; settles after the write (and any compaction) finished. */
  flush(): Promise<StoreResult<void>> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.write()).catch((error: unknown) => this.report(toStoreError(error)));
    return this.writing;
  }

  /** Stops listening and starts a last write of what is queued (await flush() first to see its result). */
  override destroy(): void {
    if (this.stopped) return;
    if (this.queue.length > 0) void this.flush();
    this.detach();
    super.destroy();
  }

  /**
   * Stops without writing more: the group is being deleted, so nothing of it may be written
   * again. Settles once a write already under way has finished, so a wipe after it is final.
   */
  async discard(): Promise<void> {
    this.queue = [];
    this.detach();
    super.destroy();
    await this.writing;
  }

  private detach(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.doc.off('update', this.onUpdate);
    globalThis.removeEventListener?.('pagehide', this.onHide);
    globalThis.document?.removeEventListener('visibilitychange', this.onHide);
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOADED_FROM_STORE) return;
    this.queue.push(update);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.debounceMs);
  };

  private readonly onHide = (): void => {
    if (globalThis.document?.visibilityState === 'visible') return;
    if (this.queue.length > 0) void this.flush();
  };

  private async write(): Promise<StoreResult<void>> {
    const batch = this.queue.slice();
    if (batch.length === 0) return OK;
    const update = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
    const appended = await this.writer.append(update);
    if (!appended.ok) return this.report(appended.error);
    // Updates that arrived during the write stay queued for the next one.
    this.queue.splice(0, batch.length);
    if (appended.value > this.compactAfter) {
      const compacted = await this.writer.compact();
      if (!compacted.ok) return this.report(compacted.error);
    }
    return OK;
  }

  private report(error: StoreError): StoreResult<void> {
    if (!this.stopped) this.emit('error', [error]);
    return { ok: false, error };
  }
}
