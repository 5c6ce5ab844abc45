import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { FOCUSES, LIMITS, type GroupFocus } from '../../src/model/schema.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import { FOCUS_LABELS } from '../text.js';
import { groupNameField, readGroupForm } from '../groupForm.js';
import { checkGroupName, checkLength } from '../validation.js';
import { GROUP_TEMPLATES } from './templates.js';

/**
 * A new group: its name, an optional template for specialised groups (which suggests a focus
 * and guidelines), an optional focus, and optional guidelines.
 *
 * @fires hearth-intent - `create-group`; `navigate` back to the groups on Cancel.
 * @csspart form - the group form.
 */
@customElement('hearth-create-group')
export class HearthCreateGroup extends HearthElement {
  static override styles = theme;

  @state() private errors: { name?: string; guidelines?: string } = {};

  override render() {
    const { name: nameError, guidelines: guidelinesError } = this.errors;
    return html`
      <h1 tabindex="-1">Create a group</h1>
      <p>You can invite the others once the group is made. Only people with the invite can read the board.</p>
      <form part="form" class="card" novalidate autocomplete="off" @submit=${this.onSubmit}>
        ${groupNameField({ id: 'name', ...(nameError ? { error: nameError } : {}), onInput: this.recheck })}
        <div class="field">
          <label for="template">Start from a template</label>
          <select id="template" aria-describedby="template-hint" @change=${this.onTemplate}>
            <option value="">No template</option>
            ${GROUP_TEMPLATES.map((template) => html`<option value=${template.id}>${template.label}</option>`)}
          </select>
          <p class="hint" id="template-hint">Optional. Suggests a focus and guidelines you can change.</p>
        </div>
        <div class="field">
          <label for="focus">Focus</label>
          <select id="focus" aria-describedby="focus-hint">
            <option value="">Not set</option>
            ${FOCUSES.map((focus) => html`<option value=${focus}>${FOCUS_LABELS[focus]}</option>`)}
          </select>
          <p class="hint" id="focus-hint">Optional. It helps members know what the group is about.</p>
        </div>
        <div class="field">
          <label for="guidelines">Group guidelines</label>
          <textarea
            id="guidelines"
            aria-invalid=${guidelinesError ? 'true' : 'false'}
            aria-describedby=${guidelinesError ? 'guidelines-hint guidelines-error' : 'guidelines-hint'}
            @input=${this.recheck}
          ></textarea>
          <p class="hint" id="guidelines-hint">Optional. For example: what's shared here stays here.</p>
          ${guidelinesError ? html`<p class="error" id="guidelines-error">${guidelinesError}</p>` : null}
        </div>
        <div class="actions">
          <button class="primary" type="submit">Create group</button>
          <button type="button" @click=${() => this.emit({ type: 'navigate', route: { name: 'groups' } })}>Cancel</button>
        </div>
      </form>
    `;
  }

  /** Fills focus and guidelines from the template, unless the person already wrote their own. */
  private onTemplate(event: Event): void {
    const template = GROUP_TEMPLATES.find((t) => t.id === (event.target as HTMLSelectElement).value);
    if (!template) return;
    const root = this.renderRoot;
    root.querySelector<HTMLSelectElement>('#focus')!.value = template.focus;
    const guidelines = root.querySelector<HTMLTextAreaElement>('#guidelines')!;
    const untouched = !guidelines.value.trim() || GROUP_TEMPLATES.some((t) => t.guidelines === guidelines.value);
    if (untouched) guidelines.value = template.guidelines;
  }

  /** A shown message goes as soon as its field is fixed. */
  private recheck(): void {
    if (!this.errors.name && !this.errors.guidelines) return;
    const root = this.renderRoot;
    this.errors = {
      name: this.errors.name ? checkGroupName(root.querySelector<HTMLInputElement>('#name')!.value) : undefined,
      guidelines: this.errors.guidelines
        ? checkLength('Guidelines', root.querySelector<HTMLTextAreaElement>('#guidelines')!.value.trim(), LIMITS.guidelines)
        : undefined,
    };
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const { errors, details } = readGroupForm(this.renderRoot, { name: 'name', focus: 'focus', guidelines: 'guidelines' });
    this.errors = errors;
    if (details) this.emit({ type: 'create-group', ...details });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-create-group': HearthCreateGroup;
  }
}
