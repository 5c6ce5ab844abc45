import { ObservableV2 } from 'lib0/observable';
import { bytesEqual, toHex, type DeviceIdentity } from '../../crypto/index.js';
import { NO_PREVIOUS, envelopeHash, parseEnvelopeHeader, sealEnvelope, verifyEnvelopeSignature } from '../../src/log/envelope.js';
import type { Head, SyncableLog } from '../../src/log/ports.js';
import type { GroupKeyring } from '../../src/log/keyring.js';

/**
 * A small SyncableLog for the sync's tests: per author, an ordered chain of signed envelopes.
 * It checks signature, group and chain links, holds envelopes past a gap until the gap fills,
 * and on a fork keeps the branch with the lower hash, as the real log does.
 */
export class FakeLog extends ObservableV2<{ appended: (envelopes: Uint8Array[]) => void }> implements SyncableLog {
  readonly chains = new Map<string, Uint8Array[]>();
  private readonly pending = new Map<string, Map<number, Uint8Array>>();
  readonly rejected: string[] = [];
  forks = 0;
  receiveCalls = 0;

  constructor(readonly groupId: Uint8Array) {
    super();
  }

  heads(): Head[] {
    return [...this.chains.values()].map((chain) => {
      const last = chain.at(-1)!;
      return { authorKey: parseEnvelopeHeader(last).ok ? last.slice(22, 54) : new Uint8Array(32), seq: chain.length, hash: envelopeHash(last) };
    });
  }

  envelopesAfter(authorKey: Uint8Array, seq: number): Uint8Array[] {
    return (this.chains.get(toHex(authorKey)) ?? []).slice(seq);
  }

  envelopeAt(authorKey: Uint8Array, seq: number): Uint8Array | undefined {
    return this.chains.get(toHex(authorKey))?.[seq - 1];
  }

  /** Writes the next envelope of `identity`'s own chain. */
  write(identity: DeviceIdentity, keyring: GroupKeyring, text: string): Uint8Array {
    const author = toHex(identity.signPublicKey);
    const chain = this.chains.get(author) ?? [];
    const envelope = sealEnvelope({
      kind: 'update',
      groupId: this.groupId,
      epoch: 0,
      seq: chain.length + 1,
      prev: chain.length ? envelopeHash(chain.at(-1)!) : NO_PREVIOUS,
      authorKey: identity.signPublicKey,
      authorSecretKey: identity.signSecretKey,
      key: keyring.keyFor(0, 'update')!,
      plaintext: new TextEncoder().encode(text),
    });
    chain.push(envelope);
    this.chains.set(author, chain);
    this.emit('appended', [[envelope]]);
    return envelope;
  }

  receive(envelopes: Uint8Array[]): { waiting: boolean } {
    this.receiveCalls += 1;
    const appended: Uint8Array[] = [];
    for (const envelope of envelopes) {
      const parsed = parseEnvelopeHeader(envelope);
      if (!parsed.ok) {
        this.rejected.push(parsed.error);
        continue;
      }
      const { header } = parsed;
      if (!bytesEqual(header.groupId, this.groupId)) this.rejected.push('wrong-group');
      else if (!verifyEnvelopeSignature(envelope, header.authorKey)) this.rejected.push('bad-signature');
      else {
        const author = toHex(header.authorKey);
        const waiting = this.pending.get(author) ?? new Map<number, Uint8Array>();
        waiting.set(header.seq, envelope);
        this.pending.set(author, waiting);
        this.settle(author, appended);
      }
    }
    if (appended.length) this.emit('appended', [appended]);
    return { waiting: [...this.pending.values()].some((waiting) => waiting.size > 0) };
  }

  /** Texts of one author's chain, for assertions. */
  seqs(identity: DeviceIdentity): number {
    return this.chains.get(toHex(identity.signPublicKey))?.length ?? 0;
  }

  private settle(author: string, appended: Uint8Array[]): void {
    const waiting = this.pending.get(author)!;
    const chain = this.chains.get(author) ?? [];
    for (const [seq, envelope] of [...waiting].sort(([a], [b]) => a - b)) {
      const prev = parseEnvelopeHeader(envelope).ok ? envelope.slice(62, 94) : NO_PREVIOUS;
      if (seq <= chain.length) {
        waiting.delete(seq);
        const held = chain[seq - 1]!;
        if (bytesEqual(envelopeHash(held), envelopeHash(envelope))) continue;
        this.forks += 1;
        const linkOk = seq === 1 ? bytesEqual(prev, NO_PREVIOUS) : bytesEqual(prev, envelopeHash(chain[seq - 2]!));
        if (linkOk && compare(envelopeHash(envelope), envelopeHash(held)) < 0) {
          chain.splice(seq - 1);
          chain.push(envelope);
          appended.push(envelope);
        }
      } else if (seq === chain.length + 1) {
        waiting.delete(seq);
        const linkOk = seq === 1 ? bytesEqual(prev, NO_PREVIOUS) : bytesEqual(prev, envelopeHash(chain.at(-1)!));
        if (!linkOk) {
          this.rejected.push('bad-link');
          continue;
        }
        chain.push(envelope);
        appended.push(envelope);
      }
    }
    if (chain.length) this.chains.set(author, chain);
  }
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
