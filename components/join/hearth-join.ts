import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import { checkDisplayName } from '../validation.js';

/**
 * Confirming an invite: which group it is for, a display name when this device has none yet,
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

  @state() private error?: string;

  override render() {
    return html`
      <h1 tabindex="-1">You've been invited to <bdi>${this.groupName}</bdi></h1>
      <p>
        Joining adds this group's board to this device. Everything stays encrypted here, and you'll see the posts once
        someone from the group is online.
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

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (!this.needsName) return this.emit({ type: 'accept-invite' });
    const input = this.renderRoot.querySelector<HTMLInputElement>('#name')!;
    this.error = checkDisplayName(input.value);
    if (this.error) return input.focus();
    this.emit({ type: 'accept-invite', displayName: input.value.trim() });
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
