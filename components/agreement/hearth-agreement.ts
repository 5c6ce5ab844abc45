import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { JoinAgreement } from '../../src/app/supportState.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import { FOCUS_LABELS } from '../text.js';

/** What every Hearth group asks of its members, whatever its own guidelines say. */
export const CONFIDENTIALITY_POINTS = [
  'What is said here stays here: I will not share anyone’s words, name or story outside the group.',
  'I will not screenshot, copy or forward what others post.',
  'I will speak for myself, listen without judging, and give advice only when asked.',
] as const;

/**
 * The step before joining: the group's focus and guidelines (as far as this device can read them
 * yet) and the confidentiality every member agrees to. Fed from `agreement`, so a richer source
 * (details sealed to the joiner by a facilitator) can replace today's name-only invite.
 *
 * @fires hearth-agreement-change - when the checkbox changes; read `agreed`.
 */
@customElement('hearth-agreement')
export class HearthAgreement extends HearthElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      ul {
        padding-inline-start: 1.25rem;
        margin: 0 0 1rem;
      }
      li + li {
        margin-top: 0.35rem;
      }
      h2 {
        font-size: 1.1rem;
      }
    `,
  ];

  @property({ attribute: false }) agreement: JoinAgreement = { groupName: '' };
  /** Shown beside the checkbox when the person tried to join without agreeing. */
  @property() error?: string;
  @state() private checked = false;

  get agreed(): boolean {
    return this.checked;
  }

  override focus(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#agree')?.focus();
  }

  override render() {
    const { focus, guidelines } = this.agreement;
    return html`
      <section aria-labelledby="agreement-heading">
        <h2 id="agreement-heading">Before you join</h2>
        ${focus ? html`<p>This group’s focus: <strong>${FOCUS_LABELS[focus]}</strong>.</p>` : null}
        ${guidelines
          ? html`<h3>The group’s guidelines</h3>
              <p class="user-text">${guidelines}</p>`
          : html`<p class="hint">The group’s own guidelines will show on the board once you are connected with its members.</p>`}
        <h3>Every Hearth group agrees</h3>
        <ul>
          ${CONFIDENTIALITY_POINTS.map((point) => html`<li>${point}</li>`)}
        </ul>
        <label class="check">
          <input
            id="agree"
            type="checkbox"
            .checked=${this.checked}
            aria-invalid=${this.error ? 'true' : 'false'}
            aria-describedby=${this.error ? 'agree-error' : ''}
            @change=${this.onChange}
          />
          <span>I agree to keep what is shared here confidential and to follow the group’s guidelines.</span>
        </label>
        ${this.error ? html`<p class="error" id="agree-error">${this.error}</p>` : null}
      </section>
    `;
  }

  private onChange(event: Event): void {
    this.checked = (event.target as HTMLInputElement).checked;
    this.dispatchEvent(new Event('hearth-agreement-change', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-agreement': HearthAgreement;
  }
}
