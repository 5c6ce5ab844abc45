import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';

const STRENGTH = ['Very weak', 'Weak', 'Fair', 'Good', 'Strong'] as const;
export const MIN_PASSPHRASE_LENGTH = 6;

/**
 * Choosing a passphrase: typed twice, with a strength estimate (zxcvbn-ts, loaded on first
 * keystroke) and, for a PIN, the plain truth about what it protects. The parent reads `value`
 * after `check()` returns no error.
 *
 * @csspart strength - the strength line.
 */
@customElement('hearth-passphrase')
export class HearthPassphrase extends HearthElement {
  static override styles = [
    theme,
    css`
      meter {
        width: 100%;
        height: 0.75rem;
      }
      .pin {
        border-inline-start: 4px solid var(--h-victory);
        padding-inline-start: 0.75rem;
      }
    `,
  ];

  /** Label of the first field ("Passphrase" or "New passphrase"). */
  @property() label = 'Passphrase';
  @state() private score: number | undefined;
  @state() private pin = false;
  @state() private error?: string;

  get value(): string {
    return this.renderRoot.querySelector<HTMLInputElement>('#passphrase')?.value ?? '';
  }

  /** The problem with what was typed, shown beside the fields; undefined when it can be used. */
  check(): string | undefined {
    const again = this.renderRoot.querySelector<HTMLInputElement>('#again')?.value ?? '';
    if (this.value.length < MIN_PASSPHRASE_LENGTH) this.error = `Please use at least ${MIN_PASSPHRASE_LENGTH} characters.`;
    else if (again !== this.value) this.error = "The two passphrases don't match.";
    else this.error = undefined;
    if (this.error) this.renderRoot.querySelector<HTMLInputElement>('#passphrase')?.focus();
    return this.error;
  }

  override render() {
    const described = ['passphrase-hint', 'strength', ...(this.error ? ['passphrase-error'] : [])].join(' ');
    return html`
      <div class="field">
        <label for="passphrase">${this.label}</label>
        <p class="hint" id="passphrase-hint">A few unrelated words you will remember, like “kettle lantern Tuesday moss”.</p>
        <input
          id="passphrase"
          type="password"
          autocomplete="new-password"
          aria-describedby=${described}
          aria-invalid=${this.error ? 'true' : 'false'}
          @input=${this.onInput}
        />
        <p class="hint" id="strength" part="strength" aria-live="polite">
          ${this.score === undefined ? '' : `Strength: ${STRENGTH[this.score]}`}
        </p>
        ${this.score === undefined ? null : html`<meter min="0" max="4" low="2" high="3" optimum="4" .value=${this.score} aria-label="Passphrase strength"></meter>`}
        ${this.pin
          ? html`<p class="hint pin" id="pin-note">
              A PIN keeps out someone who picks up your phone. It does not protect a phone that is taken: anyone who
              copies its storage can try every six-digit PIN within hours. Use words to protect against that.
            </p>`
          : null}
        ${this.error ? html`<p class="error" id="passphrase-error">${this.error}</p>` : null}
      </div>
      <div class="field">
        <label for="again">Type it again</label>
        <input id="again" type="password" autocomplete="new-password" />
      </div>
    `;
  }

  private async onInput(): Promise<void> {
    const value = this.value;
    this.pin = /^\d+$/.test(value);
    if (!value) {
      this.score = undefined;
      return;
    }
    const { passphraseScore } = await import('./strength.js');
    // The field may have changed while the estimator loaded: score what is there now.
    this.score = this.value ? passphraseScore(this.value) : undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-passphrase': HearthPassphrase;
  }
}
