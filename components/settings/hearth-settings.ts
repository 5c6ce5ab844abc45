import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { AUTO_LOCK_DELAYS, type AutoLockDelay, type PrivacyView } from '../../src/app/state.js';
import { authorMark } from '../../src/model/authorMark.js';
import { HearthElement } from '../hearth-element.js';
import '../identity/hearth-name-form.js';
import '../passphrase/hearth-passphrase.js';
import type { HearthPassphrase } from '../passphrase/hearth-passphrase.js';
import { theme } from '../theme.js';

const DELAY_LABELS: Record<AutoLockDelay, string> = { 0: 'Immediately', 60_000: 'After 1 minute', 300_000: 'After 5 minutes' };
/** The wipe-after count offered; off by default. */
const WIPE_AFTER = 10;

/**
 * Settings: your name (flagged when it matches another member's), the app lock (on, change, off, lock now, auto-lock delay, wipe after wrong
 * passphrases), discreet mode, appearing in "Here now", and wiping this device (confirmed).
 *
 * @fires hearth-intent - `choose-name`, `set-lock`, `remove-lock`, `lock`, `set-privacy`, `wipe`, `navigate`.
 */
@customElement('hearth-settings')
export class HearthSettings extends HearthElement {
  static override styles = [
    theme,
    css`
      section {
        margin-block-end: 1.25rem;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0 0 1rem;
        display: grid;
        gap: 0.5rem;
      }
      .check {
        font-weight: 400;
      }
    `,
  ];

  @property({ attribute: false }) privacy!: PrivacyView;
  /** The name this device goes by. */
  @property() displayName = '';
  /** This device's author id, whose fingerprint others see when they tap the name. */
  @property() authorId = '';
  /** Other members' names in the open group. */
  @property({ attribute: false }) otherNames: readonly string[] = [];
  @state() private confirmingWipe = false;
  @state() private changing = false;

  override render() {
    const { privacy } = this;
    return html`
      <h1 tabindex="-1">Settings</h1>
      ${this.confirmingWipe ? this.renderWipe() : html`<section class="card" aria-labelledby="name-heading">
            <h2 id="name-heading">Your name</h2>
            <hearth-name-form .displayName=${this.displayName} .otherNames=${this.otherNames}></hearth-name-form>
            ${this.authorId
              ? html`<p class="hint">Your key fingerprint is <strong>${authorMark(this.authorId).fingerprint}</strong>. Others see it when they tap your name, so you can check each other in person.</p>`
              : null}
          </section>
          ${this.renderLock(privacy)} ${this.renderPrivacy(privacy)}
          <section class="card" aria-labelledby="wipe-heading">
            <h2 id="wipe-heading">Wipe this device</h2>
            <p>Deletes Hearth and everything it keeps on this device. Your groups carry on without this device.</p>
            <button class="danger" type="button" @click=${() => (this.confirmingWipe = true)}>Wipe this device…</button>
          </section>
          <button type="button" @click=${() => this.emit({ type: 'navigate', route: { name: 'groups' } })}>Back to your groups</button>`}
    `;
  }

  private renderLock(privacy: PrivacyView) {
    const choosing = !privacy.lock || this.changing;
    return html`<section class="card" aria-labelledby="lock-heading">
      <h2 id="lock-heading">App lock</h2>
      <p>
        ${privacy.lock
          ? 'Hearth is locked with a passphrase. Without it, nothing Hearth keeps on this device can be read.'
          : 'Recommended on a shared phone: Hearth asks for a passphrase each time it opens, and what it keeps on this device cannot be read without it.'}
      </p>
      ${privacy.lock
        ? html`<div class="actions">
              <button class="primary" type="button" @click=${() => this.emit({ type: 'lock' })}>Lock now</button>
              ${this.changing ? null : html`<button type="button" @click=${() => (this.changing = true)}>Change passphrase</button>`}
              <button type="button" ?disabled=${privacy.busy} @click=${() => this.emit({ type: 'remove-lock' })}>Turn off the lock</button>
            </div>
            <fieldset>
              <legend>Lock when Hearth has been hidden</legend>
              ${AUTO_LOCK_DELAYS.map(
                (delay) => html`<label class="check"
                  ><input
                    type="radio"
                    name="auto-lock"
                    .checked=${privacy.autoLockAfterMs === delay}
                    @change=${() => this.emit({ type: 'set-privacy', choices: { autoLockAfterMs: delay } })}
                  />${DELAY_LABELS[delay]}</label
                >`,
              )}
            </fieldset>
            <label class="check"
              ><input
                type="checkbox"
                .checked=${privacy.wipeAfter !== null}
                @change=${(event: Event) =>
                  this.emit({ type: 'set-privacy', choices: { wipeAfter: (event.target as HTMLInputElement).checked ? WIPE_AFTER : null } })}
              />Wipe this device after ${WIPE_AFTER} wrong passphrases in a row</label
            >`
        : null}
      ${!privacy.lock
        ? html`<p class="hint">
            If Hearth was used here without a lock, the browser may keep old copies of it for a while. For the strongest
            protection, wipe this device and join your groups again with the lock on.
          </p>`
        : null}
      ${choosing
        ? html`<form novalidate autocomplete="off" @submit=${this.onSetLock}>
            <hearth-passphrase label=${privacy.lock ? 'New passphrase' : 'Passphrase'}></hearth-passphrase>
            <div class="actions">
              <button class="primary" type="submit" ?disabled=${privacy.busy}>${privacy.lock ? 'Change passphrase' : 'Turn on the lock'}</button>
              <p class="hint" role="status">${privacy.busy ? 'Protecting your data… this takes a moment.' : ''}</p>
            </div>
          </form>`
        : null}
    </section>`;
  }

  private renderPrivacy(privacy: PrivacyView) {
    return html`<section class="card" aria-labelledby="privacy-heading">
      <h2 id="privacy-heading">Privacy</h2>
      <label class="check"
        ><input
          type="checkbox"
          .checked=${privacy.discreet}
          @change=${(event: Event) => this.emit({ type: 'set-privacy', choices: { discreet: (event.target as HTMLInputElement).checked } })}
        />Discreet mode: hide what groups are about</label
      >
      <label class="check"
        ><input
          type="checkbox"
          .checked=${privacy.showPresence}
          @change=${(event: Event) => this.emit({ type: 'set-privacy', choices: { showPresence: (event.target as HTMLInputElement).checked } })}
        />Show me in “Here now” during meetings</label
      >
    </section>`;
  }

  private renderWipe() {
    return html`<section class="card" aria-labelledby="confirm-wipe-heading">
      <h2 id="confirm-wipe-heading">Wipe Hearth from this device?</h2>
      <p>Your name, your groups and every post kept here will be deleted from this device, and cannot be brought back here.</p>
      <div class="actions">
        <button class="danger primary" type="button" @click=${() => this.emit({ type: 'wipe' })}>Wipe everything</button>
        <button type="button" @click=${() => (this.confirmingWipe = false)}>Keep everything</button>
      </div>
    </section>`;
  }

  private onSetLock(event: SubmitEvent): void {
    event.preventDefault();
    const fields = this.renderRoot.querySelector<HearthPassphrase>('hearth-passphrase')!;
    if (fields.check()) return;
    this.changing = false;
    this.emit({ type: 'set-lock', passphrase: fields.value });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-settings': HearthSettings;
  }
}
