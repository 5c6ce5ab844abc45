import { html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { VenueJoinView } from '../../src/app/state.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import { venueStyles } from './venueStyles.js';
import './hearth-code-scan.js';
import './hearth-venue-code.js';

/**
 * A newcomer joining at a meeting without internet: scan the code on the facilitator's phone,
 * show the answer code back, then wait while the phones connect.
 *
 * @fires hearth-intent - `venue-take-code` (from <hearth-code-scan>); `navigate` away on "Not now".
 */
@customElement('hearth-venue-join')
export class HearthVenueJoin extends HearthElement {
  static override styles = [
    theme,
    venueStyles,
  ];

  @property({ attribute: false }) venue!: VenueJoinView;
  /** Where "Not now" leads: the welcome screen when this device has no name yet. */
  @property() back: 'welcome' | 'groups' = 'groups';

  override render() {
    const { venue } = this;
    return html`<h1 tabindex="-1">Join at the meeting</h1>
      <p>
        No internet needed: your phone connects straight to the facilitator's phone. Both need to be on the same local network — the
        venue's Wi-Fi, or one phone's hotspot.
      </p>
      ${venue.message ? html`<p class="error" role="alert">${venue.message}</p>` : null}
      ${venue.code
        ? html`<section aria-labelledby="answer-heading">
            <h2 id="answer-heading">Now show the facilitator this code</h2>
            ${venue.shortCode
              ? html`<p role="status">Check that both phones show the same code: <strong class="short-code">${venue.shortCode}</strong></p>`
              : null}
            <hearth-venue-code .code=${venue.code} label="Answer code for the facilitator to scan"></hearth-venue-code>
            <p class="hint" role="status">Once they scan it, the group's guidelines appear here.</p>
          </section>`
        : html`<section aria-labelledby="scan-heading">
            <h2 id="scan-heading">Scan the facilitator's code</h2>
            <p class="hint">Ask the facilitator to show a code for you on their phone.</p>
            <hearth-code-scan ?busy=${venue.busy}></hearth-code-scan>
          </section>`}
      <button type="button" @click=${() => this.emit({ type: 'navigate', route: { name: this.back } })}>Not now</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-venue-join': HearthVenueJoin;
  }
}
