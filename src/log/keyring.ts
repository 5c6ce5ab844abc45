import {
  deriveContentKey,
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
 * them. A new epoch (after a member leaves) is added here; older ones stay readable.
 */
export class GroupKeyring {
  private readonly secrets = new Map<number, Uint8Array>();
  private readonly derived = new Map<string, Uint8Array>();

  constructor(
    readonly groupId: Uint8Array,
    epochs: EpochSecret[],
  ) {
    if (epochs.length === 0) throw new RangeError('a keyring needs at least one epoch');
    for (const { epoch, secret } of epochs) this.secrets.set(epoch, secret);
  }

  get currentEpoch(): number {
    return Math.max(...this.secrets.keys());
  }

  secret(epoch: number): Uint8Array | undefined {
    return this.secrets.get(epoch);
  }

  addEpoch({ epoch, secret }: EpochSecret): void {
    this.secrets.set(epoch, secret);
  }

  /** The key that seals envelopes of `kind` in `epoch`; presence has its own key. */
  keyFor(epoch: number, kind: string): Uint8Array | undefined {
    const secret = this.secrets.get(epoch);
    if (!secret) return undefined;
    const purpose = kind === 'presence' ? 'presence' : 'content';
    const cacheKey = `${purpose}:${epoch}`;
    let key = this.derived.get(cacheKey);
    if (!key) {
      key = purpose === 'presence' ? derivePresenceKey(secret, epoch) : deriveContentKey(secret, epoch);
      this.derived.set(cacheKey, key);
    }
    return key;
  }

  roomName(epoch = this.currentEpoch): string {
    return deriveRoomName(this.requireSecret(epoch), epoch);
  }

  signalingPassword(epoch = this.currentEpoch): string {
    return deriveSignalingPassword(this.requireSecret(epoch), epoch);
  }

  private requireSecret(epoch: number): Uint8Array {
    const secret = this.secrets.get(epoch);
    if (!secret) throw new RangeError(`no secret for epoch ${epoch}`);
    return secret;
  }
}
