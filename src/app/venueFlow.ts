import {
  VENUE_CODE_MESSAGES,
  encodeVenueCode,
  venueCodeFromQrText,
  venueCodeFromText,
  venueCodeQrText,
  venueCodeText,
} from '../sync/venueCode.js';
import { VENUE_PROBLEM_MESSAGES, type VenueProblem } from '../sync/venueSession.js';
import type { GroupRuntime } from './groupRuntime.js';
import type { JoinerVenuePort, VenuePort } from './ports.js';
import type { VenueView } from './state.js';

export interface VenueFlowHost {
  /** The open group, or undefined. */
  runtime(): GroupRuntime | undefined;
  show(view: VenueView | undefined): void;
  /** Logs a problem by its code only. */
  warn(code: string): void;
}

/**
 * The app side of a meeting without internet: opens the open group's venue session, turns
 * codes into what the screen shows (QR text, copy text, short code) and the screen's scans and
 * pastes back into codes. The venue links stay up while the person reads the board, until
 * `end`, or until the group is closed.
 */
export class VenueFlow {
  private venue: { port: VenuePort; runtime: GroupRuntime } | undefined;
  private view: VenueView | undefined;

  constructor(private readonly host: VenueFlowHost) {}

  /**
   * Opens (or keeps) the venue session of the open group and shows its screen; `joinedOver`: the
   * newcomer's venue session it was just admitted over, which goes on as this group's.
   */
  open(joinedOver?: JoinerVenuePort): boolean {
    const runtime = this.host.runtime();
    if (!runtime) return false;
    if (this.venue?.runtime !== runtime) {
      this.end();
      const port = runtime.session.openVenue(runtime.isMember, runtime.membership.venueInviteStatus, joinedOver);
      // A newcomer with one of this device's invites can ask to join over the venue links (§12.3).
      runtime.membership.attachVenue(port);
      port.on('peers', this.refreshPeers);
      port.on('problem', this.onProblem);
      this.venue = { port, runtime };
      this.update({ groupId: runtime.record.id, groupName: runtime.screen('all').group.name, peers: [], busy: false });
    }
    return true;
  }

  /** A fresh code to let the next person in. */
  async showCode(): Promise<void> {
    const venue = this.venue;
    if (!venue) return;
    this.update({ busy: true, message: undefined, shortCode: undefined });
    const result = await venue.port.createOffer();
    if (this.venue !== venue) return;
    if (!result.ok) {
      this.host.warn(result.problem);
      return this.update({ busy: false, code: undefined, message: result.message });
    }
    this.update({ busy: false, code: { kind: 'offer', qr: venueCodeQrText(result.code), copy: venueCodeText(result.code) } });
  }

  /** A code the camera read or the person pasted. */
  async takeCode(text: string, from: 'camera' | 'paste'): Promise<void> {
    const venue = this.venue;
    if (!venue) return;
    this.update({ busy: true, message: undefined });
    const taken = await takeVenueCode(venue.port, text, from);
    if (this.venue !== venue) return;
    if (!taken.ok) {
      this.host.warn(taken.problem);
      return this.update({ busy: false, message: taken.message });
    }
    this.update({ busy: false, shortCode: taken.shortCode, code: taken.answer ? { kind: 'answer', ...taken.answer } : undefined });
  }

  /** Closes every venue link; ordinary sync goes on. */
  end(): void {
    const venue = this.venue;
    this.venue = undefined;
    if (venue) {
      venue.port.off('peers', this.refreshPeers);
      venue.port.off('problem', this.onProblem);
      venue.runtime.membership.attachVenue(undefined);
      venue.runtime.session.closeVenue();
    }
    this.view = undefined;
    this.host.show(undefined);
  }

  /** A refused or failed connection: the screen says so (a stranger's scan shows up here). */
  private readonly onProblem = (problem: string): void => {
    this.host.warn(problem);
    this.update({ message: VENUE_PROBLEM_MESSAGES[problem as VenueProblem] ?? VENUE_PROBLEM_MESSAGES.failed });
  };

  /**
   * The linked peers with their names: on each change of links, and on board changes (a
   * newcomer admitted at the venue has a name only once their member record arrives).
   */
  readonly refreshPeers = (): void => {
    const venue = this.venue;
    if (!venue) return;
    const peers = venue.port.peers().map((peer) => ({ displayName: venue.runtime.memberName(peer.authorId) ?? 'A member', shortCode: peer.shortCode }));
    if (JSON.stringify(peers) !== JSON.stringify(this.view?.peers)) this.update({ peers });
  };

  private update(patch: Partial<VenueView>): void {
    if (!this.view && !patch.groupId) return;
    const next = { ...this.view, ...patch } as VenueView;
    for (const key of Object.keys(patch) as (keyof VenueView)[]) if (patch[key] === undefined) delete next[key];
    this.view = next;
    this.host.show(next);
  }
}

/**
 * A venue code the camera read or the person pasted, handed to `port`: the short code both
 * screens show, and when it was an offer, the answer to show back (as QR text and copy text).
 */
export async function takeVenueCode(
  port: VenuePort,
  text: string,
  from: 'camera' | 'paste',
): Promise<{ ok: true; shortCode: string; answer?: { qr: string; copy: string } } | { ok: false; problem: string; message: string }> {
  const decoded = from === 'camera' ? venueCodeFromQrText(text) : venueCodeFromText(text);
  if (!decoded.ok) return { ok: false, problem: `code-${decoded.error}`, message: VENUE_CODE_MESSAGES[decoded.error] };
  const result = await port.acceptCode(encodeVenueCode(decoded.code));
  if (!result.ok) return result;
  return { ok: true, shortCode: result.shortCode, ...(result.answer ? { answer: { qr: venueCodeQrText(result.answer), copy: venueCodeText(result.answer) } } : {}) };
}
