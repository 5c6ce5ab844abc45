import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { LIMITS, type GroupFocus } from '../src/model/schema.js';
import { checkGroupName, checkLength } from './validation.js';

/** A group's name, focus and guidelines as a form states them, trimmed, empty ones left out. */
export interface GroupFormDetails {
  name: string;
  focus?: GroupFocus;
  guidelines?: string;
}

/**
 * Reads and checks a group form (creating or editing a group) by its fields' ids. Returns the
 * messages to show; when there are any, the first wrong field has the focus and no details.
 */
export function readGroupForm(
  root: ParentNode,
  ids: { name: string; focus: string; guidelines: string },
): { errors: { name?: string; guidelines?: string }; details?: GroupFormDetails } {
  const name = root.querySelector<HTMLInputElement>(`#${ids.name}`)!;
  const focus = root.querySelector<HTMLSelectElement>(`#${ids.focus}`)!.value as GroupFocus | '';
  const guidelines = root.querySelector<HTMLTextAreaElement>(`#${ids.guidelines}`)!;
  const errors = { name: checkGroupName(name.value), guidelines: checkLength('Guidelines', guidelines.value.trim(), LIMITS.guidelines) };
  if (errors.name) name.focus();
  else if (errors.guidelines) guidelines.focus();
  if (errors.name || errors.guidelines) return { errors };
  return {
    errors,
    details: { name: name.value.trim(), ...(focus ? { focus } : {}), ...(guidelines.value.trim() ? { guidelines: guidelines.value.trim() } : {}) },
  };
}

/** The group-name field of a group form, with its error (if any) tied to it for screen readers. */
export function groupNameField({ id, error, value, onInput }: { id: string; error?: string; value?: string; onInput?: () => void }): TemplateResult {
  const errorId = `${id}-error`;
  return html`<div class="field">
    <label for=${id}>Group name</label>
    <input
      id=${id}
      autocomplete="off"
      required
      aria-required="true"
      .value=${value ?? ''}
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${ifDefined(error ? errorId : undefined)}
      @input=${onInput}
    />
    ${error ? html`<p class="error" id=${errorId}>${error}</p>` : null}
  </div>`;
}
