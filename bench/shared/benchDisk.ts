import type { EnvelopeStorePort, Result, StoredEnvelope } from '../../src/log/ports.js';

const OK: Result<void> = { ok: true, value: undefined };

/**
 * An in-memory EnvelopeStorePort for building and serving bench chains: appends are O(1), so
 * writing 10,000 posts through GroupLog.write costs what the log costs, not the fake's scans.
 * Not measured itself: figures that measure a member's disk use the real IndexedDB store.
 */
export class BenchDisk implements EnvelopeStorePort {
  private readonly chains = new Map<string, StoredEnvelope[]>();

  constructor(links: StoredEnvelope[] = []) {
    this.put(links);
  }

  links(): StoredEnvelope[] {
    return [...this.chains.keys()].sort().flatMap((authorId) => this.chains.get(authorId)!);
  }

  async load(): Promise<Result<StoredEnvelope[]>> {
    return { ok: true, value: this.links() };
  }

  async loadAfter(authorId: string, seq: number): Promise<Result<StoredEnvelope[]>> {
    const chain = this.chains.get(authorId) ?? [];
    // Links are appended in seq order: only the tail can lie above `seq`.
    let start = chain.length;
    while (start > 0 && chain[start - 1]!.seq > seq) start--;
    return { ok: true, value: chain.slice(start) };
  }

  queue(entries: StoredEnvelope[]): void {
    this.put(entries);
  }

  supersede(authorId: string, seq: number): void {
    const chain = this.chains.get(authorId);
    if (chain) this.chains.set(authorId, chain.filter((link) => link.seq >= seq));
  }

  truncateAfter(authorId: string, seq: number): void {
    const chain = this.chains.get(authorId);
    if (chain) this.chains.set(authorId, chain.filter((link) => link.seq <= seq));
  }

  async commit(entries: StoredEnvelope[]): Promise<Result<void>> {
    this.put(entries);
    return OK;
  }

  async flush(): Promise<Result<void>> {
    return OK;
  }

  on(): void {}

  off(): void {}

  async close(): Promise<void> {}

  private put(entries: StoredEnvelope[]): void {
    for (const entry of entries) {
      let chain = this.chains.get(entry.authorId);
      if (!chain) this.chains.set(entry.authorId, (chain = []));
      if (chain.length > 0 && chain[chain.length - 1]!.seq >= entry.seq) {
        chain.splice(chain.findIndex((link) => link.seq >= entry.seq), chain.filter((link) => link.seq === entry.seq).length, entry);
        chain.sort((a, b) => a.seq - b.seq);
      } else chain.push(entry);
    }
  }
}
