import { html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { UnlockView } from '../../src/app/state.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';

/**
 * The lock screen: a passphrase field and nothing else. It shows nothing about groups (no
 * names, no counts): the app holds none of it while locked.
 *
 * @fires hearth-intent - `unlock` with the passphrase.
 */
@customElement('hearth-lock')
export class HearthLock extends HearthElement {
  static override styles = theme;

  @property({ attribute: false }) unlock: UnlockView = { busy: false, retryAt: 0 };

  override render() {
    return html`
      <h1 tabindex="-1">Hearth is locked</h1>
      <form class="card" novalidate autocomplete="off" @submit=${this.onSubmit}>
        <div class="field">
          <label for="passphrase">Passphrase</label>
          <input id="passphrase" type="password" autocomplete="current-password" ?disabled=${this.unlock.busy} />
        </div>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.unlock.busy}>Unlock</button>
          <p class="hint" role="status">${this.unlock.busy ? 'Unlocking…' : ''}</p>
        </div>
      </form>
    `;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#passphrase')?.focus();
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#passphrase')!;
    const passphrase = input.value;
    input.value = '';
    if (passphrase) this.emit({ type: 'unlock', passphrase });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-lock': HearthLock;
  }
}
