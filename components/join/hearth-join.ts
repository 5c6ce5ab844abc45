import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { GroupFocus } from '../../src/model/schema.js';
import '../agreement/hearth-agreement.js';
import type { HearthAgreement } from '../agreement/hearth-agreement.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import { checkDisplayName } from '../validation.js';

/**
 * Confirming an invite: which group it is for, its focus, guidelines and the confidentiality
 * every member agrees to (<hearth-agreement>), a display name when this device has none yet,
 * and "Join group".
 *
 * @fires hearth-intent - `accept-invite` (with `displayName` when one was asked for); `navigate` away on "Not now".
 * @csspart form - the join form.
 */
@customElement('hearth-join')
export class HearthJoin extends HearthElement {
  static override styles = theme;

  /** The group's name as the invite carries it (shown as text). */
  @property() groupName = '';
  /** True when this device has no display name yet, so the form asks for one. */
  @property({ type: Boolean }) needsName = false;
  /** The group's focus and guidelines, once the joiner can read them (today's invite carries neither). */
  @property({ attribute: false }) groupFocus?: GroupFocus;
  @property({ attribute: false }) guidelines?: string;

  @state() private error?: string;
  @state() private agreeError?: string;

  override render() {
    return html`
      <h1 tabindex="-1">You've been invited to <bdi>${this.groupName}</bdi></h1>
      <p>
        Joining adds this group's board to this device. Everything stays encrypted here, and you'll see the posts once
        someone from the group is online.
      </p>
      <form part="form" class="card" novalidate autocomplete="off" @submit=${this.onSubmit}>
        <hearth-agreement
          .agreement=${{ groupName: this.groupName, ...(this.groupFocus ? { focus: this.groupFocus } : {}), ...(this.guidelines ? { guidelines: this.guidelines } : {}) }}
          .error=${this.agreeError}
          @hearth-agreement-change=${this.onAgreementChange}
        ></hearth-agreement>
        ${this.needsName
          ? html`<div class="field">
              <label for="name">Display name</label>
              <p class="hint" id="name-hint">This is how the group will see you. A first name or a nickname is fine.</p>
              <input
                id="name"
                autocomplete="off"
                aria-describedby=${this.error ? 'name-hint name-error' : 'name-hint'}
                aria-invalid=${this.error ? 'true' : 'false'}
                @input=${this.onNameInput}
              />
              ${this.error ? html`<p class="error" id="name-error">${this.error}</p>` : null}
            </div>`
          : null}
        <div class="actions">
          <button class="primary" type="submit">Join group</button>
          <button type="button" @click=${this.notNow}>Not now</button>
        </div>
      </form>
    `;
  }

  private get agreementStep(): HearthAgreement {
    return this.renderRoot.querySelector('hearth-agreement')!;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#name');
    this.error = input ? checkDisplayName(input.value) : undefined;
    this.agreeError = this.agreementStep.agreed ? undefined : 'Please tick the box to agree before joining.';
    if (this.agreeError) return this.agreementStep.focus();
    if (this.error) return input!.focus();
    this.emit({ type: 'accept-invite', agreed: true, ...(input ? { displayName: input.value.trim() } : {}) });
  }

  /** An error goes as soon as what it asked for is done. */
  private onAgreementChange(): void {
    if (this.agreementStep.agreed) this.agreeError = undefined;
  }

  private onNameInput(event: Event): void {
    if (this.error) this.error = checkDisplayName((event.target as HTMLInputElement).value);
  }

  private notNow(): void {
    this.emit({ type: 'navigate', route: { name: this.needsName ? 'welcome' : 'groups' } });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-join': HearthJoin;
  }
}
