import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { namesClash } from '../../src/model/authorMark.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import { checkDisplayName } from '../validation.js';

/**
 * Change the name this device shows its groups. A name that reads the same as another
 * member's is flagged while it is typed (people can still tell the two apart by colour and
 * fingerprint, but a different name is kinder to everyone); it is not refused.
 *
 * @fires hearth-intent - `choose-name`.
 */
@customElement('hearth-name-form')
export class HearthNameForm extends HearthElement {
  static override styles = [
    theme,
    css`
      .clash {
        border-inline-start: 4px solid var(--h-victory);
        padding-inline-start: 0.5rem;
      }
    `,
  ];

  /** The name the person goes by now. */
  @property() displayName = '';
  /** Other members' names in the open group, to flag a name that matches one of them. */
  @property({ attribute: false }) otherNames: readonly string[] = [];

  @state() private draft?: string;
  @state() private error?: string;

  override render() {
    const value = this.draft ?? this.displayName;
    const clash = value.trim() !== '' && this.otherNames.some((name) => namesClash(name, value));
    const described = [this.error ? 'name-error' : '', 'name-clash'].filter(Boolean).join(' ');
    return html`<form novalidate autocomplete="off" @submit=${this.onSubmit}>
      <div class="field">
        <label for="name">Your name in your groups</label>
        <input
          id="name"
          .value=${value}
          maxlength="200"
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby=${ifDefined(described || undefined)}
          @input=${(event: Event) => {
            this.draft = (event.target as HTMLInputElement).value;
            this.error = undefined;
          }}
        />
        ${this.error ? html`<p class="error" id="name-error">${this.error}</p>` : nothing}
        <p class="hint ${clash ? 'clash' : ''}" id="name-clash" aria-live="polite">
          ${clash
            ? 'Someone in this group already goes by that name. People can still tell you apart by your colour and key, but a different name may be clearer.'
            : ''}
        </p>
      </div>
      <button type="submit">Change name</button>
    </form>`;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#name')!;
    this.error = checkDisplayName(input.value);
    if (this.error) return input.focus();
    this.emit({ type: 'choose-name', displayName: input.value.trim() });
    this.draft = undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-name-form': HearthNameForm;
  }
}
