import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { GroupFocus } from '../../src/model/schema.js';
import '../agreement/hearth-agreement.js';
import '../venue/hearth-venue-join.js';
import type { HearthAgreement } from '../agreement/hearth-agreement.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import { checkDisplayName } from '../validation.js';
import type { JoiningView } from '../../src/app/state.js';

/**
 * Joining with a one-time invite: a display name when this device has none yet and "Ask to
 * join"; then, once a facilitator's device answers, the group's focus, guidelines and the
 * confidentiality every member agrees to (<hearth-agreement>, a box to tick), the code to read to
 * the facilitator, and "I agree"; then waiting to be let in.
 *
 * @fires hearth-intent - `accept-invite` or `join-at-venue` (with `displayName` when one was asked for); `agree-invite`;
 *   `venue-take-code` (from <hearth-venue-join>); `navigate` away on "Not now".
 * @csspart form - the join form.
 */
@customElement('hearth-join')
export class HearthJoin extends HearthElement {
  static override styles = theme;

  /** The group's name as the invite carries it (shown as text). */
  @property() groupName = '';
  /** True when this device has no display name yet, so the form asks for one. */
  @property({ type: Boolean }) needsName = false;
  /** The handshake so far, once this device has asked to join. */
  @property({ attribute: false }) joining: JoiningView | undefined;

  @state() private error?: string;
  @state() private agreeError?: string;

  override render() {
    const joining = this.joining;
    if (joining?.stage === 'asking' && joining.venue) {
      return html`<hearth-venue-join .venue=${joining.venue} back=${this.needsName ? 'welcome' : 'groups'}></hearth-venue-join>`;
    }
    if (joining?.stage === 'asking') {
      return html`<h1 tabindex="-1">Asking to join</h1>
        <p role="status">Waiting for a facilitator of the group to answer. Keep this page open; it can take a moment.</p>
        <button type="button" @click=${this.notNow}>Not now</button>`;
    }
    if (joining) {
      return html`<h1 tabindex="-1">Join <bdi>${joining.groupName ?? 'the group'}</bdi>?</h1>
        <hearth-agreement
          .agreement=${{
            groupName: joining.groupName ?? '',
            ...(joining.focus ? { focus: joining.focus as GroupFocus } : {}),
            ...(joining.guidelines ? { guidelines: joining.guidelines } : {}),
          }}
          .error=${this.agreeError}
          @hearth-agreement-change=${this.onAgreementChange}
        ></hearth-agreement>
        <p>Your code: <strong class="code" aria-label="Your code ${(joining.code ?? '').split('').join(' ')}">${joining.code}</strong></p>
        <p class="hint">Read this code to the facilitator. They let you in once it matches the code on their screen.</p>
        ${joining.stage === 'offered'
          ? html`<div class="actions">
              <button class="primary" type="button" @click=${this.onAgree}>I agree</button>
              <button type="button" @click=${this.notNow}>Not now</button>
            </div>`
          : html`<p role="status">Thank you. Waiting for the facilitator to let you in…</p>`}`;
    }
    return html`
      <h1 tabindex="-1">You've been invited to ${this.groupName ? html`<bdi>${this.groupName}</bdi>` : 'a group'}</h1>
      <p>
        A facilitator of the group will be asked to let you in. Their device answers with the group's name and guidelines,
        and you both see a short code to compare. Everything stays encrypted on this device.
      </p>
      <form part="form" class="card" novalidate autocomplete="off" @submit=${this.onSubmit}>
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
          <button class="primary" type="submit">Ask to join</button>
          <button type="button" @click=${this.notNow}>Not now</button>
        </div>
        <p class="hint" id="venue-hint">At the meeting and no internet? Ask in person: you scan a code on the facilitator's phone.</p>
        <button type="button" aria-describedby="venue-hint" @click=${this.onJoinAtVenue}>Join here at the meeting</button>
      </form>
    `;
  }

  private get agreementStep(): HearthAgreement {
    return this.renderRoot.querySelector('hearth-agreement')!;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.ask('accept-invite');
  }

  private onJoinAtVenue(): void {
    this.ask('join-at-venue');
  }

  /** Asks online (`accept-invite`) or over a venue link (`join-at-venue`), with a name when one is needed. */
  private ask(type: 'accept-invite' | 'join-at-venue'): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#name');
    this.error = input ? checkDisplayName(input.value) : undefined;
    if (this.error) return input!.focus();
    this.emit({ type, ...(input ? { displayName: input.value.trim() } : {}) });
  }

  /** Agreeing needs the box ticked: the facilitator lets in only someone who agreed. */
  private onAgree(): void {
    this.agreeError = this.agreementStep.agreed ? undefined : 'Please tick the box to agree before joining.';
    if (this.agreeError) return this.agreementStep.focus();
    this.emit({ type: 'agree-invite', agreed: true });
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
