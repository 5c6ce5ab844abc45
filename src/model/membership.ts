import type { AuthorDocument } from './board.js';
import { parseRecord } from './parse.js';
import { GENESIS, type MembershipRecord } from './membershipSchema.js';

/**
 * The group's membership, derived from the union of every author's membership entries by a
 * pure function: any two devices holding the same entries reach the same member list,
 * facilitators, removed set and current epoch, whatever order the entries arrived in.
 *
 * Order. Each entry names the entries its author had seen (`after`). Entries whose predecessors are missing wait; the rest are put
 * in a topological order, ties broken by (createdAt, id).
 *
 * Authority. An entry counts when its author had the right to write it in the state made of
 * the valid entries it comes after (its causal past): only facilitators invite, admit, remove,
 * appoint and change settings; any member leaves or starts an epoch.
 *
 * Strong remove. A removal (or a leave) applies even when its author is removed concurrently,
 * so two facilitators removing each other both leave; every other entry of a removed member
 * that the removal did not come after is void, and so is what depended on it.
 */

/** Entries looked at, in topological order; more (a hostile member's flood) are ignored. */
export const MAX_MEMBERSHIP_ENTRIES = 1024;

export interface MemberInfo {
  id: string;
  /** X25519 public key, base64url: where epoch secrets are sealed. */
  boxKey: string;
  /** Position of the admission in the derived order: lower has stood longer. */
  since: number;
  admittedBy: string | undefined;
}

export interface EpochInfo {
  /** The epoch entry's id, or "genesis" for the group's first secret. */
  ref: string;
  epoch: number;
  creator: string;
  check: string;
}

export interface InviteInfo {
  key: string;
  by: string;
  expiresAt: number;
  /** From the invite entry to its expiry: automatic admission takes only short invites. */
  lifetime: number;
  uses: number;
  used: number;
  revoked: boolean;
}

export interface MembershipState {
  /** A valid create entry exists: without one (a group from before membership), nobody is managed. */
  managed: boolean;
  members: ReadonlyMap<string, MemberInfo>;
  facilitators: ReadonlySet<string>;
  /** Everyone who ever was a facilitator and is not removed: whose group details count. */
  editors: ReadonlySet<string>;
  /** Removed or left: never a member again. */
  removed: ReadonlySet<string>;
  left: ReadonlySet<string>;
  invites: ReadonlyMap<string, InviteInfo>;
  /** Valid epochs by reference. */
  epochs: ReadonlyMap<string, EpochInfo>;
  /** The epoch every member seals under; undefined when none can be trusted. */
  current: EpochInfo | undefined;
  /** Members who hold the current epoch's secret, as sealed in valid entries. */
  recipients: ReadonlySet<string>;
  /** Someone who is not a member may hold the current secret (or none is trusted): a new epoch is due. */
  needsRotation: boolean;
  /** Members the current secret was never sealed to (admitted concurrently with a rotation). */
  missingCurrent: string[];
  nextEpoch: number;
  settings: { history: boolean; autoAdmit: boolean };
  /** Entries no other entry comes after: what a new entry names in `after`. */
  heads: string[];
  /** Every sealed key addressed to a member, of an epoch someone who was ever admitted started. */
  sealedFor(memberId: string): { epoch: EpochInfo; sealed: string }[];
  /** Every epoch an entry of someone who was ever admitted started, valid or not (content may be sealed under any). */
  announced: readonly EpochInfo[];
  /** Whether some entry of someone who was ever admitted seals epoch `ref` to `memberId`. */
  holds(memberId: string, ref: string): boolean;
}

export interface MembershipSource {
  authors(): Iterable<AuthorDocument>;
  creatorId: string | undefined;
}

/**
 * Entries parsed before, by the value a document holds: Yjs hands back the same object for as
 * long as the entry stands, so deriving the membership again after each batch parses only what
 * the batch brought.
 */
const parsedEntries = new WeakMap<object, { key: string; record: MembershipRecord | null }>();

function parseEntry(key: string, value: unknown): MembershipRecord | null {
  if (typeof value !== 'object' || value === null) return parseRecord('membership', key, value) as MembershipRecord | null;
  const held = parsedEntries.get(value);
  if (held?.key === key) return held.record;
  const record = parseRecord('membership', key, value) as MembershipRecord | null;
  parsedEntries.set(value, { key, record });
  return record;
}

/** Every well-formed membership entry held in its author's own document. */
export function membershipEntries(source: Pick<MembershipSource, 'authors'>): MembershipRecord[] {
  const entries: MembershipRecord[] = [];
  for (const [authorId, doc] of source.authors()) {
    doc.getMap('membership').forEach((value, key) => {
      const record = parseEntry(key, value);
      if (record && record.authorId === authorId) entries.push(record);
    });
  }
  return entries;
}

export function deriveMembership(source: MembershipSource): MembershipState {
  return deriveFromEntries(membershipEntries(source), source.creatorId);
}

const byTimeThenId = (a: MembershipRecord, b: MembershipRecord): number =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The derivation itself, over entries already parsed. */
export function deriveFromEntries(all: MembershipRecord[], creatorId: string | undefined): MembershipState {
  const order = topologicalOrder(all);
  const n = order.length;
  const index = new Map(order.map((entry, i) => [entry.id, i]));
  const ancestors = order.map(() => new Uint32Array((n + 31) >>> 5));
  const deps = order.map((entry) => predecessors(entry).map((id) => index.get(id)!));
  for (let i = 0; i < n; i++) {
    for (const d of deps[i]!) {
      const set = ancestors[i]!;
      const from = ancestors[d]!;
      for (let w = 0; w < set.length; w++) set[w]! |= from[w]!;
      set[d >>> 5]! |= 1 << (d & 31);
    }
  }
  const isAncestor = (a: number, of: number): boolean => (ancestors[of]![a >>> 5]! & (1 << (a & 31))) !== 0;

  const validity = (cancelled: boolean[]): boolean[] => {
    const valid: boolean[] = [];
    for (let i = 0; i < n; i++) {
      if (cancelled[i]) {
        valid.push(false);
        continue;
      }
      const past = fold(order, (j) => j < i && valid[j]! && isAncestor(j, i), creatorId);
      valid.push(authorized(past, order[i]!, creatorId));
    }
    return valid;
  };
  const removals = (valid: boolean[]): { removed: string; at: number }[] =>
    order.flatMap((entry, i) =>
      valid[i] && entry.action === 'remove' ? [{ removed: entry.member!, at: i }] : valid[i] && entry.action === 'leave' ? [{ removed: entry.authorId, at: i }] : [],
    );
  const cancelledBy = (found: { removed: string; at: number }[]): boolean[] =>
    order.map(
      (entry, i) =>
        entry.action !== 'remove' &&
        entry.action !== 'leave' &&
        found.some(({ removed, at }) => removed === entry.authorId && at !== i && !isAncestor(i, at)),
    );
  // Voiding a removed member's entries can void a removal that depended on them (an appointment
  // of its author): the removals are found again until they stop changing, so no member keeps
  // entries voided by a removal that no longer holds. Bounded: a pure function of the entries.
  let valid = validity(order.map(() => false));
  let found = removals(valid);
  for (let round = 0; round < 16; round++) {
    valid = validity(cancelledBy(found));
    const next = removals(valid);
    if (next.length === found.length && next.every((removal, k) => removal.at === found[k]!.at)) break;
    found = next;
  }
  const state = fold(order, (j) => valid[j]!, creatorId);

  // Who holds which epoch: sealed keys in valid entries.
  const holders = new Map<string, Set<string>>();
  order.forEach((entry, i) => {
    if (!valid[i]) return;
    for (const [ref, member] of entry.keys ?? []) {
      if (!holders.has(ref)) holders.set(ref, new Set());
      holders.get(ref)!.add(member);
    }
  });
  const trusted = [...state.epochs.values()].filter((epoch) => !state.removed.has(epoch.creator));
  const current = trusted.sort((a, b) => b.epoch - a.epoch || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))[0];
  const recipients = new Set(current ? (holders.get(current.ref) ?? []) : []);
  if (current?.ref === GENESIS && creatorId) recipients.add(creatorId);
  // Anyone holding the current secret who is not a member now (removed, or admitted by an entry
  // a concurrent removal voided) could read what is sealed under it.
  const needsRotation =
    state.managed && (current === undefined || (current.ref === GENESIS && state.legacy) || [...recipients].some((id) => !state.members.has(id)));
  const numbers = [...state.epochs.values()].map((epoch) => epoch.epoch);

  // Epochs count as announced, and sealed keys as held, from every entry of anyone who was ever
  // admitted, valid or not, ordered or not (one may name an entry this device cannot read yet):
  // content sealed under an epoch later voided, or written by someone whose admission a concurrent
  // removal voided, must stay readable, or chains would stall and entries naming it in `after`
  // would wait forever.
  const everMember = everAdmitted(all, new Set([...state.members.keys(), ...state.removed]));
  const keyed = all.filter((entry) => everMember.has(entry.authorId));
  const epochByRef = new Map<string, EpochInfo>();
  for (const entry of keyed) {
    if (entry.action === 'epoch') epochByRef.set(entry.id, { ref: entry.id, epoch: entry.epoch!, creator: entry.authorId, check: entry.check! });
  }
  const genesis = state.epochs.get(GENESIS);
  if (genesis) epochByRef.set(GENESIS, genesis);

  const heads = headsOf(order);
  return {
    managed: state.managed,
    members: state.members,
    facilitators: state.managed ? state.facilitators : new Set(creatorId ? [creatorId] : []),
    editors: state.managed ? new Set([...state.everFacilitators].filter((id) => !state.removed.has(id))) : new Set(creatorId ? [creatorId] : []),
    removed: state.removed,
    left: state.left,
    invites: state.invites,
    epochs: state.epochs,
    current,
    recipients,
    needsRotation,
    missingCurrent: needsRotation ? [] : [...state.members.keys()].filter((id) => !recipients.has(id)).sort(),
    nextEpoch: (numbers.length > 0 ? Math.max(...numbers) : 0) + 1,
    settings: state.settings,
    heads,
    announced: [...epochByRef.values()],
    holds(memberId, ref) {
      return keyed.some((entry) => (entry.keys ?? []).some(([r, m]) => r === ref && m === memberId));
    },
    sealedFor(memberId) {
      const found: { epoch: EpochInfo; sealed: string }[] = [];
      // From anyone's entry: the epoch is one someone ever admitted announced, and its check proves
      // the secret, while the entry that tells this device who its author is may be sealed under it.
      for (const entry of all) {
        for (const [ref, member, sealed] of entry.keys ?? []) {
          const epoch = epochByRef.get(ref);
          if (member === memberId && epoch) found.push({ epoch, sealed });
        }
      }
      return found;
    },
  };
}

/** `known` and, until nothing changes, everyone an admit entry of someone in it names. */
function everAdmitted(all: MembershipRecord[], known: Set<string>): Set<string> {
  const admits = all.filter((entry) => entry.action === 'admit');
  for (let grew = true; grew; ) {
    grew = false;
    for (const entry of admits) {
      if (known.has(entry.authorId) && !known.has(entry.member!)) {
        known.add(entry.member!);
        grew = true;
      }
    }
  }
  return known;
}

/** The entries an entry comes after: those it names (each author's own entries carry no order of their own). */
function predecessors(entry: MembershipRecord): string[] {
  return [...new Set(entry.after)];
}

/**
 * Kahn's algorithm with (createdAt, id) as the tie-break: entries whose predecessors are all
 * present and ordered come out; entries naming a missing entry, or in a cycle, never do.
 */
function topologicalOrder(all: MembershipRecord[]): MembershipRecord[] {
  const byId = new Map<string, MembershipRecord>();
  for (const entry of [...all].sort(byTimeThenId)) if (!byId.has(entry.id)) byId.set(entry.id, entry);
  const entries = [...byId.values()];
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  const available: MembershipRecord[] = [];
  for (const entry of entries) {
    const deps = predecessors(entry);
    if (deps.some((id) => !byId.has(id) || id === entry.id)) continue;
    waitingOn.set(entry.id, deps.length);
    for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), entry.id]);
    if (deps.length === 0) available.push(entry);
  }
  const order: MembershipRecord[] = [];
  while (available.length > 0 && order.length < MAX_MEMBERSHIP_ENTRIES) {
    available.sort(byTimeThenId);
    const next = available.shift()!;
    order.push(next);
    for (const id of dependents.get(next.id) ?? []) {
      const left = waitingOn.get(id)! - 1;
      waitingOn.set(id, left);
      if (left === 0) available.push(byId.get(id)!);
    }
  }
  return order;
}

function headsOf(order: MembershipRecord[]): string[] {
  const named = new Set(order.flatMap((entry) => entry.after));
  return order
    .filter((entry) => !named.has(entry.id))
    .map((entry) => entry.id)
    .sort()
    .slice(-64);
}

/** What authority is judged on. */
type AuthorityState = Pick<MembershipState, 'managed' | 'members' | 'facilitators' | 'removed' | 'invites'>;

interface Folded {
  managed: boolean;
  legacy: boolean;
  members: Map<string, MemberInfo>;
  facilitators: Set<string>;
  everFacilitators: Set<string>;
  removed: Set<string>;
  left: Set<string>;
  invites: Map<string, InviteInfo>;
  epochs: Map<string, EpochInfo>;
  settings: { history: boolean; autoAdmit: boolean };
}

/** Applies the entries `include` picks, in order; their validity was decided already. */
function fold(order: MembershipRecord[], include: (i: number) => boolean, creatorId: string | undefined): Folded {
  const state: Folded = {
    managed: false,
    legacy: false,
    members: new Map(),
    facilitators: new Set(),
    everFacilitators: new Set(),
    removed: new Set(),
    left: new Set(),
    invites: new Map(),
    epochs: new Map(),
    settings: { history: true, autoAdmit: false },
  };
  order.forEach((entry, i) => {
    if (include(i)) apply(state, entry, i, creatorId);
  });
  return state;
}

function apply(state: Folded, entry: MembershipRecord, at: number, creatorId: string | undefined): void {
  const author = entry.authorId;
  switch (entry.action) {
    case 'create':
      if (state.managed || author !== creatorId) return;
      state.managed = true;
      state.legacy = entry.legacy === true;
      state.members.set(author, { id: author, boxKey: entry.boxKey!, since: at, admittedBy: undefined });
      state.epochs.set(GENESIS, { ref: GENESIS, epoch: entry.epoch!, creator: author, check: entry.check! });
      appoint(state, author);
      break;
    case 'invite':
      if (!state.invites.has(entry.invite!)) {
        state.invites.set(entry.invite!, { key: entry.invite!, by: author, expiresAt: entry.expiresAt!, lifetime: entry.expiresAt! - entry.createdAt, uses: entry.uses!, used: 0, revoked: false });
      }
      break;
    case 'revoke-invite': {
      const invite = state.invites.get(entry.invite!);
      if (invite) invite.revoked = true;
      break;
    }
    case 'admit': {
      const member = entry.member!;
      if (state.removed.has(member) || state.members.has(member)) return;
      if (entry.invite !== undefined) {
        const invite = state.invites.get(entry.invite);
        if (!invite || inviteProblem(invite, entry.createdAt)) return;
        invite.used++;
      }
      state.members.set(member, { id: member, boxKey: entry.boxKey!, since: at, admittedBy: author });
      break;
    }
    case 'remove':
      drop(state, entry.member!);
      break;
    case 'leave':
      drop(state, author);
      state.left.add(author);
      break;
    case 'appoint':
      if (state.members.has(entry.member!)) appoint(state, entry.member!);
      break;
    case 'step-down':
      state.facilitators.delete(author);
      break;
    case 'epoch':
      state.epochs.set(entry.id, { ref: entry.id, epoch: entry.epoch!, creator: author, check: entry.check! });
      break;
    case 'settings':
      if (entry.history !== undefined) state.settings.history = entry.history;
      if (entry.autoAdmit !== undefined) state.settings.autoAdmit = entry.autoAdmit;
      break;
    case 'share':
      break;
  }
  // A group is never left without a facilitator: the longest-standing member becomes one.
  if (state.managed && state.members.size > 0 && ![...state.facilitators].some((id) => state.members.has(id))) {
    const eldest = [...state.members.values()].sort((a, b) => a.since - b.since || (a.id < b.id ? -1 : 1))[0]!;
    appoint(state, eldest.id);
  }
}

function appoint(state: Folded, id: string): void {
  state.facilitators.add(id);
  state.everFacilitators.add(id);
}

function drop(state: Folded, id: string): void {
  state.members.delete(id);
  state.facilitators.delete(id);
  state.removed.add(id);
}

/** Why an invite admits nobody at `at`, or undefined when it still admits. */
export function inviteProblem(invite: InviteInfo, at: number): 'revoked' | 'used' | 'expired' | undefined {
  if (invite.revoked) return 'revoked';
  if (invite.used >= invite.uses) return 'used';
  if (at > invite.expiresAt) return 'expired';
  return undefined;
}

/** Whether the author of `entry` may write it, in `state` (its causal past, or the state now). */
function authorized(state: AuthorityState, entry: MembershipRecord, creatorId: string | undefined): boolean {
  const author = entry.authorId;
  if (entry.action === 'create') return author === creatorId && !state.managed;
  // A removed member may still hand members secrets of epochs it held (only they may hold the
  // secret an entry others need was sealed under); a share changes nothing else.
  if (entry.action === 'share') return state.managed && (state.members.has(author) || state.removed.has(author));
  if (!state.managed || !state.members.has(author)) return false;
  const facilitator = state.facilitators.has(author);
  switch (entry.action) {
    case 'invite':
    case 'revoke-invite':
    case 'settings':
      return facilitator;
    case 'admit': {
      if (!facilitator || state.removed.has(entry.member!) || state.members.has(entry.member!)) return false;
      if (entry.invite === undefined) return true;
      const invite = state.invites.get(entry.invite);
      return invite !== undefined && inviteProblem(invite, entry.createdAt) === undefined;
    }
    case 'remove':
    case 'appoint':
      return facilitator && state.members.has(entry.member!) && (entry.action === 'appoint' || entry.member !== author);
    case 'step-down':
      return facilitator;
    case 'leave':
    case 'epoch':
      return true;
  }
}

/** Whether `entry` would count if written now: the model never writes what it would not count. */
export function authorizedNow(state: MembershipState, entry: MembershipRecord, creatorId: string | undefined): boolean {
  return authorized(state, entry, creatorId);
}
