import { toBase64Url, type DeviceIdentity } from '../../crypto/index.js';
import { GroupLog } from '../../src/log/groupLog.js';
import { GroupKeyring, type EpochSecret } from '../../src/log/keyring.js';
import { admitMember, stateGroup } from '../../src/log/membershipOps.js';
import { boardView, type MembershipState } from '../../src/model/index.js';
import { MemoryDisk } from '../fakes/memoryEnvelopeStore.js';
import { CREATOR_SEED, GROUP_ID, GROUP_SECRET, everything, identityFromSeed, type Member } from '../fixtures/group.js';

/** Devices of a managed group: the creator states it, newcomers start from the secrets they were handed. */

export const creatorId = (): string => toBase64Url(identityFromSeed(CREATOR_SEED).signPublicKey);

export async function device(identity: DeviceIdentity, epochs: EpochSecret[]): Promise<Member> {
  const disk = new MemoryDisk();
  const log = await GroupLog.open({
    keyring: new GroupKeyring(GROUP_ID, epochs),
    identity,
    store: disk.open(toBase64Url(GROUP_ID)),
    creatorId: creatorId(),
  });
  return { identity, id: toBase64Url(identity.signPublicKey), disk, log };
}

/** The creator's device, with the group stated in its first link. */
export async function founder(): Promise<Member> {
  const m = await device(identityFromSeed(CREATOR_SEED), [{ epoch: 0, secret: GROUP_SECRET }]);
  const stated = await stateGroup(m.log, m.identity);
  if (!stated.ok) throw new Error(`create refused: ${stated.problem}`);
  return m;
}

/**
 * `by` admits the device of `seed`; the newcomer gets the welcome (the secrets) directly and
 * `by`'s envelopes, as the invite handshake would give them. Undefined when `by` may not admit.
 */
export async function admit(by: Member, seed: number): Promise<Member | undefined> {
  const identity = identityFromSeed(seed);
  const { outcome, secrets } = await admitMember(by.log, { member: toBase64Url(identity.signPublicKey), boxKey: toBase64Url(identity.boxPublicKey) });
  if (!outcome.ok) return undefined;
  const newcomer = await device(identity, secrets.map(({ epoch, secret }) => ({ epoch, secret })));
  newcomer.log.receive(everything(by));
  return newcomer;
}

/** Delivers everything `from` holds to `to` (one direction). */
export function deliver(from: Member, to: Member): void {
  to.log.receive(everything(from));
}

/** The membership as one device derives it, reduced to what must match across devices. */
export function summary(m: Member): string {
  return summaryOf(m.log.membership);
}

export function summaryOf(state: MembershipState): string {
  return JSON.stringify({
    members: [...state.members.keys()].sort(),
    facilitators: [...state.facilitators].sort(),
    removed: [...state.removed].sort(),
    current: state.current?.ref,
    epoch: state.current?.epoch,
  });
}

export function posts(m: Member): string[] {
  return boardView({ authors: () => m.log.authors(), creatorId: m.log.creatorId })
    .posts.map((p) => p.record.body)
    .sort();
}
