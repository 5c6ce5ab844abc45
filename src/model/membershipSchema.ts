/**
 * Membership entries: records in the `membership` root of each author's own document, signed
 * like every record (docs/PROTOCOL.md §13). The member list, the facilitators and the current
 * epoch are derived from the union of every author's entries (./membership.ts).
 */

export const MEMBERSHIP_ACTIONS = [
  'create', // the creator states the group (first facilitator, holder of epoch 0)
  'invite', // a facilitator logs a one-time invite key
  'revoke-invite',
  'admit', // a facilitator lets someone in, sealing the epoch secrets it holds to them
  'remove', // a facilitator removes a member (strong: concurrent removals all apply)
  'leave', // a member leaves
  'appoint', // a facilitator makes a member a facilitator
  'step-down', // a facilitator stops being one
  'epoch', // a member starts a new epoch, sealing its secret to every member
  'share', // a member seals epoch secrets to members who lack them
  'settings', // a facilitator changes the group's admission settings
] as const;
export type MembershipAction = (typeof MEMBERSHIP_ACTIONS)[number];

/** Epoch 0's reference in `keys`: the group's first secret, made with the group. */
export const GENESIS = 'genesis';

/** One sealed epoch secret: [epoch reference (an epoch entry's id, or "genesis"), member id, sealed secret]. */
export type SealedKey = [epochRef: string, memberId: string, sealed: string];

export interface MembershipRecord {
  v: 1;
  type: 'membership';
  id: string;
  authorId: string;
  createdAt: number;
  action: MembershipAction;
  /** Ids of the membership entries the author had seen: the entries this one comes after. */
  after: string[];
  /** The member an action is about (admit, remove, appoint). */
  member?: string;
  /** X25519 public key of the member admitted, or of the creator (base64url). */
  boxKey?: string;
  /** The one-time invite key (Ed25519 public key, base64url): invite, revoke-invite, admit. */
  invite?: string;
  /** When an invite stops admitting (ms since epoch). */
  expiresAt?: number;
  /** How many people an invite may admit. */
  uses?: number;
  /** An epoch entry's number, or the number of the group's first epoch in `create`. */
  epoch?: number;
  /** Commitment to the epoch's secret (create and epoch entries): see crypto deriveEpochCheck. */
  check?: string;
  /** Epoch secrets sealed to members (create, admit, epoch, share). */
  keys?: SealedKey[];
  /** settings: newcomers receive older epochs' secrets (read the board's history). */
  history?: boolean;
  /** settings: invites of at most an hour admit without comparing a code. */
  autoAdmit?: boolean;
  /** create: the group was carried over from an earlier version, so its first secret is not private. */
  legacy?: boolean;
  sig: string;
}
