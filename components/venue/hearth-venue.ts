import { html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { MembershipView, VenueView } from '../../src/app/state.js';
import { HearthElement } from '../hearth-element.js';
import '../invite/hearth-at-door.js';
import { theme } from '../theme.js';
import { venueStyles } from './venueStyles.js';
import './hearth-code-scan.js';
import './hearth-venue-code.js';

/**
 * A meeting without internet: show a code for the next person, scan theirs (or the host's),
 * compare the short code, copy or paste a code where there is no camera, see who is linked.
 * A facilitator also invites a newcomer here and lets them in over the venue links.
 *
 * @fires hearth-intent - `venue-show-code`, `venue-take-code` (from <hearth-code-scan>), `venue-end`,
 *   `admit-join`/`decline-join` (from <hearth-at-door>), `navigate` to the invite screen or back to the board.
 */
@customElement('hearth-venue')
export class HearthVenue extends HearthElement {
  static override styles = [
    theme,
    venueStyles,
  ];

  /** The venue screen's state, from the app. */
  @property({ attribute: false }) venue!: VenueView;
  /** This device may make invites (a facilitator of a group with a membership log). */
  @property({ type: Boolean }) canInvite = false;
  /** Newcomers asking to join through this device's invites, over the venue links or online. */
  @property({ attribute: false }) atDoor: MembershipView['atDoor'] = [];

  override render() {
    const { venue } = this;
    const code = venue.code;
    return html`
      <h1 tabindex="-1">Meeting without internet</h1>
      <p>
        Phones connect to each other directly: no internet, no server. Every phone needs Hearth installed and
        <bdi>${venue.groupName}</bdi> on it already, and all must be on the same local network — the venue's Wi-Fi, or
        one phone's hotspot.
      </p>
      ${venue.message ? html`<p class="error" role="alert">${venue.message}</p>` : null}
      ${venue.shortCode
        ? html`<p role="status">Check that both phones show the same code: <strong class="short-code">${venue.shortCode}</strong></p>`
        : null}
      <section aria-labelledby="show-heading">
        <h2 id="show-heading">Let someone in</h2>
        <p class="hint">Show them a code to scan, then scan the code their phone shows back.</p>
        <button class="primary" type="button" ?disabled=${venue.busy} @click=${() => this.emit({ type: 'venue-show-code' })}>
          Show a code to scan
        </button>
      </section>
      ${code ? this.renderCode(code) : null}
      <section aria-labelledby="scan-heading">
        <h2 id="scan-heading">Scan a code</h2>
        <hearth-code-scan ?busy=${venue.busy}></hearth-code-scan>
      </section>
      ${this.canInvite || this.atDoor.length > 0
        ? html`<section aria-labelledby="new-heading">
            <h2 id="new-heading">Someone new</h2>
            <p class="hint">
              Give them an invite, then show them a code to scan. Once they agree to the guidelines, let them in here if the code on
              their screen matches.
            </p>
            <hearth-at-door .atDoor=${this.atDoor}></hearth-at-door>
            ${this.canInvite
              ? html`<button type="button" @click=${() => this.emit({ type: 'navigate', route: { name: 'invite', groupId: venue.groupId } })}>
                  Invite someone new
                </button>`
              : null}
          </section>`
        : null}
      <section aria-labelledby="here-heading">
        <h2 id="here-heading">Connected here</h2>
        ${venue.peers.length === 0
          ? html`<p>No one yet.</p>`
          : html`<ul>
              ${venue.peers.map((peer) => html`<li><bdi>${peer.displayName}</bdi> <span class="hint">(code ${peer.shortCode})</span></li>`)}
            </ul>`}
      </section>
      <div class="row">
        <button type="button" @click=${() => this.emit({ type: 'navigate', route: { name: 'board', groupId: venue.groupId } })}>
          Back to the board
        </button>
        <button type="button" @click=${() => this.emit({ type: 'venue-end' })}>End meeting without internet</button>
      </div>
    `;
  }

  private renderCode(code: NonNullable<VenueView['code']>) {
    const label = code.kind === 'offer' ? 'Meeting code for them to scan' : 'Answer code for the other phone to scan';
    return html`<section aria-labelledby="code-heading">
      <h2 id="code-heading">${code.kind === 'offer' ? 'Your code' : 'Now show them this code'}</h2>
      <hearth-venue-code .code=${code} label=${label}></hearth-venue-code>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-venue': HearthVenue;
  }
}
