import { deriveEpochCheck, fromBase64Url, sealTo, toBase64Url } from '../../crypto/index.js';
import { newSuffix, writeRecord, type WriteContext, type WriteResult } from './board.js';
import { authorizedNow, type MembershipState } from './membership.js';
import { GENESIS, type MembershipRecord, type SealedKey } from './membershipSchema.js';
import { recordKey, signRecord, type Unsigned } from './records.js';

/**
 * Writers of membership entries. Each checks the entry against the membership as this device
 * derives it now, and refuses (`not-allowed`) what every device would void.
 */

type Fields = Omit<Unsigned<MembershipRecord>, 'v' | 'type' | 'id' | 'authorId' | 'createdAt' | 'after'>;

/** A secret and the epoch it belongs to, with the members it is sealed to (id → X25519 key, base64url). */
export interface EpochSecretFor {
  ref: string;
  secret: Uint8Array;
  to: Iterable<[memberId: string, boxKey: string]>;
}

export function sealKeys(secrets: EpochSecretFor[]): SealedKey[] {
  const keys: SealedKey[] = [];
  for (const { ref, secret, to } of secrets) {
    for (const [memberId, boxKey] of to) {
      const key = fromBase64Url(boxKey);
      if (key.ok) keys.push([ref, memberId, toBase64Url(sealTo(secret, key.bytes))]);
    }
  }
  return keys.sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
}

function writeEntry(context: WriteContext, state: MembershipState | undefined, fields: Fields, suffix = newSuffix()): WriteResult<MembershipRecord> {
  const authorId = toBase64Url(context.author.signPublicKey);
  if (state) {
    const candidate = signRecord<MembershipRecord>(
      { v: 1, type: 'membership', id: recordKey(authorId, `m/${suffix}`), authorId, createdAt: context.now, after: state.heads, ...fields },
      context.author.signSecretKey,
    );
    if (!authorizedNow(state, candidate, context.creatorId)) return { ok: false, problem: 'not-allowed' };
  }
  return writeRecord<MembershipRecord>('membership', context, 'membership', `m/${suffix}`, { after: state?.heads ?? [], ...fields });
}

/** The creator states the group: first facilitator, holder of its first epoch. */
export function writeCreate(
  context: WriteContext,
  input: { boxKey: Uint8Array; epoch: number; secret: Uint8Array; legacy?: boolean },
): WriteResult<MembershipRecord> {
  const authorId = toBase64Url(context.author.signPublicKey);
  if (authorId !== context.creatorId) return { ok: false, problem: 'not-allowed' };
  const boxKey = toBase64Url(input.boxKey);
  return writeEntry(context, undefined, {
    action: 'create',
    boxKey,
    epoch: input.epoch,
    check: deriveEpochCheck(input.secret, input.epoch),
    keys: sealKeys([{ ref: GENESIS, secret: input.secret, to: [[authorId, boxKey]] }]),
    ...(input.legacy ? { legacy: true } : {}),
  });
}

export function writeInvite(context: WriteContext, state: MembershipState, input: { inviteKey: string; expiresAt: number; uses: number }): WriteResult<MembershipRecord> {
  return writeEntry(context, state, { action: 'invite', invite: input.inviteKey, expiresAt: input.expiresAt, uses: input.uses });
}

export function writeRevokeInvite(context: WriteContext, state: MembershipState, inviteKey: string): WriteResult<MembershipRecord> {
  return writeEntry(context, state, { action: 'revoke-invite', invite: inviteKey });
}

/** Lets a member in, sealing to them the epoch secrets given (the current one, and older ones when history is shared). */
export function writeAdmit(
  context: WriteContext,
  state: MembershipState,
  input: { member: string; boxKey: string; invite?: string; secrets: { ref: string; secret: Uint8Array }[] },
): WriteResult<MembershipRecord> {
  return writeEntry(context, state, {
    action: 'admit',
    member: input.member,
    boxKey: input.boxKey,
    ...(input.invite ? { invite: input.invite } : {}),
    keys: sealKeys(input.secrets.map(({ ref, secret }) => ({ ref, secret, to: [[input.member, input.boxKey]] }))),
  });
}

export function writeRemove(context: WriteContext, state: MembershipState, member: string): WriteResult<MembershipRecord> {
  return writeEntry(context, state, { action: 'remove', member });
}

export function writeLeave(context: WriteContext, state: MembershipState): WriteResult<MembershipRecord> {
  return writeEntry(context, state, { action: 'leave' });
}

export function writeAppoint(context: WriteContext, state: MembershipState, member: string): WriteResult<MembershipRecord> {
  return writeEntry(context, state, { action: 'appoint', member });
}

export function writeStepDown(context: WriteContext, state: MembershipState): WriteResult<MembershipRecord> {
  return writeEntry(context, state, { action: 'step-down' });
}

export function writeSettings(context: WriteContext, state: MembershipState, settings: { history?: boolean; autoAdmit?: boolean }): WriteResult<MembershipRecord> {
  return writeEntry(context, state, { action: 'settings', ...settings });
}

/**
 * Starts epoch `epoch`: its secret sealed to every member given. The entry's own id is the
 * epoch's reference, so the id is fixed before the keys are sealed.
 */
export function writeEpoch(
  context: WriteContext,
  state: MembershipState,
  input: { epoch: number; secret: Uint8Array; to: Iterable<[memberId: string, boxKey: string]> },
): WriteResult<MembershipRecord> {
  const suffix = newSuffix();
  const ref = recordKey(toBase64Url(context.author.signPublicKey), `m/${suffix}`);
  return writeEntry(
    context,
    state,
    { action: 'epoch', epoch: input.epoch, check: deriveEpochCheck(input.secret, input.epoch), keys: sealKeys([{ ref, ...input }]) },
    suffix,
  );
}

/** Seals epoch secrets to members who lack them. */
export function writeShare(context: WriteContext, state: MembershipState, secrets: EpochSecretFor[]): WriteResult<MembershipRecord> {
  return writeEntry(context, state, { action: 'share', keys: sealKeys(secrets) });
}
