import { css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { HearthElement } from '../hearth-element.js';
import '../passphrase/hearth-passphrase.js';
import type { HearthPassphrase } from '../passphrase/hearth-passphrase.js';
import { theme } from '../theme.js';
import { checkDisplayName } from '../validation.js';

/**
 * First run: what Hearth is, what stays private, and a display name to start with.
 *
 * @fires hearth-intent - `choose-name` with the trimmed name, and a passphrase when the lock was chosen.
 * @csspart form - the name form.
 */
@customElement('hearth-welcome')
export class HearthWelcome extends HearthElement {
  static override styles = [
    theme,
    css`
      ul {
        padding-inline-start: 1.25rem;
        margin: 0 0 1.25rem;
      }
      li {
        margin-block-end: 0.35rem;
      }
      .check {
        margin-block-end: 0.75rem;
      }
    `,
  ];

  @state() private error?: string;
  @state() private locking = false;

  override render() {
    return html`
      <h1 tabindex="-1">Welcome to Hearth</h1>
      <p>Hearth is a quiet place for your group to share stories, encouragement and victories — between meetings and during them.</p>
      <ul>
        <li>No email, no phone number, no account.</li>
        <li>Everything is encrypted on your device before it goes anywhere.</li>
        <li>The people in your group see what you post. No one else can read it.</li>
      </ul>
      <form part="form" class="card" novalidate autocomplete="off" @submit=${this.onSubmit}>
        <div class="field">
          <label for="name">Display name</label>
          <p class="hint" id="name-hint">This is how your group will see you. A first name or a nickname is fine.</p>
          <input
            id="name"
            name="name"
            autocomplete="off"
            aria-describedby=${this.error ? 'name-hint name-error' : 'name-hint'}
            aria-invalid=${this.error ? 'true' : 'false'}
            @input=${(event: Event) => this.error && (this.error = checkDisplayName((event.target as HTMLInputElement).value))}
          />
          ${this.error ? html`<p class="error" id="name-error">${this.error}</p>` : null}
        </div>
        <label class="check"
          ><input type="checkbox" .checked=${this.locking} @change=${(event: Event) => (this.locking = (event.target as HTMLInputElement).checked)} />
          Lock Hearth with a passphrase (recommended on a shared phone)</label
        >
        ${this.locking ? html`<hearth-passphrase></hearth-passphrase>` : null}
        <button class="primary" type="submit">Continue</button>
      </form>
    `;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#name')!;
    this.error = checkDisplayName(input.value);
    if (this.error) {
      input.focus();
      return;
    }
    const fields = this.locking ? this.renderRoot.querySelector<HearthPassphrase>('hearth-passphrase') : null;
    if (fields?.check()) return;
    this.emit({ type: 'choose-name', displayName: input.value.trim(), ...(fields ? { passphrase: fields.value } : {}) });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-welcome': HearthWelcome;
  }
}
