import type { EnvelopeStorePort, Result, StoredEnvelope } from '../../src/log/ports.js';

type Failure = { code: string; message: string };
type Operation =
  | { kind: 'put'; entry: StoredEnvelope }
  | { kind: 'supersede' | 'truncateAfter'; authorId: string; seq: number };

const QUOTA: Failure = { code: 'quota-exceeded', message: 'This device is out of space for Hearth (fake disk).' };
const CLOSED: Failure = { code: 'failed', message: "This group's storage is closed (fake)." };
const FIRST_RETRY_MS = 500;

/** The fake's "disk": every group's links, shared by the stores opened on it (one per page load). */
export class MemoryDisk {
  readonly groups = new Map<string, Map<string, StoredEnvelope>>();
  /** While true, every write fails with quota-exceeded. */
  full = false;

  /** A store of `groupId` on this disk, as HearthStore.envelopes gives. */
  open(groupId: string): MemoryEnvelopeStore {
    return new MemoryEnvelopeStore(this, groupId);
  }

  links(groupId: string): StoredEnvelope[] {
    return sortLinks([...(this.groups.get(groupId)?.values() ?? [])]);
  }

  /** Applies operations all at once, or none of them (one transaction). */
  write(groupId: string, operations: readonly Operation[]): Result<void> {
    if (this.full) return { ok: false, error: QUOTA };
    let group = this.groups.get(groupId);
    if (!group) this.groups.set(groupId, (group = new Map()));
    applyTo(group, operations);
    return { ok: true, value: undefined };
  }
}

/**
 * In-memory EnvelopeStorePort for node tests. Writes are immediate (on the next microtask for
 * queued ones); on a full disk they stay queued, are reported once per streak and retried on
 * the next operation and on a timer, as the IndexedDB store does.
 */
export class MemoryEnvelopeStore implements EnvelopeStorePort {
  private pending: Operation[] = [];
  private listeners = new Set<(error: Failure) => void>();
  private failing = false;
  private scheduled = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelay = FIRST_RETRY_MS;
  private stopped = false;

  constructor(
    private readonly disk: MemoryDisk,
    readonly groupId: string,
  ) {}

  /** Operations not yet on the disk. */
  get queued(): number {
    return this.pending.length;
  }

  async load(): Promise<Result<StoredEnvelope[]>> {
    return { ok: true, value: this.view() };
  }

  async loadAfter(authorId: string, seq: number): Promise<Result<StoredEnvelope[]>> {
    return { ok: true, value: this.view().filter((link) => link.authorId === authorId && link.seq > seq) };
  }

  queue(entries: StoredEnvelope[]): void {
    this.enqueue(entries.map((entry) => ({ kind: 'put', entry: copy(entry) })));
  }

  supersede(authorId: string, seq: number): void {
    this.enqueue([{ kind: 'supersede', authorId, seq }]);
  }

  truncateAfter(authorId: string, seq: number): void {
    this.enqueue([{ kind: 'truncateAfter', authorId, seq }]);
  }

  async commit(entries: StoredEnvelope[]): Promise<Result<void>> {
    if (this.stopped) return { ok: false, error: CLOSED };
    this.pending.push(...entries.map((entry): Operation => ({ kind: 'put', entry: copy(entry) })));
    return this.write();
  }

  async flush(): Promise<Result<void>> {
    return this.stopped ? { ok: false, error: CLOSED } : this.write();
  }

  on(_event: 'error', listener: (error: Failure) => void): void {
    this.listeners.add(listener);
  }

  off(_event: 'error', listener: (error: Failure) => void): void {
    this.listeners.delete(listener);
  }

  async close(options: { discard?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    if (!options.discard) this.write();
    this.kill();
  }

  /** Ends like a killed process: what is only queued is lost. */
  kill(): void {
    this.stopped = true;
    this.pending = [];
    clearTimeout(this.retryTimer);
  }

  private enqueue(operations: Operation[]): void {
    if (this.stopped || operations.length === 0) return;
    this.pending.push(...operations);
    if (this.failing) {
      this.write();
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.write();
    });
  }

  private write(): Result<void> {
    if (this.pending.length === 0) return { ok: true, value: undefined };
    clearTimeout(this.retryTimer);
    const written = this.disk.write(this.groupId, this.pending);
    if (written.ok) {
      this.pending = [];
      this.failing = false;
      this.retryDelay = FIRST_RETRY_MS;
      return written;
    }
    if (!this.failing) for (const listener of this.listeners) listener(written.error);
    this.failing = true;
    this.retryTimer = setTimeout(() => this.write(), this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, 30_000);
    return written;
  }

  private view(): StoredEnvelope[] {
    const group = new Map(this.disk.groups.get(this.groupId));
    applyTo(group, this.pending);
    return sortLinks([...group.values()]).map(copy);
  }
}

function applyTo(group: Map<string, StoredEnvelope>, operations: readonly Operation[]): void {
  for (const operation of operations) {
    if (operation.kind === 'put') {
      group.set(`${operation.entry.authorId}\u0000${operation.entry.seq}`, operation.entry);
      continue;
    }
    for (const [key, link] of group) {
      if (link.authorId !== operation.authorId) continue;
      if (operation.kind === 'supersede' ? link.seq < operation.seq : link.seq > operation.seq) group.delete(key);
    }
  }
}

function sortLinks(links: StoredEnvelope[]): StoredEnvelope[] {
  return links.sort((a, b) => (a.authorId < b.authorId ? -1 : a.authorId > b.authorId ? 1 : a.seq - b.seq));
}

function copy(link: StoredEnvelope): StoredEnvelope {
  return { authorId: link.authorId, seq: link.seq, envelope: link.envelope.slice() };
}
