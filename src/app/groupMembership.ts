import { fromBase64Url, toBase64Url, type DeviceIdentity } from '../../crypto/index.js';
import type { GroupLog } from '../log/groupLog.js';
import {
  appointFacilitator,
  changeSettings,
  leaveGroup,
  logInvite,
  needsRepair,
  removeMember,
  repairDelay,
  repairEpochs,
  revokeInvite,
  stateGroup,
} from '../log/membershipOps.js';
import { inviteProblem, writeAdmit, type MemberRecord } from '../model/index.js';
import { AUTO_ADMIT_INVITE_MS, INVITE_LIFETIME_MS, encodeOneTimeInvite, inviteKeys, newOneTimeInvite, type InviteOffer, type Welcome } from '../sync/oneTimeInvite.js';
import { RendezvousHub, type RendezvousPort } from '../sync/rendezvous.js';
import type { VenueInviteRefusal } from '../sync/venueMessages.js';
import { InviteHost } from './inviteHandshake.js';
import type { GroupRecord, StorePort, VenuePort } from './ports.js';
import type { MembershipView } from './state.js';

/** Settings key holding the seeds of the invites this device made for a group (sealed, like every setting). */
export const invitesKey = (groupId: string): string => `invites:${groupId}`;

interface HeldInvite {
  seed: string;
  inviteKey: string;
  expiresAt: number;
}

export interface GroupMembershipInput {
  log: GroupLog;
  record: () => GroupRecord;
  identity: DeviceIdentity;
  store: StorePort;
  createRendezvous: ((room: string, password: string) => RendezvousPort) | undefined;
  now: () => number;
  changed: () => void;
  problem: (code: string, message: string) => void;
  offer: () => Omit<InviteOffer, 'facilitator'>;
}

/**
 * One open group's membership on this device: states the group when its creator first opens it,
 * repairs epochs after its turn in the back-off, hosts the rendezvous of the invites it made,
 * and turns a facilitator's choices into membership entries.
 */
export class GroupMembership {
  private readonly hosts = new Map<string, InviteHost>();
  /** Each hosted invite's rendezvous: the signaling room, and the venue's invite links while a venue is open. */
  private readonly hubs = new Map<string, { hub: RendezvousHub; venue?: RendezvousPort }>();
  private venue: VenuePort | undefined;
  private held: HeldInvite[] = [];
  private repairTimer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;

  constructor(private readonly input: GroupMembershipInput) {}

  /** The creator's device states the group once; a group carried over from v1 then rotates (its secret is in old links). */
  async start(): Promise<void> {
    const { log, identity } = this.input;
    if (!log.membership.managed && log.creatorId === log.ownId) {
      const legacy = this.input.record().salt === undefined;
      const stated = await stateGroup(log, identity, legacy);
      if (stated.ok) await this.admitEarlierMembers();
    }
    const stored = await this.input.store.getSetting(invitesKey(this.input.record().id));
    this.held = stored.ok && Array.isArray(stored.value) ? (stored.value as HeldInvite[]).filter((i) => typeof i?.seed === 'string') : [];
    for (const invite of this.held) this.host(invite);
    this.update();
  }

  /** Members who joined before the group had a membership log (their profile records name their keys). */
  private async admitEarlierMembers(): Promise<void> {
    const { log } = this.input;
    const profiles: MemberRecord[] = [];
    for (const [authorId, doc] of log.authors()) {
      const profile = doc.getMap('members').get(`${authorId}/profile`) as MemberRecord | undefined;
      if (authorId !== log.ownId && profile?.boxPublicKey) profiles.push(profile);
    }
    if (profiles.length === 0) return;
    await log.write((context) => {
      let last = undefined as ReturnType<typeof writeAdmit> | undefined;
      for (const profile of profiles) last = writeAdmit(context, log.membership, { member: profile.authorId, boxKey: profile.boxPublicKey, secrets: [] });
      return last!;
    });
  }

  /** Called on every board change: schedules this device's turn to repair, if one is due. */
  update(): void {
    if (this.destroyed) return;
    const { log } = this.input;
    const state = log.membership;
    if (this.repairTimer !== undefined) return;
    // Shares go at once: a member is waiting for a secret only this device may hold.
    if (log.pendingShares().length > 0) this.repairTimer = setTimeout(() => void this.repair(), 0);
    else if (needsRepair(state, log.ownId)) this.repairTimer = setTimeout(() => void this.repair(), repairDelay(state, log.ownId) ?? 0);
  }

  private async repair(): Promise<void> {
    this.repairTimer = undefined;
    if (this.destroyed) return;
    const { log } = this.input;
    if (log.pendingShares().length > 0) await log.shareKeys();
    if (needsRepair(log.membership, log.ownId)) await repairEpochs(log);
    this.update();
  }

  view(names: ReadonlyMap<string, MemberRecord>, here: ReadonlySet<string>): MembershipView {
    const { log } = this.input;
    const state = log.membership;
    const viewerIsFacilitator = state.facilitators.has(log.ownId);
    const now = this.input.now();
    return {
      managed: state.managed,
      members: [...state.members.values()]
        .sort((a, b) => a.since - b.since)
        .map((member) => ({
          id: member.id,
          displayName: names.get(member.id)?.displayName ?? 'A new member',
          facilitator: state.facilitators.has(member.id),
          here: here.has(member.id) || member.id === log.ownId,
          you: member.id === log.ownId,
        })),
      viewerIsFacilitator,
      removed: state.removed.has(log.ownId),
      loneFacilitator: viewerIsFacilitator && state.facilitators.size === 1 && state.members.size > 1,
      autoAdmit: state.settings.autoAdmit,
      shareHistory: state.settings.history,
      invites: this.held
        .filter((held) => {
          const invite = state.invites.get(held.inviteKey);
          return invite !== undefined && inviteProblem(invite, now) === undefined;
        })
        .map(({ inviteKey, expiresAt }) => ({ inviteKey, expiresAt })),
      atDoor: [...this.hosts].flatMap(([inviteKey, host]) => host.atDoor.map((join) => ({ ...join, inviteKey }))),
    };
  }

  /** A new one-time invite: logged by this facilitator, hosted from this device, as a link. */
  async createInvite(appUrl: string): Promise<{ ok: true; link: string } | { ok: false; message: string }> {
    const { log, record } = this.input;
    const { invite, keys } = newOneTimeInvite(record().groupId);
    const expiresAt = this.input.now() + (log.membership.settings.autoAdmit ? AUTO_ADMIT_INVITE_MS : INVITE_LIFETIME_MS);
    const logged = await logInvite(log, { inviteKey: keys.inviteKey, expiresAt, uses: 1 });
    if (!logged.ok) return { ok: false, message: MESSAGES.notFacilitator };
    const held: HeldInvite = { seed: toBase64Url(invite.seed), inviteKey: keys.inviteKey, expiresAt };
    this.held = [...this.held.filter((i) => i.expiresAt > this.input.now()), held];
    const saved = await this.input.store.setSetting(invitesKey(record().id), this.held);
    if (!saved.ok) this.input.problem(saved.error.code, saved.error.message);
    this.host(held);
    // The list of open invites now holds this one (the log's change may have refreshed the screen before).
    this.input.changed();
    return { ok: true, link: appUrl.split('#')[0] + encodeOneTimeInvite(invite) };
  }

  async admit(member: string): Promise<{ ok: boolean; message?: string }> {
    for (const host of this.hosts.values()) {
      if (!host.atDoor.some((join) => join.member === member)) continue;
      const admitted = await host.admit(member);
      this.input.changed();
      return admitted.ok ? { ok: true } : { ok: false, message: admitted.reason === 'not-agreed' ? MESSAGES.notAgreed : MESSAGES.notAdmitted };
    }
    return { ok: false, message: MESSAGES.notAdmitted };
  }

  /**
   * Whether a joiner proving `inviteKey` at the venue may ask (undefined), or why not: a used,
   * expired or withdrawn invite says so (only its seed's holder can have proven it); a valid
   * one is answered only if this device hosts it.
   */
  readonly venueInviteStatus = (inviteKey: string): VenueInviteRefusal | undefined => {
    const invite = this.input.log.membership.invites.get(inviteKey);
    if (!invite) return 'unknown-invite';
    return inviteProblem(invite, this.input.now()) ?? (this.hosts.has(inviteKey) ? undefined : 'unknown-invite');
  };

  /** Opens (a venue port) or closes (undefined) the venue door of every invite this device hosts. */
  attachVenue(venue: VenuePort | undefined): void {
    this.venue = venue;
    for (const [inviteKey, entry] of this.hubs) this.attachVenueTo(inviteKey, entry);
  }

  private attachVenueTo(inviteKey: string, entry: { hub: RendezvousHub; venue?: RendezvousPort }): void {
    if (entry.venue) entry.hub.remove(entry.venue);
    entry.venue = this.venue?.inviteRendezvous?.(inviteKey);
    if (entry.venue) entry.hub.add(entry.venue);
  }

  decline(member: string): void {
    for (const host of this.hosts.values()) host.decline(member);
  }

  async revoke(inviteKey: string): Promise<{ ok: boolean; message?: string }> {
    const revoked = await revokeInvite(this.input.log, inviteKey);
    this.hosts.get(inviteKey)?.destroy();
    this.hosts.delete(inviteKey);
    this.hubs.delete(inviteKey);
    this.input.changed();
    return revoked.ok ? { ok: true } : { ok: false, message: MESSAGES.notFacilitator };
  }

  async remove(member: string): Promise<{ ok: boolean; message?: string }> {
    const removed = await removeMember(this.input.log, member);
    return removed.ok ? { ok: true } : { ok: false, message: MESSAGES.notFacilitator };
  }

  /** Writes this device's `leave` (the others then start a new epoch); false when it is not a member. */
  async leave(): Promise<boolean> {
    const { log } = this.input;
    if (!log.membership.managed || !log.membership.members.has(log.ownId)) return false;
    return (await leaveGroup(log)).ok;
  }

  /** Turns automatic admission on or off for the group (a facilitator's setting, logged for every device). */
  async setAutoAdmit(on: boolean): Promise<{ ok: boolean; message?: string }> {
    const changed = await changeSettings(this.input.log, { autoAdmit: on });
    this.input.changed();
    return changed.ok ? { ok: true } : { ok: false, message: MESSAGES.notFacilitator };
  }

  /** Lets newcomers read the board's history, or only what is written after they join (membershipOps.admitMember). */
  async setShareHistory(on: boolean): Promise<{ ok: boolean; message?: string }> {
    const changed = await changeSettings(this.input.log, { history: on });
    this.input.changed();
    return changed.ok ? { ok: true } : { ok: false, message: MESSAGES.notFacilitator };
  }

  async appoint(member: string): Promise<{ ok: boolean; message?: string }> {
    const appointed = await appointFacilitator(this.input.log, member);
    return appointed.ok ? { ok: true } : { ok: false, message: MESSAGES.notFacilitator };
  }

  /** What an admitted joiner receives besides the secrets. */
  welcome(): Omit<Welcome, 'epochs'> {
    const record = this.input.record();
    return { creatorId: this.input.log.creatorId ?? '', name: this.input.offer().name, ...(record.salt ? { salt: toBase64Url(record.salt) } : {}) };
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.repairTimer);
    for (const host of this.hosts.values()) host.destroy();
    this.hosts.clear();
    this.hubs.clear();
  }

  private host(held: HeldInvite): void {
    const { createRendezvous, log, record } = this.input;
    const seed = fromBase64Url(held.seed);
    const invite = log.membership.invites.get(held.inviteKey);
    if (!createRendezvous || !seed.ok || this.hosts.has(held.inviteKey) || (invite && inviteProblem(invite, this.input.now()))) return;
    const keys = inviteKeys(seed.bytes);
    const hub = new RendezvousHub();
    hub.add(createRendezvous(keys.rendezvousRoom, keys.rendezvousPassword));
    const entry: { hub: RendezvousHub; venue?: RendezvousPort } = { hub };
    this.hubs.set(held.inviteKey, entry);
    this.attachVenueTo(held.inviteKey, entry);
    const host = new InviteHost(
      hub,
      seed.bytes,
      {
        log,
        groupId: record().groupId,
        ownId: log.ownId,
        offer: this.input.offer,
        welcome: () => this.welcome(),
        now: this.input.now,
        autoAdmit: () => {
          const state = log.membership;
          const invite = state.invites.get(held.inviteKey);
          return state.settings.autoAdmit && state.facilitators.has(log.ownId) && invite !== undefined && invite.lifetime <= AUTO_ADMIT_INVITE_MS;
        },
      },
      this.input.changed,
    );
    this.hosts.set(held.inviteKey, host);
  }
}

export const MESSAGES = {
  notFacilitator: 'Only a facilitator of this group can do that.',
  notAgreed: 'They have not agreed to the group’s guidelines yet.',
  notAdmitted: 'That person could not be let in. The invite may have been used, withdrawn or expired.',
} as const;
