import { VENUE_PROBLEM_MESSAGES, type VenueProblem } from '../sync/venueSession.js';
import type { VenueInviteRefusal } from '../sync/venueMessages.js';
import type { RendezvousPort } from '../sync/rendezvous.js';
import type { JoinerVenuePort } from './ports.js';
import type { VenueJoinView } from './state.js';
import { takeVenueCode } from './venueFlow.js';

export interface VenueJoinHost {
  show(view: VenueJoinView): void;
  /** The facilitator's device refused the invite over the venue link (used, expired, withdrawn). */
  refused(reason: VenueInviteRefusal): void;
  /** Logs a problem by its code only. */
  warn(code: string): void;
}

/**
 * A newcomer asking to join at a meeting without internet (PROTOCOL §12.3): its invite-mode
 * venue session answers the code scanned from the facilitator's phone, shows the answer code
 * back, and carries the invite handshake (the rendezvous `start` returns, for InviteGuest).
 * Once welcomed, `handOver` gives the session to the group, whose link it becomes.
 */
export class VenueJoin {
  private port: JoinerVenuePort | undefined;
  private view: VenueJoinView = { busy: false };

  constructor(private readonly host: VenueJoinHost) {}

  start(port: JoinerVenuePort, inviteKey: string): RendezvousPort {
    this.end();
    this.port = port;
    port.on('refused', this.onRefused);
    port.on('problem', this.onProblem);
    this.update({ busy: false, code: undefined, shortCode: undefined, message: undefined });
    return port.inviteRendezvous(inviteKey);
  }

  /** The facilitator's code, read by the camera or pasted. */
  async takeCode(text: string, from: 'camera' | 'paste'): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.update({ busy: true, message: undefined });
    const taken = await takeVenueCode(port, text, from);
    if (this.port !== port) return;
    if (!taken.ok) {
      this.host.warn(taken.problem);
      return this.update({ busy: false, message: taken.message });
    }
    this.update({ busy: false, shortCode: taken.shortCode, code: taken.answer });
  }

  get active(): boolean {
    return this.port !== undefined;
  }

  /** The welcomed newcomer's session, for the group to go on with; this flow lets go of it. */
  handOver(): JoinerVenuePort | undefined {
    const port = this.port;
    this.detach();
    return port;
  }

  /** Closes the newcomer's venue link (they left the join screen, or the handshake ended without a welcome). */
  end(): void {
    const port = this.port;
    this.detach();
    port?.close();
  }

  private detach(): void {
    this.port?.off('refused', this.onRefused);
    this.port?.off('problem', this.onProblem);
    this.port = undefined;
  }

  private readonly onRefused = (reason: VenueInviteRefusal): void => this.host.refused(reason);

  /** The one link failed or was closed: say why, and offer the scan again. */
  private readonly onProblem = (problem: string): void => {
    this.host.warn(problem);
    this.update({ busy: false, code: undefined, shortCode: undefined, message: VENUE_PROBLEM_MESSAGES[problem as VenueProblem] ?? VENUE_PROBLEM_MESSAGES.failed });
  };

  private update(patch: Partial<VenueJoinView>): void {
    const next = { ...this.view, ...patch };
    for (const key of Object.keys(patch) as (keyof VenueJoinView)[]) if (patch[key] === undefined) delete next[key];
    this.view = next;
    this.host.show(next);
  }
}
