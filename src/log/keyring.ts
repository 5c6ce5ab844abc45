import {
  bytesEqual,
  deriveContentKey,
  deriveEpochCheck,
  derivePresenceKey,
  deriveRoomName,
  deriveSignalingPassword,
} from '../../crypto/index.js';

export interface EpochSecret {
  epoch: number;
  secret: Uint8Array;
}

/**
 * The secrets of every epoch this device holds for one group, and the keys derived from
 * them. Two members may start an epoch with the same number at once: each number can hold
 * several secrets, envelopes are opened with whichever fits, and one of them (the membership
 * log's current epoch) is the one this device seals under.
 */
export class GroupKeyring {
  private readonly secrets = new Map<number, Uint8Array[]>();
  private readonly derived = new Map<Uint8Array, Map<string, Uint8Array>>();
  private sealing: EpochSecret;

  constructor(
    readonly groupId: Uint8Array,
    epochs: EpochSecret[],
  ) {
    if (epochs.length === 0) throw new RangeError('a keyring needs at least one epoch');
    for (const epoch of epochs) this.addEpoch(epoch);
    this.sealing = epochs.reduce((a, b) => (b.epoch > a.epoch ? b : a));
  }

  /** The epoch this device seals new envelopes under. */
  get currentEpoch(): number {
    return this.sealing.epoch;
  }

  get currentSecret(): Uint8Array {
    return this.sealing.secret;
  }

  /** Every secret held, for saving with the group. */
  all(): EpochSecret[] {
    return [...this.secrets].flatMap(([epoch, secrets]) => secrets.map((secret) => ({ epoch, secret })));
  }

  /** The secret of `epoch` sealed under: the current one for the current epoch, else the first held. */
  secret(epoch: number): Uint8Array | undefined {
    return epoch === this.sealing.epoch ? this.sealing.secret : this.secrets.get(epoch)?.[0];
  }

  /** The secret of `epoch` whose public check is `check` (see deriveEpochCheck), if held. */
  find(epoch: number, check: string): Uint8Array | undefined {
    return this.secrets.get(epoch)?.find((secret) => deriveEpochCheck(secret, epoch) === check);
  }

  /** The secret of `epoch` whose key for `kind` passes `opens` (an envelope's decryption), if held. */
  secretThatOpens(epoch: number, kind: string, opens: (key: Uint8Array) => boolean): Uint8Array | undefined {
    return this.secrets.get(epoch)?.find((secret) => opens(this.derive(secret, epoch, kind)));
  }

  /** Adds a secret; false when it was held already. */
  addEpoch({ epoch, secret }: EpochSecret): boolean {
    const held = this.secrets.get(epoch) ?? [];
    if (held.some((known) => bytesEqual(known, secret))) return false;
    this.secrets.set(epoch, [...held, secret]);
    return true;
  }

  /** Seals from now on under `epoch` with `secret` (added if new). */
  setCurrent(current: EpochSecret): void {
    this.addEpoch(current);
    this.sealing = current;
  }

  /** The key that seals envelopes of `kind` in `epoch`; presence has its own key. */
  keyFor(epoch: number, kind: string): Uint8Array | undefined {
    const secret = this.secret(epoch);
    return secret && this.derive(secret, epoch, kind);
  }

  /** Every key that may open an envelope of `kind` in `epoch`, the sealing one first. */
  keysFor(epoch: number, kind: string): Uint8Array[] {
    const first = this.secret(epoch);
    const others = (this.secrets.get(epoch) ?? []).filter((secret) => secret !== first);
    return (first ? [first, ...others] : others).map((secret) => this.derive(secret, epoch, kind));
  }

  roomName(epoch = this.currentEpoch): string {
    return deriveRoomName(this.requireSecret(epoch), epoch);
  }

  signalingPassword(epoch = this.currentEpoch): string {
    return deriveSignalingPassword(this.requireSecret(epoch), epoch);
  }

  private derive(secret: Uint8Array, epoch: number, kind: string): Uint8Array {
    const purpose = kind === 'presence' ? 'presence' : 'content';
    let cache = this.derived.get(secret);
    if (!cache) this.derived.set(secret, (cache = new Map()));
    const cacheKey = `${purpose}:${epoch}`;
    let key = cache.get(cacheKey);
    if (!key) {
      key = purpose === 'presence' ? derivePresenceKey(secret, epoch) : deriveContentKey(secret, epoch);
      cache.set(cacheKey, key);
    }
    return key;
  }

  private requireSecret(epoch: number): Uint8Array {
    const secret = this.secret(epoch);
    if (!secret) throw new RangeError(`no secret for epoch ${epoch}`);
    return secret;
  }
}
