import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { FOCUSES } from '../../src/model/schema.js';
import { HearthElement } from '../hearth-element.js';
import { disclosure } from '../stack.js';
import { theme } from '../theme.js';
import { FOCUS_LABELS } from '../text.js';
import { groupNameField, readGroupForm, type GroupFormDetails } from '../groupForm.js';

/** What the form edits: the group as the board states it. */
export type GroupDetails = GroupFormDetails;

/**
 * A facilitator's form for the group's name, focus and guidelines, folded until asked for. Every
 * device checks that a facilitator wrote the change; the form is only the way to make it.
 *
 * @fires hearth-intent - `edit-group`.
 */
@customElement('hearth-group-edit')
export class HearthGroupEdit extends HearthElement {
  static override styles = [
    theme,
    disclosure,
    css`
      /* The fields' padding and border inside their 100 %, so the card fits 320 px. */
      input,
      select,
      textarea {
        box-sizing: border-box;
      }
    `,
  ];

  /** The group's details now: the form starts from them. */
  @property({ attribute: false }) group: GroupDetails | undefined;

  @state() private errors: { name?: string; guidelines?: string } = {};

  override render() {
    const group = this.group;
    if (!group) return null;
    const { name: nameError, guidelines: guidelinesError } = this.errors;
    return html`<details @toggle=${this.onToggle}>
      <summary>Edit the group’s name, focus and guidelines</summary>
      <form class="card" novalidate autocomplete="off" aria-label="Group details" @submit=${this.onSubmit}>
        ${groupNameField({ id: 'edit-name', ...(nameError ? { error: nameError } : {}), value: group.name })}
        <div class="field">
          <label for="edit-focus">Focus</label>
          <select id="edit-focus">
            <option value="" ?selected=${!group.focus}>Not set</option>
            ${FOCUSES.map((focus) => html`<option value=${focus} ?selected=${group.focus === focus}>${FOCUS_LABELS[focus]}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="edit-guidelines">Group guidelines</label>
          <textarea
            id="edit-guidelines"
            .value=${group.guidelines ?? ''}
            aria-invalid=${guidelinesError ? 'true' : 'false'}
            aria-describedby=${ifDefined(guidelinesError ? 'edit-guidelines-error' : undefined)}
          ></textarea>
          ${guidelinesError ? html`<p class="error" id="edit-guidelines-error">${guidelinesError}</p>` : null}
        </div>
        <p class="hint">Everyone in the group sees the change. Newcomers read these guidelines before they join.</p>
        <div class="actions">
          <button class="primary" type="submit">Save group details</button>
          <button type="button" @click=${this.close}>Cancel</button>
        </div>
      </form>
    </details>`;
  }

  /** Each opening starts from the group as it is now (the bindings above fill the first). */
  private onToggle(event: Event): void {
    const group = this.group;
    if (!(event.target as HTMLDetailsElement).open || !group) return;
    this.errors = {};
    const root = this.renderRoot;
    root.querySelector<HTMLInputElement>('#edit-name')!.value = group.name;
    root.querySelector<HTMLSelectElement>('#edit-focus')!.value = group.focus ?? '';
    root.querySelector<HTMLTextAreaElement>('#edit-guidelines')!.value = group.guidelines ?? '';
  }

  private close(): void {
    this.renderRoot.querySelector('details')!.open = false;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const { errors, details } = readGroupForm(this.renderRoot, { name: 'edit-name', focus: 'edit-focus', guidelines: 'edit-guidelines' });
    this.errors = errors;
    if (!details) return;
    this.emit({ type: 'edit-group', ...details });
    this.close();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-group-edit': HearthGroupEdit;
  }
}
