import { unwrap, type IDBPDatabase } from 'idb';
import { ObservableV2 } from 'lib0/observable';
import type { EnvelopeStorePort, StoredEnvelope } from '../log/ports.js';
import {
  ENVELOPES_STORE,
  applyOperations,
  checkLink,
  envelopeRecordKey,
  groupRange,
  linksAfter,
  sealEnvelope,
  writeOperations,
  type EnvelopeOperation,
} from './envelopeOperations.js';
import { CorruptRecordError, OK, fail, storeError, toStoreError, unreadableMessage, type StoreError, type StoreResult } from './errors.js';
import type { HearthDB } from './schema.js';
import { openRecord } from './sealedRecord.js';

/** The first retry after a failed write; each failure in a row doubles it, up to the cap. */
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

export type EnvelopeStoreEvents = {
  /** A write failed (once per streak of failures) or stored links did not open (left on disk). */
  error: (error: StoreError) => void;
};

/** What an EnvelopeStore needs from the HearthStore that made it. */
export interface EnvelopeDisk {
  /** The open connection, or why there is none. */
  connection(): StoreResult<IDBPDatabase<HearthDB>>;
  readonly storageKey: Uint8Array;
  /** Called once the store has closed, so the next envelopes(groupId) makes a new one. */
  closed(store: EnvelopeStore): void;
}

interface Pending {
  id: number;
  operation: EnvelopeOperation;
}

interface Waiter {
  id: number;
  /** An own envelope waits on it: its batch is written with strict durability. */
  strict: boolean;
  settle(result: StoreResult<void>): void;
}

/**
 * One group's envelopes on disk (see EnvelopeStorePort). Every change joins one ordered queue
 * that is written through: a batch (one transaction) starts as soon as the previous one has
 * finished, so nothing waits for a quiet moment. An operation leaves the queue only once a
 * transaction holding it has committed; reads lay the queue over what is on disk.
 */
export class EnvelopeStore extends ObservableV2<EnvelopeStoreEvents> implements EnvelopeStorePort {
  private pending: Pending[] = [];
  private nextId = 1;
  private waiters: Waiter[] = [];
  private writing = false;
  private writeDone: Promise<void> = Promise.resolve();
  private startSoon = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelay = FIRST_RETRY_MS;
  /** In a streak of failed writes: reported once, retried on every operation and on a timer. */
  private failing = false;
  private stopped = false;

  /** Use HearthStore.envelopes(groupId). */
  constructor(
    readonly groupId: string,
    private readonly disk: EnvelopeDisk,
  ) {
    super();
    globalThis.addEventListener?.('pagehide', this.onHide);
    globalThis.document?.addEventListener('visibilitychange', this.onHide);
  }

  load(): Promise<StoreResult<StoredEnvelope[]>> {
    return this.read(groupRange(this.groupId), () => true);
  }

  loadAfter(authorId: string, seq: number): Promise<StoreResult<StoredEnvelope[]>> {
    checkLink(authorId, seq);
    return this.read(linksAfter(this.groupId, authorId, seq), (operation) =>
      operation.kind === 'put' ? operation.entry.authorId === authorId && operation.entry.seq > seq : operation.authorId === authorId,
    );
  }

  queue(entries: StoredEnvelope[]): void {
    if (this.stopped || entries.length === 0) return;
    this.enqueue(entries.map((entry) => sealEnvelope(this.disk.storageKey, this.groupId, entry)));
  }

  supersede(authorId: string, seq: number): void {
    checkLink(authorId, seq);
    if (!this.stopped) this.enqueue([{ kind: 'supersede', authorId, seq }]);
  }

  truncateAfter(authorId: string, seq: number): void {
    checkLink(authorId, seq);
    if (!this.stopped) this.enqueue([{ kind: 'truncateAfter', authorId, seq }]);
  }

  commit(entries: StoredEnvelope[]): Promise<StoreResult<void>> {
    if (this.stopped) return Promise.resolve(this.closedResult());
    const operations = entries.map((entry) => sealEnvelope(this.disk.storageKey, this.groupId, entry));
    this.pending.push(...operations.map((operation) => ({ id: this.nextId++, operation })));
    return this.waitForAll(true);
  }

  flush(): Promise<StoreResult<void>> {
    if (this.stopped) return Promise.resolve(this.closedResult());
    return this.waitForAll(false);
  }

  /** Writes what is queued (unless `discard`), then stops; later calls do nothing or fail. */
  async close(options: { discard?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    if (!options.discard) await this.flush();
    this.stopped = true;
    globalThis.removeEventListener?.('pagehide', this.onHide);
    globalThis.document?.removeEventListener('visibilitychange', this.onHide);
    clearTimeout(this.retryTimer);
    this.pending = [];
    for (const waiter of this.waiters.splice(0)) waiter.settle(this.closedResult());
    // A write already under way finishes first, so a wipe that follows is final.
    await this.writeDone;
    this.disk.closed(this);
    super.destroy();
  }

  private enqueue(operations: EnvelopeOperation[]): void {
    this.pending.push(...operations.map((operation) => ({ id: this.nextId++, operation })));
    this.writeSoon();
  }

  private waitForAll(strict: boolean): Promise<StoreResult<void>> {
    const last = this.pending.at(-1);
    if (!last) return Promise.resolve(OK);
    const written = new Promise<StoreResult<void>>((settle) => this.waiters.push({ id: last.id, strict, settle }));
    this.writeNow();
    return written;
  }

  /** Lets the calls of one synchronous burst join one batch. */
  private writeSoon(): void {
    if (this.failing) {
      this.writeNow(); // retried on the next operation
      return;
    }
    if (this.startSoon) return;
    this.startSoon = true;
    queueMicrotask(() => {
      this.startSoon = false;
      this.writeNow();
    });
  }

  private writeNow(): void {
    if (this.stopped || this.writing || this.pending.length === 0) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const batch = this.pending.slice();
    const lastId = batch.at(-1)!.id;
    const strict = this.waiters.some((waiter) => waiter.strict && waiter.id <= lastId);
    this.writing = true;
    this.writeDone = this.writeBatch(batch, strict).then((result) => this.finished(lastId, result));
  }

  private async writeBatch(batch: Pending[], strict: boolean): Promise<StoreResult<void>> {
    const db = this.disk.connection();
    if (!db.ok) return db;
    try {
      // Own envelopes are about to be sent: strict, so not even a power cut reuses their seq.
      const operations = batch.map((item) => item.operation);
      await writeOperations(unwrap(db.value), this.groupId, operations, strict ? 'strict' : 'relaxed');
      return OK;
    } catch (error) {
      return { ok: false, error: toStoreError(error) };
    }
  }

  private finished(lastId: number, result: StoreResult<void>): void {
    this.writing = false;
    if (result.ok) {
      this.confirm(lastId);
      this.failing = false;
      this.retryDelay = FIRST_RETRY_MS;
    } else {
      this.settleWaiters(lastId, result);
      if (!this.failing && !this.stopped) this.emit('error', [result.error]);
      this.failing = true;
      this.scheduleRetry();
    }
    // What arrived during this write goes at once: the delay is bounded from the first change.
    if (this.pending.some((item) => item.id > lastId)) this.writeNow();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.writeNow(), this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS);
  }

  /** Every operation up to `lastId` is on disk. */
  private confirm(lastId: number): void {
    this.pending = this.pending.filter((item) => item.id > lastId);
    this.settleWaiters(lastId, OK);
  }

  private settleWaiters(lastId: number, result: StoreResult<void>): void {
    const done = this.waiters.filter((waiter) => waiter.id <= lastId);
    this.waiters = this.waiters.filter((waiter) => waiter.id > lastId);
    for (const waiter of done) waiter.settle(result);
  }

  /**
   * The page is going away (a reload unloads it 3–7 ms after `pagehide`): everything not yet
   * known to be on disk, including a batch in flight, goes in one transaction whose requests
   * are all issued now and which is committed explicitly, with no await before it. Replaying
   * operations that may already be written is harmless: each key ends as the last operation
   * touching it says. If the page lives on, the write-through carries on as before.
   */
  private readonly onHide = (event: Event): void => {
    if (event.type === 'visibilitychange' && globalThis.document?.visibilityState !== 'hidden') return;
    if (this.stopped || this.pending.length === 0) return;
    const db = this.disk.connection();
    if (!db.ok) return;
    const lastId = this.pending.at(-1)!.id;
    const operations = this.pending.map((item) => item.operation);
    writeOperations(unwrap(db.value), this.groupId, operations, 'relaxed').then(
      () => this.confirm(lastId),
      () => undefined, // still queued: the write-through retries it and reports a failure
    );
  };

  /** Reads a key range, opens each link, then lays the queued operations that `concerns` over it. */
  private async read(range: IDBKeyRange, concerns: (operation: EnvelopeOperation) => boolean): Promise<StoreResult<StoredEnvelope[]>> {
    // Only what was queued before this call; the read transaction comes after every write
    // transaction already started, so the two together are what the queue will leave on disk.
    const queued = this.pending.map((item) => item.operation).filter(concerns);
    const db = this.disk.connection();
    if (!db.ok) return db;
    try {
      const tx = db.value.transaction(ENVELOPES_STORE, 'readonly');
      const [keys, values] = await Promise.all([tx.store.getAllKeys(range), tx.store.getAll(range), tx.done]);
      const links: StoredEnvelope[] = [];
      let unreadable = 0;
      keys.forEach(([groupId, authorId, seq], index) => {
        try {
          links.push({ authorId, seq, envelope: openRecord(this.disk.storageKey, 'envelope', envelopeRecordKey(groupId, authorId, seq), values[index]) });
        } catch (error) {
          if (!(error instanceof CorruptRecordError)) throw error;
          unreadable++;
        }
      });
      if (unreadable > 0) this.emit('error', [storeError('corrupt', unreadableMessage(unreadable, 'change'))]);
      return { ok: true, value: applyOperations(links, queued) };
    } catch (error) {
      return { ok: false, error: toStoreError(error) };
    }
  }

  private closedResult(): StoreResult<void> {
    return fail('failed', "This group's storage is closed. Reload this page to keep going.");
  }
}
