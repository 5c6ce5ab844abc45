import { bytesEqual, deriveEpochCheck, fromBase64Url, openSealed, type DeviceIdentity } from '../../crypto/index.js';
import { deriveMembership, type MembershipSource, type MembershipState } from '../model/index.js';
import type { GroupKeyring } from './keyring.js';

/**
 * Keeps a group's keyring in step with its membership log: every epoch secret sealed to this
 * device is opened, checked against the epoch's public check, and added; the epoch the log
 * names current becomes the one this device seals under, once this device holds it.
 */
export class EpochKeeper {
  state: MembershipState;
  /** Secrets by epoch reference (an epoch entry's id, or "genesis"), for sealing them to others. */
  private readonly byRef = new Map<string, Uint8Array>();
  /** Sealed keys that did not open to a secret matching their epoch's check: never tried again. */
  private readonly failed = new Set<string>();

  constructor(
    private readonly keyring: GroupKeyring,
    private readonly ownId: string,
    private readonly box: Partial<Pick<DeviceIdentity, 'boxPublicKey' | 'boxSecretKey'>>,
    private readonly source: MembershipSource,
  ) {
    this.state = deriveMembership(source);
  }

  /** Derives the membership again; says whether a new secret was gained and whether the sealing epoch changed. */
  refresh(): { gained: boolean; moved: boolean } {
    this.state = deriveMembership(this.source);
    let gained = false;
    const { boxPublicKey, boxSecretKey } = this.box;
    if (boxPublicKey && boxSecretKey) {
      for (const { epoch, sealed } of this.state.sealedFor(this.ownId)) {
        const tried = `${epoch.ref} ${sealed}`;
        if (this.byRef.has(epoch.ref) || this.failed.has(tried)) continue;
        const bytes = fromBase64Url(sealed);
        const secret = bytes.ok ? openSealed(bytes.bytes, boxPublicKey, boxSecretKey) : null;
        // A secret that does not match its epoch's check is someone's mistake or malice: not kept.
        if (!secret || deriveEpochCheck(secret, epoch.epoch) !== epoch.check) {
          this.failed.add(tried);
          continue;
        }
        this.byRef.set(epoch.ref, secret);
        if (this.keyring.addEpoch({ epoch: epoch.epoch, secret })) gained = true;
      }
    }
    for (const epoch of this.state.epochs.values()) {
      const held = this.byRef.get(epoch.ref) ?? this.keyring.find(epoch.epoch, epoch.check);
      if (held) this.byRef.set(epoch.ref, held);
    }
    const current = this.state.current;
    const secret = current && this.byRef.get(current.ref);
    const moved = secret !== undefined && (this.keyring.currentEpoch !== current!.epoch || !bytesEqual(this.keyring.currentSecret, secret));
    if (moved) this.keyring.setCurrent({ epoch: current!.epoch, secret: secret! });
    return { gained, moved };
  }

  /** Every epoch secret held, by reference. */
  held(): [ref: string, secret: Uint8Array][] {
    return [...this.byRef];
  }

  secretOf(ref: string): Uint8Array | undefined {
    return this.byRef.get(ref);
  }

  /** Whether some entry this device holds starts an epoch numbered `epoch` (held or not). */
  announced(epoch: number): boolean {
    return this.state.announced.some((known) => known.epoch === epoch);
  }

  /**
   * Whether `epoch` is older than every epoch sealed to this device while this device holds no
   * secret of it: a group that keeps its history from newcomers never gives them one, so what is
   * sealed under it is refused rather than kept waiting for a key that never comes.
   */
  beforeAdmission(epoch: number): boolean {
    const mine = this.state.sealedFor(this.ownId).map((sealed) => sealed.epoch.epoch);
    return mine.length > 0 && epoch < Math.min(...mine) && this.keyring.keysFor(epoch, 'update').length === 0;
  }

  /** Whether an entry names an epoch numbered `epoch` whose secret this device lacks (it may still come). */
  awaiting(epoch: number): boolean {
    return this.state.announced.some((known) => known.epoch === epoch && !this.byRef.has(known.ref));
  }
}
