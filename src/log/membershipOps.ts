import { createGroupSecret, hash, toBase64Url, toHex, type DeviceIdentity } from '../../crypto/index.js';
import {
  GENESIS,
  standingRecords,
  writeAdmit,
  writeCarry,
  writeAppoint,
  writeCreate,
  writeEpoch,
  writeInvite,
  writeLeave,
  writeRemove,
  writeRevokeInvite,
  writeSettings,
  writeStepDown,
  type MembershipRecord,
  type MembershipState,
  type WriteResult,
} from '../model/index.js';
import type { GroupLog, WriteOutcome } from './groupLog.js';

/**
 * What a member's device does to the membership log, as whole steps: each step is one write
 * (one link of this device's chain), so a removal and the epoch that shuts the removed member
 * out are saved and sent together.
 */

type Outcome = WriteOutcome<MembershipRecord>;

/** A secret handed to a newcomer at admission, with the epoch it belongs to. */
export interface HandedSecret {
  ref: string;
  epoch: number;
  secret: Uint8Array;
}

/** Members' X25519 keys, for sealing a new epoch to each. */
function recipients(state: MembershipState, without: string[] = []): [string, string][] {
  return [...state.members.values()].filter((m) => !without.includes(m.id)).map((m) => [m.id, m.boxKey]);
}

/** The creator states the group: first facilitator, holder of epoch `epoch`. A carried-over group rotates at once. */
export async function stateGroup(log: GroupLog, identity: Pick<DeviceIdentity, 'boxPublicKey'>, legacy = false): Promise<Outcome> {
  const epoch = log.keyringEpoch;
  return log.write((context) => writeCreate(context, { boxKey: identity.boxPublicKey, epoch: epoch.epoch, secret: epoch.secret, legacy }));
}

/**
 * Removes `member` and, in the same link, starts a new epoch sealed to everyone else: from then
 * on nothing is sealed under a secret the removed device holds.
 */
export async function removeMember(log: GroupLog, member: string): Promise<Outcome> {
  return log.write((context) => {
    const state = log.membership;
    const removed = writeRemove(context, state, member);
    if (!removed.ok) return removed;
    return writeEpoch(context, state, { epoch: state.nextEpoch, secret: createGroupSecret(), to: recipients(state, [member, ...state.removed]) });
  });
}

/** Leaves the group: the others start a new epoch after their back-off (see healEpochs). */
export async function leaveGroup(log: GroupLog): Promise<Outcome> {
  return log.write((context) => writeLeave(context, log.membership));
}

export async function appointFacilitator(log: GroupLog, member: string): Promise<Outcome> {
  return log.write((context) => writeAppoint(context, log.membership, member));
}

export async function stepDown(log: GroupLog): Promise<Outcome> {
  return log.write((context) => writeStepDown(context, log.membership));
}

export async function logInvite(log: GroupLog, input: { inviteKey: string; expiresAt: number; uses: number }): Promise<Outcome> {
  return log.write((context) => writeInvite(context, log.membership, input));
}

export async function revokeInvite(log: GroupLog, inviteKey: string): Promise<Outcome> {
  return log.write((context) => writeRevokeInvite(context, log.membership, inviteKey));
}

export async function changeSettings(log: GroupLog, settings: { history?: boolean; autoAdmit?: boolean }): Promise<Outcome> {
  return log.write((context) => writeSettings(context, log.membership, settings));
}

/**
 * Admits a newcomer, sealing to them the secrets they need. When the group shares its history,
 * that is every epoch this device holds. When it keeps its history from newcomers, admitting
 * starts a new epoch (sealed to every member and the newcomer, in the same link as the admit,
 * under the current epoch), the newcomer gets only its secret, and the group's standing records
 * are carried into this device's chain of the new epoch so the newcomer can read who is who
 * (model/carry.ts). Returns the secrets, for the welcome the newcomer receives directly (they
 * cannot read the admit entry before they hold a secret).
 */
export async function admitMember(
  log: GroupLog,
  input: { member: string; boxKey: string; invite?: string },
): Promise<{ outcome: Outcome; secrets: HandedSecret[] }> {
  if (!log.membership.settings.history) return admitFromNewEpoch(log, input);
  let secrets: HandedSecret[] = [];
  const outcome = await log.write((context) => {
    const state = log.membership;
    secrets = heldSecrets(log, state);
    if (secrets.length === 0) return { ok: false, problem: 'not-allowed' } as WriteResult<MembershipRecord>;
    return writeAdmit(context, state, { ...input, secrets });
  });
  return { outcome, secrets: outcome.ok ? secrets : [] };
}

async function admitFromNewEpoch(
  log: GroupLog,
  input: { member: string; boxKey: string; invite?: string },
): Promise<{ outcome: Outcome; secrets: HandedSecret[] }> {
  let handed: HandedSecret | undefined;
  const outcome = await log.write((context) => {
    const state = log.membership;
    if (!state.current || !log.epochSecret(state.current.ref)) return { ok: false, problem: 'not-allowed' } as WriteResult<MembershipRecord>;
    const admitted = writeAdmit(context, state, { ...input, secrets: [] });
    if (!admitted.ok) return admitted;
    const secret = createGroupSecret();
    const to: [string, string][] = [...recipients(state), [input.member, input.boxKey]];
    const started = writeEpoch(context, state, { epoch: state.nextEpoch, secret, to });
    if (!started.ok) return started;
    handed = { ref: started.record.id, epoch: state.nextEpoch, secret };
    return admitted;
  });
  if (!outcome.ok || !handed) return { outcome, secrets: [] };
  // The link above moved this device to the new epoch: the carry is the first link of that epoch's chain.
  const carried = await log.write((context) => writeCarry(context, standingRecords(log.authors())), { epoch: handed.epoch, asCheckpoint: true });
  if (!carried.ok) return { outcome: carried as Outcome, secrets: [] };
  return { outcome, secrets: [handed] };
}

/** Every epoch secret this device holds, by reference. */
function heldSecrets(log: GroupLog, state: MembershipState): HandedSecret[] {
  return [...state.epochs.values()].flatMap((epoch) => {
    const secret = log.epochSecret(epoch.ref);
    return secret ? [{ ref: epoch.ref, epoch: epoch.epoch, secret }] : [];
  });
}

/** Whether this device should start a new epoch (after its turn comes, see repairDelay). */
export function needsRepair(state: MembershipState, ownId: string): boolean {
  return state.managed && state.members.has(ownId) && (state.needsRotation || state.missingCurrent.includes(ownId));
}

/** Between one member's turn to repair and the next's: an offline "chosen one" stalls nothing for long. */
export const REPAIR_STEP_MS = 4_000;

/**
 * How long this member waits before repairing: members take turns in an order every device
 * derives alike (a hash of member id and current epoch), so usually one repairs and the rest
 * see it done. Undefined when this device is not a member.
 */
export function repairDelay(state: MembershipState, ownId: string): number | undefined {
  if (!state.members.has(ownId)) return undefined;
  const salt = state.current?.ref ?? GENESIS;
  const rank = (id: string): string => toHex(hash(new TextEncoder().encode(`${salt}\n${id}`), 16));
  // A member who lacks the current secret goes first: only it knows for sure that it does.
  if (state.missingCurrent.includes(ownId)) return 0;
  const order = [...state.members.keys()].sort((a, b) => (rank(a) < rank(b) ? -1 : 1));
  return (order.indexOf(ownId) + 1) * REPAIR_STEP_MS;
}

/**
 * Heals what concurrent changes left: a new epoch when a removed member may hold the current
 * secret (or none is trusted), or when this device was admitted concurrently with a rotation
 * and lacks the current secret (its admitter shares it before writing under it, see GroupLog;
 * this is for when the admitter is away). The entry is sealed under the newest epoch this
 * device holds, which every member holds too.
 */
export async function repairEpochs(log: GroupLog): Promise<Outcome | undefined> {
  const state = log.membership;
  const lacking = state.missingCurrent.includes(log.ownId);
  if (!state.managed || !(state.needsRotation || lacking)) return undefined;
  return log.write((context) => {
    const now = log.membership;
    if (!(now.needsRotation || now.missingCurrent.includes(log.ownId))) return { ok: false, problem: 'not-allowed' } as WriteResult<MembershipRecord>;
    return writeEpoch(context, now, { epoch: now.nextEpoch, secret: createGroupSecret(), to: recipients(now) });
  });
}

export const idOf = (identity: Pick<DeviceIdentity, 'signPublicKey'>): string => toBase64Url(identity.signPublicKey);
