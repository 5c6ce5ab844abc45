import { bytesEqual } from '../../crypto/index.js';
import type { MembershipState } from '../model/index.js';

/** An epoch secret a member holds and this device holds too: a chain sealed under it is one they can read. */
export interface ReadableEpoch {
  ref: string;
  epoch: number;
  secret: Uint8Array;
}

/**
 * The epochs whose secret both `memberId` (as sealed to them in entries this device holds) and
 * this device (`held`, by reference) hold, newest first: where a link meant for them can go.
 * Two members may start epochs of one number at once, so a number alone says too little.
 */
export function readableEpochs(state: Pick<MembershipState, 'sealedFor'>, memberId: string, held: ReadonlyMap<string, Uint8Array>): ReadableEpoch[] {
  const found = new Map<string, ReadableEpoch>();
  for (const { epoch } of state.sealedFor(memberId)) {
    const secret = held.get(epoch.ref);
    if (secret) found.set(epoch.ref, { ref: epoch.ref, epoch: epoch.epoch, secret });
  }
  return [...found.values()].sort((a, b) => b.epoch - a.epoch || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

/**
 * The first of `readable` where this device's chain of that epoch can carry a link to the member:
 * every link already in it, and the next one (sealed with `sealingSecret` of that epoch), under
 * the secret the member holds. A chain that switches secrets midway stalls a reader at the switch.
 */
export function shareEpoch(
  readable: ReadableEpoch[],
  sealingSecret: (epoch: number) => Uint8Array | undefined,
  linkSecrets: (epoch: number) => (Uint8Array | null)[],
): ReadableEpoch | undefined {
  return readable.find(({ epoch, secret }) => {
    const sealing = sealingSecret(epoch);
    return sealing !== undefined && bytesEqual(sealing, secret) && linkSecrets(epoch).every((used) => used !== null && bytesEqual(used, secret));
  });
}
