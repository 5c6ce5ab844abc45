import { css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { MembershipView } from '../../src/app/state.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';

/**
 * People asking to join through this device's invites, each with the code their screen shows
 * and a way to let them in once they agreed (on the invite screen and at a meeting without internet).
 *
 * @fires hearth-intent - `admit-join`, `decline-join`.
 */
@customElement('hearth-at-door')
export class HearthAtDoor extends HearthElement {
  static override styles = [
    theme,
    css`
      .plain {
        list-style: none;
        padding: 0;
      }
    `,
  ];

  @property({ attribute: false }) atDoor: MembershipView['atDoor'] = [];

  override render() {
    if (this.atDoor.length === 0) return html`<p class="hint">Nobody yet.</p>`;
    return html`<ul class="plain">
      ${this.atDoor.map(
        (join) => html`<li class="card">
          <p><bdi>${join.displayName}</bdi> — code <strong>${join.code}</strong></p>
          <p class="hint">${join.agreed ? 'They agreed to the guidelines. Let them in if their code matches.' : 'Reading the group’s guidelines…'}</p>
          <div class="actions">
            <button class="primary" type="button" ?disabled=${!join.agreed} @click=${() => this.emit({ type: 'admit-join', member: join.member })}>
              Let <bdi>${join.displayName}</bdi> in
            </button>
            <button type="button" @click=${() => this.emit({ type: 'decline-join', member: join.member })}>Not now</button>
          </div>
        </li>`,
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-at-door': HearthAtDoor;
  }
}
