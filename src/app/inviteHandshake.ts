import { fromBase64Url, sign, toBase64Url, verify, type DeviceIdentity } from '../../crypto/index.js';
import type { GroupLog } from '../log/groupLog.js';
import { admitMember } from '../log/membershipOps.js';
import {
  checkJoinRequest,
  inviteKeys,
  makeJoinRequest,
  openSealedJson,
  sealJsonTo,
  shortCode,
  type InviteOffer,
  type JoinRefusal,
  type JoinRequest,
  type OneTimeInvite,
  type Welcome,
} from '../sync/oneTimeInvite.js';
import type { RendezvousPort } from '../sync/rendezvous.js';

/**
 * The invite handshake (docs/PROTOCOL.md §5) on both sides of a rendezvous. The joiner asks
 * with a request signed by the invite key; the facilitator's device checks it against the
 * membership log and answers with the group's details sealed to the joiner; the joiner agrees;
 * a facilitator admits (after comparing the short code) and the welcome, sealed to the joiner,
 * carries the epoch secrets. Whatever a peer in the room says is checked; nothing throws.
 */

const agreeBytes = (inviteKey: string, facilitator: string): Uint8Array => new TextEncoder().encode(`hearth-agree-v3\n${inviteKey}\n${facilitator}`);

/** A joiner waiting at the facilitator's door. */
export interface JoinAtDoor {
  member: string;
  displayName: string;
  code: string;
  agreed: boolean;
}

/** The facilitator's side, for one invite: answers joiners, admits on request. */
export class InviteHost {
  private readonly requests = new Map<string, { request: JoinRequest; agreed: boolean }>();
  private readonly offers: Record<string, string> = {};
  private readonly welcomes: Record<string, string> = {};
  private readonly refusals: Record<string, JoinRefusal> = {};
  /** Joiners being let in automatically now: one admission each, however often the room speaks meanwhile. */
  private readonly admitting = new Set<string>();
  readonly inviteKey: string;

  constructor(
    private readonly rendezvous: RendezvousPort,
    seed: Uint8Array,
    private readonly group: {
      log: GroupLog;
      groupId: Uint8Array;
      ownId: string;
      offer(): Omit<InviteOffer, 'facilitator'>;
      welcome(): Omit<Welcome, 'epochs'>;
      now(): number;
      /** Whether an agreed joiner is let in without a facilitator comparing the code (the group's setting, a short invite). */
      autoAdmit(): boolean;
    },
    private readonly changed: () => void,
  ) {
    this.inviteKey = inviteKeys(seed).inviteKey;
    rendezvous.on('states', () => this.hear());
    this.publish();
    this.hear();
  }

  get atDoor(): JoinAtDoor[] {
    return [...this.requests.values()].map(({ request, agreed }) => ({
      member: request.member,
      displayName: request.displayName,
      code: shortCode(this.inviteKey, request.member, this.group.ownId),
      agreed,
    }));
  }

  /** Admits a joiner who agreed: the admission goes in the log, the welcome to the joiner. */
  async admit(member: string): Promise<{ ok: true } | { ok: false; reason: JoinRefusal | 'not-agreed' | 'not-allowed' }> {
    const waiting = this.requests.get(member);
    if (!waiting?.agreed) return { ok: false, reason: 'not-agreed' };
    const checked = checkJoinRequest(waiting.request, this.group.groupId, this.group.log.membership, this.group.now());
    if (!checked.ok) return this.refuse(member, checked.refusal);
    const { outcome, secrets } = await admitMember(this.group.log, { member, boxKey: waiting.request.boxKey, invite: this.inviteKey });
    if (!outcome.ok) return { ok: false, reason: 'not-allowed' };
    const welcome = sealJsonTo({ ...this.group.welcome(), epochs: secrets.map(({ epoch, secret }) => ({ epoch, secret: toBase64Url(secret) })) }, waiting.request.boxKey);
    if (welcome) this.welcomes[member] = welcome;
    this.requests.delete(member);
    this.publish();
    this.changed();
    return { ok: true };
  }

  decline(member: string): void {
    this.requests.delete(member);
    delete this.offers[member];
    this.changed();
  }

  destroy(): void {
    this.rendezvous.destroy();
  }

  private refuse(member: string, refusal: JoinRefusal): { ok: false; reason: JoinRefusal } {
    this.refusals[member] = refusal;
    this.requests.delete(member);
    this.publish();
    this.changed();
    return { ok: false, reason: refusal };
  }

  private hear(): void {
    let changed = false;
    for (const state of this.rendezvous.states()) {
      const { join, agree } = (state ?? {}) as { join?: unknown; agree?: unknown };
      const member = (join as Partial<JoinRequest> | undefined)?.member;
      if (typeof member !== 'string' || this.welcomes[member] || this.refusals[member]) continue;
      if (!this.requests.has(member)) {
        const checked = checkJoinRequest(join, this.group.groupId, this.group.log.membership, this.group.now());
        if (!checked.ok || checked.request.inviteKey !== this.inviteKey) {
          this.refuse(member, checked.ok ? 'unknown-invite' : checked.refusal);
          continue;
        }
        const offer = sealJsonTo({ ...this.group.offer(), facilitator: this.group.ownId }, checked.request.boxKey);
        if (!offer) continue;
        this.offers[member] = offer;
        this.requests.set(member, { request: checked.request, agreed: false });
        changed = true;
      }
      const waiting = this.requests.get(member)!;
      const sig = typeof agree === 'string' ? fromBase64Url(agree) : undefined;
      const key = fromBase64Url(member);
      if (!waiting.agreed && sig?.ok && key.ok && verify(sig.bytes, agreeBytes(this.inviteKey, this.group.ownId), key.bytes)) {
        waiting.agreed = true;
        changed = true;
      }
    }
    if (changed) {
      this.publish();
      this.changed();
    }
    if (this.group.autoAdmit()) for (const [member, { agreed }] of this.requests) if (agreed && !this.admitting.has(member)) void this.admitNow(member);
  }

  private async admitNow(member: string): Promise<void> {
    this.admitting.add(member);
    try {
      await this.admit(member);
    } finally {
      this.admitting.delete(member);
    }
  }

  private publish(): void {
    this.rendezvous.publish({ v: 3, host: this.group.ownId, offers: { ...this.offers }, welcomes: { ...this.welcomes }, refusals: { ...this.refusals } });
  }
}

export type GuestStage =
  | { stage: 'asking' }
  | { stage: 'offered'; offer: InviteOffer; code: string }
  | { stage: 'agreed'; offer: InviteOffer; code: string }
  | { stage: 'welcomed'; welcome: Welcome }
  | { stage: 'refused'; refusal: JoinRefusal };

/** The joiner's side: asks, reads the offer, agrees, and takes the welcome. */
export class InviteGuest {
  stage: GuestStage = { stage: 'asking' };
  private readonly request: JoinRequest;

  constructor(
    private readonly rendezvous: RendezvousPort,
    invite: OneTimeInvite,
    private readonly identity: DeviceIdentity,
    displayName: string,
    now: number,
    private readonly changed: (stage: GuestStage) => void,
  ) {
    this.request = makeJoinRequest(invite, identity, displayName, now);
    rendezvous.on('states', () => this.hear());
    rendezvous.publish({ v: 3, join: this.request });
    this.hear();
  }

  agree(): void {
    if (this.stage.stage !== 'offered') return;
    const sig = sign(agreeBytes(this.request.inviteKey, this.stage.offer.facilitator), this.identity.signSecretKey);
    this.stage = { ...this.stage, stage: 'agreed' };
    this.rendezvous.publish({ v: 3, join: this.request, agree: toBase64Url(sig) });
    this.changed(this.stage);
  }

  destroy(): void {
    this.rendezvous.destroy();
  }

  private hear(): void {
    const me = this.request.member;
    for (const state of this.rendezvous.states()) {
      const { host, offers, welcomes, refusals } = (state ?? {}) as Record<string, Record<string, unknown> | undefined>;
      if (typeof host !== 'string') continue;
      const welcome = openSealedJson<Welcome>(welcomes?.[me], this.identity);
      if (welcome && isWelcome(welcome) && this.stage.stage === 'agreed' && this.stage.offer.facilitator === host) {
        this.stage = { stage: 'welcomed', welcome };
        return this.changed(this.stage);
      }
      const refusal = refusals?.[me];
      if (typeof refusal === 'string' && this.stage.stage === 'asking') {
        this.stage = { stage: 'refused', refusal: refusal as JoinRefusal };
        return this.changed(this.stage);
      }
      const offer = openSealedJson<InviteOffer>(offers?.[me], this.identity);
      if (offer && isOffer(offer) && offer.facilitator === host && this.stage.stage === 'asking') {
        this.stage = { stage: 'offered', offer, code: shortCode(this.request.inviteKey, me, host) };
        return this.changed(this.stage);
      }
    }
  }
}

function isOffer(v: InviteOffer): boolean {
  return typeof v.name === 'string' && v.name.length <= 80 && typeof v.facilitator === 'string' && (v.guidelines === undefined || typeof v.guidelines === 'string');
}

function isWelcome(v: Welcome): boolean {
  return (
    typeof v.creatorId === 'string' &&
    typeof v.name === 'string' &&
    Array.isArray(v.epochs) &&
    v.epochs.length > 0 &&
    v.epochs.every((e) => Number.isInteger(e?.epoch) && typeof e.secret === 'string' && fromBase64Url(e.secret).ok)
  );
}
