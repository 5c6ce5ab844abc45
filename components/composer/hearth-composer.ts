import { css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { LIMITS, MILESTONE_UNITS, POST_KINDS, type Milestone, type MilestoneUnit, type PostKind } from '../../src/model/schema.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import { KIND_LABELS, unitLabel } from '../text.js';
import { checkLength } from '../validation.js';

type Errors = Partial<Record<'body' | 'contentWarning' | 'milestone', string>>;

const PROMPTS: Record<PostKind, string> = {
  story: 'What happened, and what helped?',
  encouragement: 'A few kind words for the group.',
  victory: 'Something to celebrate — big or small.',
};

/**
 * Writing a post: its kind, the text, an optional content warning, and a milestone for
 * victories. Checks the board's limits in plain words and clears itself once shared.
 *
 * @fires hearth-intent - `post`.
 * @csspart form - the composer form.
 */
@customElement('hearth-composer')
export class HearthComposer extends HearthElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      .legend {
        font-weight: 600;
        margin: 0;
      }
      .kinds {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .kinds label {
        display: inline-flex;
        gap: 0.4rem;
        align-items: center;
        padding: 0.4rem 0.8rem;
        border: 2px solid var(--h-border);
        border-radius: 999px;
        font-weight: 400;
        cursor: pointer;
      }
      .kinds label:has(:checked) {
        border-color: var(--h-accent);
        font-weight: 600;
      }
      .milestone {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
      }
      .milestone .field {
        flex: 1 1 8rem;
      }
    `,
  ];

  @state() private kind: PostKind = 'story';
  @state() private errors: Errors = {};

  override render() {
    const { body, contentWarning, milestone } = this.errors;
    return html`
      <form part="form" class="card" novalidate autocomplete="off" aria-labelledby="compose-title" @submit=${this.onSubmit}>
        <h2 id="compose-title">Share with the group</h2>
        <div class="field">
          <p class="legend" id="kind-legend">What kind of post?</p>
          <div class="kinds" role="radiogroup" aria-labelledby="kind-legend">
            ${POST_KINDS.map(
              (kind) => html`<label>
                <input
                  type="radio"
                  name="kind"
                  value=${kind}
                  .checked=${live(this.kind === kind)}
                  @change=${() => (this.kind = kind)}
                />
                <span aria-hidden="true">${KIND_LABELS[kind].icon}</span> ${KIND_LABELS[kind].one}
              </label>`,
            )}
          </div>
        </div>
        <div class="field">
          <label for="body">Your post</label>
          <p class="hint" id="body-hint">${PROMPTS[this.kind]}</p>
          <textarea
            id="body"
            aria-invalid=${body ? 'true' : 'false'}
            aria-describedby=${body ? 'body-hint body-error' : 'body-hint'}
          ></textarea>
          ${body ? html`<p class="error" id="body-error">${body}</p>` : null}
        </div>
        ${this.kind === 'victory'
          ? html`<div class="milestone">
              <div class="field">
                <label for="milestone">Milestone (optional)</label>
                <input
                  id="milestone"
                  type="number"
                  inputmode="numeric"
                  min="0"
                  max=${LIMITS.milestone}
                  step="1"
                  aria-invalid=${milestone ? 'true' : 'false'}
                  aria-describedby=${milestone ? 'milestone-error' : 'milestone-hint'}
                />
              </div>
              <div class="field">
                <label for="unit">Milestone unit</label>
                <select id="unit">
                  ${MILESTONE_UNITS.map((unit) => html`<option value=${unit}>${unitLabel(unit)}</option>`)}
                </select>
              </div>
            </div>
            ${milestone
              ? html`<p class="error" id="milestone-error">${milestone}</p>`
              : html`<p class="hint" id="milestone-hint">For example 30 days, or 1 year.</p>`}`
          : null}
        <div class="field">
          <label for="cw">Content warning (optional)</label>
          <input
            id="cw"
            aria-invalid=${contentWarning ? 'true' : 'false'}
            aria-describedby=${contentWarning ? 'cw-hint cw-error' : 'cw-hint'}
          />
          <p class="hint" id="cw-hint">If your post touches something hard, name it here. Others tap to see the post.</p>
          ${contentWarning ? html`<p class="error" id="cw-error">${contentWarning}</p>` : null}
        </div>
        <button class="primary" type="submit">Share</button>
      </form>
    `;
  }

  private field<T extends HTMLElement>(id: string): T | null {
    return this.renderRoot.querySelector<T>(`#${id}`);
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const body = this.field<HTMLTextAreaElement>('body')!;
    const cw = this.field<HTMLInputElement>('cw')!;
    const milestoneInput = this.field<HTMLInputElement>('milestone');
    const text = body.value.trim();
    const warning = cw.value.trim();
    const milestone = milestoneInput ? readMilestone(milestoneInput, this.field<HTMLSelectElement>('unit')!) : undefined;
    this.errors = {
      body: text ? checkLength('A post', text, LIMITS.body) : 'Write something to share first.',
      contentWarning: checkLength('A content warning', warning, LIMITS.contentWarning),
      milestone: typeof milestone === 'string' ? milestone : undefined,
    };
    if (this.errors.body) return body.focus();
    if (this.errors.milestone) return milestoneInput!.focus();
    if (this.errors.contentWarning) return cw.focus();
    this.emit({
      type: 'post',
      kind: this.kind,
      body: text,
      ...(warning ? { contentWarning: warning } : {}),
      ...(milestone && typeof milestone !== 'string' ? { milestone } : {}),
    });
    this.clear();
  }

  private clear(): void {
    this.renderRoot.querySelector('form')!.reset();
    this.kind = 'story';
    this.errors = {};
  }
}

/** The milestone the fields describe, undefined when left empty, or a message when it can't be one. */
function readMilestone(value: HTMLInputElement, unit: HTMLSelectElement): Milestone | string | undefined {
  if (value.value.trim() === '' && !value.validity.badInput) return undefined;
  const number = Number(value.value);
  if (!Number.isInteger(number) || number < 0 || number > LIMITS.milestone) {
    return `A milestone is a whole number from 0 to ${LIMITS.milestone.toLocaleString('en')}.`;
  }
  return { value: number, unit: unit.value as MilestoneUnit };
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-composer': HearthComposer;
  }
}
