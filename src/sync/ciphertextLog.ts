import { ObservableV2 } from 'lib0/observable';
import * as Y from 'yjs';
import { toBase64Url, type DeviceIdentity } from '../../crypto/index.js';
import { BOARD_ROOTS, vouchForRecord } from '../model/index.js';
import { EnvelopeCounter } from '../log/counter.js';
import { openEnvelope, sealEnvelope, type EnvelopeError, type EnvelopeKind } from './envelope.js';
import type { GroupKeyring } from '../log/keyring.js';
import { snapshotKeepsBoard } from './snapshotCheck.js';
import { checkUpdateOwnership } from './updateOwnership.js';

/** Why an entry of the log was not applied. Stable codes, listed in docs/PROTOCOL.md. */
export type RejectionCode =
  | EnvelopeError
  | 'not-an-envelope'
  | 'wrong-kind'
  | 'foreign-write'
  | 'malformed-update'
  | 'unsafe-snapshot';

export interface Rejection {
  code: RejectionCode;
  /** base64url signing key the envelope claimed, when its header could be read. */
  authorId?: string;
}

export interface LogStats {
  applied: number;
  pending: number;
  rejected: number;
  rejectedByCode: Partial<Record<RejectionCode, number>>;
}

export type CiphertextLogEvents = {
  rejected: (rejection: Rejection) => void;
  applied: (kind: EnvelopeKind, authorId: string) => void;
};

/** The log doc's only root: an array of log entries, each one sealed envelope; nothing readable. */
export const LOG_ROOT = 'envelopes';

/** Log entry format 1 (docs/PROTOCOL.md §4). */
export interface LogEntry {
  e: Uint8Array;
}

export function isLogEntry(value: unknown): value is LogEntry {
  return typeof value === 'object' && value !== null && (value as { e?: unknown }).e instanceof Uint8Array;
}

/** Transaction origins, so each doc ignores the changes this class itself makes. */
export const SEALED_LOCALLY = Symbol('sealed-locally');
export const APPLIED_FROM_LOG = Symbol('applied-from-log');

type EntryState = 'applied' | 'pending' | 'discardable' | 'kept';

/** Rejections that can never succeed here; such entries are dropped at the next compaction. */
const PERMANENT: ReadonlySet<RejectionCode> = new Set<RejectionCode>([
  'bad-length',
  'bad-version',
  'bad-kind',
  'wrong-group',
  'bad-signature',
  'decrypt-failed',
  'not-an-envelope',
  'wrong-kind',
  'foreign-write',
  'malformed-update',
  'unsafe-snapshot',
]);

export interface CiphertextLogOptions {
  /** The readable board: memory only. */
  board: Y.Doc;
  /** The ciphertext log: what peers sync and the store saves. */
  log: Y.Doc;
  keyring: GroupKeyring;
  identity: Pick<DeviceIdentity, 'signPublicKey' | 'signSecretKey'>;
  counter?: EnvelopeCounter;
  /** When given, envelopes from anyone else are rejected as `not-a-member`. */
  isMember?: (authorKey: Uint8Array) => boolean;
  /**
   * Compact by itself once the log holds more than about this many entries, so opening or
   * joining a board costs one snapshot check rather than one signature check per update.
   */
  compactAfter?: number;
}

/**
 * Bridges the plaintext board and the ciphertext log. Local board updates are sealed and
 * appended; envelopes appended by others are opened, checked and applied. Nothing that fails
 * a check reaches the board: it is counted and reported through `rejected`.
 */
export class CiphertextLog extends ObservableV2<CiphertextLogEvents> {
  readonly board: Y.Doc;
  readonly log: Y.Doc;
  readonly keyring: GroupKeyring;
  readonly counter: EnvelopeCounter;
  private readonly identity: CiphertextLogOptions['identity'];
  private readonly authorId: string;
  private readonly isMember: CiphertextLogOptions['isMember'];
  private readonly entries: Y.Array<unknown>;
  private readonly states = new WeakMap<object, EntryState>();
  private pending: LogEntry[] = [];
  private readonly compactThreshold: number | undefined;
  private compactScheduled = false;
  private destroyed = false;
  private readonly stats: LogStats = { applied: 0, pending: 0, rejected: 0, rejectedByCode: {} };

  constructor(options: CiphertextLogOptions) {
    super();
    this.board = options.board;
    this.log = options.log;
    this.keyring = options.keyring;
    this.identity = options.identity;
    this.authorId = toBase64Url(options.identity.signPublicKey);
    this.counter = options.counter ?? new EnvelopeCounter();
    this.isMember = options.isMember;
    // Jittered, so members who all see the log cross the threshold do not all compact at once.
    this.compactThreshold =
      options.compactAfter === undefined ? undefined : options.compactAfter + Math.floor((Math.random() * options.compactAfter) / 2);
    this.entries = this.log.getArray(LOG_ROOT);
    this.board.on('update', this.onBoardUpdate);
    this.entries.observe(this.onLogChange);
    this.receive(this.entries.toArray());
  }

  override destroy(): void {
    this.destroyed = true;
    this.board.off('update', this.onBoardUpdate);
    this.entries.unobserve(this.onLogChange);
    super.destroy();
  }

  getStats(): LogStats {
    return { ...this.stats, pending: this.pending.length, rejectedByCode: { ...this.stats.rejectedByCode } };
  }

  /** Number of envelopes in the log now. */
  get length(): number {
    return this.entries.length;
  }

  /**
   * Seals the whole board as one snapshot and removes every envelope it covers (and every
   * one that can never be applied), in one transaction, so peers see both or neither.
   * Entries still pending (unknown epoch, missing dependencies) are kept.
   */
  compact(): void {
    const snapshot = this.seal('snapshot', Y.encodeStateAsUpdate(this.board));
    const removable = this.entries.toArray().map((entry) => {
      const state = typeof entry === 'object' && entry !== null ? this.states.get(entry) : 'discardable';
      return state === 'applied' || state === 'discardable';
    });
    this.log.transact(() => {
      // Delete runs from the end, so the indices of runs not yet deleted stay valid.
      for (let end = removable.length; end > 0; ) {
        if (!removable[end - 1]) {
          end--;
          continue;
        }
        let start = end - 1;
        while (start > 0 && removable[start - 1]) start--;
        this.entries.delete(start, end - start);
        end = start;
      }
      this.append(snapshot);
    }, SEALED_LOCALLY);
  }

  /**
   * Entries are `{ e: envelope }` (log entry format 1): Yjs keeps such values by reference and
   * merges consecutive ones into one item, where bare byte arrays are copied and stored one
   * item each, which makes every append walk the whole list.
   */
  private append(envelope: Uint8Array): void {
    const entry: LogEntry = { e: envelope };
    this.states.set(entry, 'applied');
    this.entries.push([entry]);
  }

  private seal(kind: EnvelopeKind, plaintext: Uint8Array): Uint8Array {
    const epoch = this.keyring.currentEpoch;
    return sealEnvelope({
      kind,
      groupId: this.keyring.groupId,
      epoch,
      counter: this.counter.next(),
      authorKey: this.identity.signPublicKey,
      authorSecretKey: this.identity.signSecretKey,
      key: this.keyring.keyFor(epoch, kind)!,
      plaintext,
    });
  }

  private readonly onBoardUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === APPLIED_FROM_LOG) return;
    const envelope = this.seal('update', update);
    this.log.transact(() => this.append(envelope), SEALED_LOCALLY);
    this.compactWhenLarge();
  };

  /** Compaction runs after the current Yjs transaction and its observers have finished. */
  private compactWhenLarge(): void {
    if (this.compactThreshold === undefined || this.compactScheduled || this.entries.length <= this.compactThreshold) return;
    this.compactScheduled = true;
    queueMicrotask(() => {
      this.compactScheduled = false;
      if (!this.destroyed && this.entries.length > (this.compactThreshold ?? Infinity)) this.compact();
    });
  }

  private readonly onLogChange = (event: Y.YArrayEvent<unknown>): void => {
    if (event.transaction.origin === SEALED_LOCALLY) return;
    const added: unknown[] = [];
    for (const change of event.changes.delta) if (change.insert) added.push(...(change.insert as unknown[]));
    this.receive(added);
  };

  private receive(added: unknown[]): void {
    // Yjs encodes a transaction's update only while someone listens for it; what arrives from
    // the log is never sealed again, so stop listening while applying (a third of the cost).
    this.board.off('update', this.onBoardUpdate);
    try {
      this.applyBatch(added);
    } finally {
      this.board.on('update', this.onBoardUpdate);
    }
    this.compactWhenLarge();
  }

  /** One board transaction for the whole batch: observers run once, not once per envelope. */
  private applyBatch(added: unknown[]): void {
    this.board.transact(() => {
      let progressed = false;
      for (const entry of added) if (this.process(entry)) progressed = true;
      // Entries that waited on others (a missing item, a newer epoch) may apply now.
      while (progressed && this.pending.length > 0) {
        const retry = this.pending;
        this.pending = [];
        progressed = false;
        for (const entry of retry) if (this.process(entry)) progressed = true;
      }
    }, APPLIED_FROM_LOG);
  }

  /** Returns true when the entry was applied to the board. */
  private process(entry: unknown): boolean {
    if (!isLogEntry(entry)) {
      this.reject(entry, { code: 'not-an-envelope' });
      return false;
    }
    if (this.states.get(entry) === 'applied') return false;
    const opened = openEnvelope(entry.e, {
      groupId: this.keyring.groupId,
      keyFor: (epoch, kind) => this.keyring.keyFor(epoch, kind),
      ...(this.isMember ? { isMember: this.isMember } : {}),
    });
    if (!opened.ok) {
      if (opened.error === 'unknown-epoch') return this.wait(entry);
      this.reject(entry, { code: opened.error });
      return false;
    }
    const { header, plaintext } = opened.envelope;
    const authorId = toBase64Url(header.authorKey);
    let vouched: unknown[] = [];
    if (header.kind === 'update') {
      const ownership = checkUpdateOwnership(this.board, plaintext, authorId, BOARD_ROOTS);
      if (ownership.result === 'missing') return this.wait(entry);
      if (ownership.result !== 'ok') {
        this.reject(entry, { code: ownership.result === 'foreign' ? 'foreign-write' : 'malformed-update', authorId });
        return false;
      }
      // Every record it inserts sits under the signer's own keys: the envelope signature vouches for them.
      vouched = ownership.inserted;
    } else if (header.kind === 'snapshot') {
      if (!snapshotKeepsBoard(this.board, plaintext)) {
        this.reject(entry, { code: 'unsafe-snapshot', authorId });
        return false;
      }
    } else {
      this.reject(entry, { code: 'wrong-kind', authorId });
      return false;
    }
    try {
      Y.applyUpdate(this.board, plaintext, APPLIED_FROM_LOG);
    } catch {
      this.reject(entry, { code: 'malformed-update', authorId });
      return false;
    }
    for (const value of vouched) {
      if (isSignedValue(value)) vouchForRecord(this.board, value);
    }
    this.states.set(entry, 'applied');
    this.stats.applied++;
    this.emit('applied', [header.kind, authorId]);
    return true;
  }

  private wait(entry: LogEntry): false {
    this.states.set(entry, 'pending');
    this.pending.push(entry);
    return false;
  }

  private reject(entry: unknown, rejection: Rejection): void {
    if (typeof entry === 'object' && entry !== null) {
      const state = this.states.get(entry);
      if (state !== undefined && state !== 'pending') return; // reported once per entry
      this.states.set(entry, PERMANENT.has(rejection.code) ? 'discardable' : 'kept');
    }
    this.stats.rejected++;
    this.stats.rejectedByCode[rejection.code] = (this.stats.rejectedByCode[rejection.code] ?? 0) + 1;
    this.emit('rejected', [rejection]);
  }
}

function isSignedValue(value: unknown): value is { id: string; sig: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    typeof (value as { sig?: unknown }).sig === 'string'
  );
}
